/* getppid from eight nested calls deep: what -k costs per call, with a stack of
 * main, eight frames of its own, libc's syscall() and libc's start-up below. */
#include <unistd.h>
#include <sys/syscall.h>
#include "common.h"

__attribute__((noinline)) static long nested(int depth)
{
	if (depth == 0)
		return syscall(SYS_getppid);
	long r = nested(depth - 1);
	__asm__ volatile("" ::: "memory"); /* not a tail call: each frame stays */
	return r;
}

int main(int argc, char **argv)
{
	const char *usage = "stack_depth CALLS";
	check_argc(argc, 2, usage);
	long calls = count_arg(argv, 1, usage);
	for (long i = 0; i < calls; i++)
		nested(8);
	return 0;
}
