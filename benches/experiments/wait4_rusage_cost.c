/* What asking wait4 for the tracee's rusage (as `-c` does, for the system time it
 * counts) adds to a minimal PTRACE_SYSCALL loop: the same 100,000 getppid calls traced
 * with wait4(..., NULL) and with wait4(..., &rusage), three times each, alternated.
 * Not part of `cargo xtask bench`; see PERFORMANCE.md.
 *
 *     gcc -O2 -o /tmp/wait4_rusage_cost benches/experiments/wait4_rusage_cost.c
 *     taskset -c 0 /tmp/wait4_rusage_cost
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptrace.h>

#define CALLS 100000

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Nanoseconds per traced syscall. */
static double trace_loop(int with_rusage)
{
	pid_t child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (long i = 0; i < CALLS; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACESYSGOOD);
	struct rusage usage;
	struct ptrace_syscall_info info;
	double start = now_ns();
	ptrace(PTRACE_SYSCALL, child, 0, 0);
	while (wait4(child, &status, __WALL, with_rusage ? &usage : NULL) == child &&
	       !WIFEXITED(status)) {
		ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof info, &info);
		ptrace(PTRACE_SYSCALL, child, 0, 0);
	}
	return (now_ns() - start) / CALLS;
}

int main(void)
{
	for (int round = 0; round < 3; round++) {
		double without = trace_loop(0);
		double with = trace_loop(1);
		printf("wait4 without rusage %.0f ns/syscall, with rusage %.0f ns/syscall\n",
		       without, with);
	}
	return 0;
}
