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
#include "traced_child.h"

static void die(const char *what)
{
	traced_child_die("ptrace_floor", what);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ptrace_floor PROGRAM [ARGS]...\n");
		return 2;
	}
	long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	pid_t child = start_traced("ptrace_floor", argv + 1, options);
	int status;

	unsigned long long syscalls = 0;
	int exit_status = 125;
	struct ptrace_syscall_info info;
	pid_t pid;
	while ((pid = wait_tracee("ptrace_floor", &status)) != 0) {
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = exit_code_of(status);
			continue;
		}
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) < 0)
				die("PTRACE_GET_SYSCALL_INFO");
			if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
				syscalls++;
		}
		resume_tracee("ptrace_floor", pid, status);
	}
	fprintf(stderr, "ptrace_floor: %llu syscalls\n", syscalls);
	return exit_status;
}
