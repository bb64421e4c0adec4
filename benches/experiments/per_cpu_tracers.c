/* What one tracer thread per busy CPU would gain on the compute-parallel workloads (issue
 * 18), measured with the floor tracer's work per stop (PTRACE_GET_SYSCALL_INFO, then
 * PTRACE_SYSCALL) and no output. WORKERS processes each compute ROUNDS rounds of SPINS
 * xorshift steps with a getppid after each (compute.h, as compute-procs), traced in one of
 * four modes:
 *
 *   untraced  no tracer;
 *   one       one tracer thread traces every worker (what rtrace and strace do);
 *   per-cpu   tracer thread i pins itself to CPU i mod nproc and forks worker i, which
 *             inherits that CPU: each worker's stops are served on its own CPU;
 *   threads   tracer thread i forks and traces worker i, nothing pinned.
 *
 * ptrace ties a tracee to the thread that attached it; here each worker is forked by the
 * thread that traces it (PTRACE_TRACEME makes the forking thread the tracer). A tracer
 * cannot arrange that for children a tracee forks itself: those are attached to the
 * thread tracing their parent (PERFORMANCE.md, "One tracer thread per busy CPU").
 *
 * Prints the mode, the wall time in ms and the stops served. Not part of the bench.
 *
 *     gcc -O2 -pthread -o /tmp/per_cpu benches/experiments/per_cpu_tracers.c
 *     /tmp/per_cpu per-cpu 2 300 1000000 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptrace.h>
#include "../workloads/compute.h"

enum mode { UNTRACED, ONE, PER_CPU, THREADS };

static struct compute_args args;
static enum mode mode;

static void fail(const char *what)
{
	fprintf(stderr, "per_cpu_tracers: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* Forks one worker; `traced`: it asks to be traced by the calling thread and stops
 * before computing, and this waits for that stop and resumes it to its first syscall. */
static pid_t fork_worker(long index, int traced)
{
	pid_t pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		if (traced && (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0 || raise(SIGSTOP) != 0))
			_exit(125);
		_exit(compute(args.rounds, args.spins, index + 1) == 42);
	}
	if (traced) {
		int status;
		if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status))
			fail("waiting for a worker's first stop");
		long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
		if (ptrace(PTRACE_SETOPTIONS, pid, 0, options) != 0)
			fail("PTRACE_SETOPTIONS");
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) != 0)
			fail("PTRACE_SYSCALL");
	}
	return pid;
}

/* Serves the stops of `pid` (-1: of every child of this process) until none is left;
 * returns how many stops it served. */
static long serve(pid_t pid)
{
	long stops = 0;
	struct ptrace_syscall_info info;
	for (;;) {
		int status;
		pid_t got = waitpid(pid, &status, __WALL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return stops;
			fail("waitpid");
		}
		if (!WIFSTOPPED(status)) {
			if (pid != -1)
				return stops;
			continue;
		}
		stops++;
		ptrace(PTRACE_GET_SYSCALL_INFO, got, sizeof info, &info);
		int signal = WSTOPSIG(status) == (SIGTRAP | 0x80) ? 0 : WSTOPSIG(status);
		if (ptrace(PTRACE_SYSCALL, got, 0, signal) != 0 && errno != ESRCH)
			fail("PTRACE_SYSCALL");
	}
}

static void *tracer_thread(void *arg)
{
	long index = (long)arg;
	if (mode == PER_CPU) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(index % sysconf(_SC_NPROCESSORS_ONLN), &one);
		if (sched_setaffinity(0, sizeof one, &one) != 0)
			fail("sched_setaffinity");
	}
	return (void *)serve(fork_worker(index, 1));
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *usage = "per_cpu_tracers untraced|one|per-cpu|threads " COMPUTE_USAGE_ARGS;
	if (argc != 5) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	if (!strcmp(argv[1], "untraced"))
		mode = UNTRACED;
	else if (!strcmp(argv[1], "one"))
		mode = ONE;
	else if (!strcmp(argv[1], "per-cpu"))
		mode = PER_CPU;
	else if (!strcmp(argv[1], "threads"))
		mode = THREADS;
	else {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	args = compute_args(argc - 1, argv + 1, usage);
	double start = now_ms();
	long stops = 0;
	if (mode == UNTRACED || mode == ONE) {
		for (long i = 0; i < args.workers; i++)
			fork_worker(i, mode == ONE);
		stops = serve(-1);
	} else {
		pthread_t threads[args.workers];
		for (long i = 0; i < args.workers; i++)
			if ((errno = pthread_create(&threads[i], NULL, tracer_thread, (void *)i)))
				fail("pthread_create");
		for (long i = 0; i < args.workers; i++) {
			void *served;
			pthread_join(threads[i], &served);
			stops += (long)served;
		}
	}
	printf("%s %.1f ms, %ld stops\n", argv[1], now_ms() - start, stops);
	return 0;
}
