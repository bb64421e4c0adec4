/* The third way issue 9 names to keep a ptrace stop's hand-over cheap on a VM: the tracer
 * following the tracee's CPU, against the two rtrace offers (nothing: `none`; the tracee
 * on the tracer's CPU: `same-cpu`). The floor tracer (PTRACE_SYSCALL and one
 * PTRACE_GET_SYSCALL_INFO per stop) in three modes:
 *
 *   none      no affinity is changed;
 *   same-cpu  the tracer pins itself to its CPU before forking, the tracee inherits it;
 *   follow    the tracee's affinity is left alone; at every stop the tracer reads the CPU
 *             the tracee last ran on (cpu_id in its rseq area, located once with
 *             PTRACE_GET_RSEQ_CONFIGURATION, read with process_vm_readv) and, when it
 *             differs from its own, pins itself there.
 *
 * Prints the wall time, the tracer's moves and the stops. Not part of `cargo xtask bench`;
 * the figures are in PERFORMANCE.md ("CPU placement").
 *
 *     gcc -O2 -o /tmp/placement benches/experiments/placement_follow.c
 *     /tmp/placement follow target/bench/bin/getppid 50000      (unpinned: no taskset)
 *
 * Single-threaded tracees only (it follows the one tracee it starts). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptrace.h>
#include "../workloads/traced_child.h"

static void die(const char *what)
{
	traced_child_die("placement_follow", what);
}

static void pin_self(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		die("sched_setaffinity");
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "none") && strcmp(argv[1], "same-cpu") &&
			 strcmp(argv[1], "follow"))) {
		fprintf(stderr, "usage: placement_follow none|same-cpu|follow PROGRAM [ARGS]...\n");
		return 2;
	}
	int follow = !strcmp(argv[1], "follow");
	if (!strcmp(argv[1], "same-cpu"))
		pin_self(sched_getcpu());
	double start = now_ms();
	start_traced("placement_follow", argv + 2,
		     PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);

	int status;
	uint64_t rseq = 0; /* the tracee's rseq area, once glibc has registered it */
	int my_cpu = -1;
	unsigned long long stops = 0, moves = 0;
	struct ptrace_syscall_info info;
	pid_t pid;
	while ((pid = wait_tracee("placement_follow", &status)) != 0) {
		if (WIFEXITED(status) || WIFSIGNALED(status))
			continue;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			stops++;
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) < 0)
				die("PTRACE_GET_SYSCALL_INFO");
			if (follow) {
				if (!rseq) {
					struct ptrace_rseq_configuration conf = { 0 };
					if (ptrace(PTRACE_GET_RSEQ_CONFIGURATION, pid, sizeof conf, &conf) > 0)
						rseq = conf.rseq_abi_pointer;
				}
				uint32_t cpu;
				struct iovec local = { &cpu, sizeof cpu };
				struct iovec remote = { (void *)(uintptr_t)(rseq + 4), sizeof cpu };
				/* cpu_id is negative until the kernel has set it. */
				if (rseq && process_vm_readv(pid, &local, 1, &remote, 1, 0) == sizeof cpu &&
				    (int)cpu >= 0 && (int)cpu != my_cpu) {
					pin_self(cpu);
					my_cpu = cpu;
					moves++;
				}
			}
		} else if (status >> 16 == PTRACE_EVENT_EXEC) {
			rseq = 0; /* a new image registers a new area */
		}
		resume_tracee("placement_follow", pid, status);
	}
	fprintf(stderr, "%s: %.1f ms, %llu stops, %llu moves\n", argv[1], now_ms() - start,
		stops, moves);
	return 0;
}
