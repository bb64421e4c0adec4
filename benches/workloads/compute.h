/* Shared by the compute-parallel workloads: one worker's work, a CPU-bound loop that
 * makes one syscall per round ("now and then"), as a parallel program's threads do. */
#ifndef BENCH_WORKLOAD_COMPUTE_H
#define BENCH_WORKLOAD_COMPUTE_H

#include <unistd.h>
#include <sys/syscall.h>
#include "common.h"

/* `rounds` rounds of `spins` xorshift steps, a getppid after each; the result is
 * returned so that the compiler keeps the loop. */
static inline unsigned long compute(long rounds, long spins, unsigned long seed)
{
	unsigned long x = seed | 1;
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < spins; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		syscall(SYS_getppid);
	}
	return x;
}

#define COMPUTE_USAGE_ARGS "WORKERS ROUNDS SPINS_PER_ROUND"

/* WORKERS (0: as many as sched_getaffinity allows), ROUNDS, SPINS_PER_ROUND. */
struct compute_args {
	long workers, rounds, spins;
};

static inline struct compute_args compute_args(int argc, char **argv, const char *usage)
{
	check_argc(argc, 4, usage);
	struct compute_args a;
	a.workers = strtol(argv[1], NULL, 10);
	a.rounds = count_arg(argv, 2, usage);
	a.spins = count_arg(argv, 3, usage);
	if (a.workers <= 0)
		a.workers = sysconf(_SC_NPROCESSORS_ONLN);
	return a;
}

#endif
