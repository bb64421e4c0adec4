/* Per-request cost of the ptrace requests a tracer could read a syscall stop with:
 * PTRACE_GET_SYSCALL_INFO, PTRACE_GETREGSET (NT_PRSTATUS, every register) and one
 * PTRACE_PEEKUSER (orig_rax), on a child stopped at a syscall-entry stop. x86_64 only.
 * Three rounds of 200,000 requests each. Not part of `cargo xtask bench`; see
 * PERFORMANCE.md ("Tried and not kept").
 *
 *     gcc -O2 -o /tmp/ptrace_request_cost benches/experiments/ptrace_request_cost.c
 *     taskset -c 0 /tmp/ptrace_request_cost
 */
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptrace.h>

#define REQUESTS 200000

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(void)
{
	pid_t child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		getppid();
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACESYSGOOD);
	ptrace(PTRACE_SYSCALL, child, 0, 0);
	waitpid(child, &status, 0); /* the entry stop of getppid */

	struct ptrace_syscall_info info;
	struct user_regs_struct regs;
	struct iovec iov = { &regs, sizeof regs };
	long orig_rax = offsetof(struct user_regs_struct, orig_rax);
	for (int round = 0; round < 3; round++) {
		double t0 = now_ns();
		for (int i = 0; i < REQUESTS; i++)
			ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof info, &info);
		double t1 = now_ns();
		for (int i = 0; i < REQUESTS; i++)
			ptrace(PTRACE_GETREGSET, child, NT_PRSTATUS, &iov);
		double t2 = now_ns();
		for (int i = 0; i < REQUESTS; i++)
			ptrace(PTRACE_PEEKUSER, child, orig_rax, 0);
		double t3 = now_ns();
		printf("GET_SYSCALL_INFO %.0f ns  GETREGSET %.0f ns  PEEKUSER %.0f ns\n",
		       (t1 - t0) / REQUESTS, (t2 - t1) / REQUESTS, (t3 - t2) / REQUESTS);
	}
	kill(child, SIGKILL);
	return 0;
}
