/* Threads that compute, then make syscalls: the case the adaptive placement's narrowing
 * rule was about. Each thread runs 40 million xorshift steps (about 65 ms here), then
 * calls getppid CALLS times. Under -f the computing threads are widened; the question
 * is whether bringing them back to the tracer's CPU once they turn to syscalls pays.
 * Not part of `cargo xtask bench`; the figures are in PERFORMANCE.md ("Spreading
 * tracees that make syscalls together").
 *
 *     gcc -O2 -pthread -o /tmp/cth benches/experiments/compute_then_getppid.c
 *     rtrace -f -o /dev/null /tmp/cth 4 20000
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static long calls;
static volatile unsigned long sink;

static void *run(void *unused)
{
	unsigned long x = 88172645463325252UL;
	for (long i = 0; i < 40000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sink = x;
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return unused;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: compute_then_getppid THREADS CALLS_PER_THREAD\n");
		return 2;
	}
	int threads = atoi(argv[1]);
	calls = atol(argv[2]);
	if (threads < 1 || threads > 64 || calls < 0) {
		fprintf(stderr, "compute_then_getppid: 1 to 64 threads, calls >= 0\n");
		return 2;
	}
	pthread_t ids[64];
	for (int i = 0; i < threads; i++)
		if (pthread_create(&ids[i], NULL, run, NULL)) {
			fprintf(stderr, "compute_then_getppid: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < threads; i++)
		pthread_join(ids[i], NULL);
	return 0;
}
