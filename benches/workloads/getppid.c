/* The cheapest syscall in a tight loop: measures the per-stop cost of a tracer and nothing
 * else. Uses syscall(2) so libc cannot cache or skip the call. */
#include <unistd.h>
#include <sys/syscall.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *usage = "getppid CALLS";
	check_argc(argc, 2, usage);
	long calls = count_arg(argv, 1, usage);
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return 0;
}
