/* WORKERS compute-bound threads (see compute.h): a parallel program that needs every CPU. */
#include <pthread.h>
#include "compute.h"

static struct compute_args args;

static void *work(void *seed)
{
	return (void *)compute(args.rounds, args.spins, (unsigned long)seed);
}

int main(int argc, char **argv)
{
	args = compute_args(argc, argv, "compute_threads " COMPUTE_USAGE_ARGS);
	pthread_t *ids = calloc(args.workers, sizeof *ids);
	if (!ids)
		die("calloc");
	for (long i = 0; i < args.workers; i++) {
		errno = pthread_create(&ids[i], NULL, work, (void *)(i + 1));
		if (errno)
			die("pthread_create");
	}
	unsigned long sum = 0;
	for (long i = 0; i < args.workers; i++) {
		void *result;
		pthread_join(ids[i], &result);
		sum += (unsigned long)result;
	}
	return sum == 42; /* never: keeps the result alive */
}
