/* Several threads making syscalls at once: how a tracer copes with concurrent stops. */
#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "common.h"

static long calls_per_thread;

static void *loop(void *unused)
{
	(void)unused;
	for (long i = 0; i < calls_per_thread; i++)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *usage = "threads THREADS CALLS_PER_THREAD";
	check_argc(argc, 3, usage);
	long threads = count_arg(argv, 1, usage);
	calls_per_thread = count_arg(argv, 2, usage);
	pthread_t *ids = calloc(threads, sizeof *ids);
	if (!ids)
		die("calloc");
	for (long i = 0; i < threads; i++) {
		errno = pthread_create(&ids[i], NULL, loop, NULL);
		if (errno)
			die("pthread_create");
	}
	for (long i = 0; i < threads; i++)
		pthread_join(ids[i], NULL);
	return 0;
}
