/* Starting a command under ptrace, shared by the bench's tracers (ptrace_floor,
 * floor_with_output) and the placement experiment in benches/experiments/. */
#ifndef BENCH_TRACED_CHILD_H
#define BENCH_TRACED_CHILD_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void traced_child_die(const char *tracer, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", tracer, what, strerror(errno));
	exit(125);
}

/* Forks and execs argv[0] with argv: the child asks to be traced and stops itself first,
 * so that `options` are set before its first syscall; the parent waits for that stop,
 * sets them and lets the child run to its first syscall stop. Returns the child's pid.
 * On failure prints "TRACER: WHAT: ERROR" and exits with 125. */
static inline pid_t start_traced(const char *tracer, char **argv, long options)
{
	pid_t child = fork();
	if (child < 0)
		traced_child_die(tracer, "fork");
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			traced_child_die(tracer, "PTRACE_TRACEME");
		raise(SIGSTOP);
		execvp(argv[0], argv);
		traced_child_die(tracer, argv[0]);
	}
	int status;
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status))
		traced_child_die(tracer, "waiting for the child's first stop");
	if (ptrace(PTRACE_SETOPTIONS, child, 0, options) != 0)
		traced_child_die(tracer, "PTRACE_SETOPTIONS");
	if (ptrace(PTRACE_SYSCALL, child, 0, 0) != 0)
		traced_child_die(tracer, "PTRACE_SYSCALL");
	return child;
}

/* Waits for the next event of any tracee: its pid, or 0 once every tracee is gone. */
static inline pid_t wait_tracee(const char *tracer, int *status)
{
	for (;;) {
		pid_t pid = waitpid(-1, status, __WALL);
		if (pid >= 0)
			return pid;
		if (errno == ECHILD)
			return 0;
		if (errno != EINTR)
			traced_child_die(tracer, "waitpid");
	}
}

/* The exit code a tracer ends with for a command that ended with `status`. */
static inline int exit_code_of(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Resumes a stopped tracee to its next syscall stop. A real signal is delivered;
 * syscall stops, ptrace event stops (status >> 16 != 0) and the SIGSTOP each new
 * tracee starts with are swallowed (the workloads never send SIGSTOP themselves).
 * ESRCH: the tracee died meanwhile (killed, or a thread gone in an exec). */
static inline void resume_tracee(const char *tracer, pid_t pid, int status)
{
	int signal = WSTOPSIG(status);
	if (signal == (SIGTRAP | 0x80) || status >> 16 != 0 || signal == SIGSTOP)
		signal = 0;
	if (ptrace(PTRACE_SYSCALL, pid, 0, signal) != 0 && errno != ESRCH)
		traced_child_die(tracer, "PTRACE_SYSCALL");
}

#endif
