/* The ptrace floor: the least work a syscall tracer built on PTRACE_SYSCALL can do.
 * Per stop: one waitpid, one PTRACE_GET_SYSCALL_INFO, one PTRACE_SYSCALL. It follows
 * threads, forks and execs so it runs every workload, and decodes and prints nothing.
 * A tracer's "added time per syscall" is judged against this one's.
 *
 * Usage: ptrace_floor PROGRAM [ARGS]...
 * Exits with the program's status; prints "ptrace_floor: N syscalls" to stderr at the end
 * (entry stops counted, the number the bench divides by). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ptrace.h>

static void die(const char *what)
{
	fprintf(stderr, "ptrace_floor: %s: %s\n", what, strerror(errno));
	exit(125);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ptrace_floor PROGRAM [ARGS]...\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			die("PTRACE_TRACEME");
		/* Stop so the parent can set options before the first syscall of interest. */
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		die(argv[1]);
	}

	int status;
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status))
		die("waiting for the child's first stop");
	long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SETOPTIONS, child, 0, options) != 0)
		die("PTRACE_SETOPTIONS");
	if (ptrace(PTRACE_SYSCALL, child, 0, 0) != 0)
		die("PTRACE_SYSCALL");

	unsigned long long syscalls = 0;
	int exit_status = 125;
	struct ptrace_syscall_info info;
	for (;;) {
		pid_t pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD) /* every tracee is gone */
				break;
			die("waitpid");
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = WIFEXITED(status) ? WEXITSTATUS(status)
								: 128 + WTERMSIG(status);
			continue;
		}
		int signal = WSTOPSIG(status);
		int inject = 0;
		if (signal == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) < 0)
				die("PTRACE_GET_SYSCALL_INFO");
			if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
				syscalls++;
		} else if (status >> 16 == 0 && signal != SIGSTOP) {
			/* A real signal: deliver it. Ptrace event stops (status >> 16 != 0)
			 * and the SIGSTOP each new tracee starts with are swallowed; the
			 * workloads never send SIGSTOP themselves. */
			inject = signal;
		}
		/* ESRCH: the tracee died meanwhile (killed, or a thread gone in exec). */
		if (ptrace(PTRACE_SYSCALL, pid, 0, inject) != 0 && errno != ESRCH)
			die("PTRACE_SYSCALL");
	}
	fprintf(stderr, "ptrace_floor: %llu syscalls\n", syscalls);
	return exit_status;
}
