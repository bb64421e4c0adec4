/* Shared by the bench workloads: argument parsing and dying with one line. */
#ifndef BENCH_WORKLOAD_COMMON_H
#define BENCH_WORKLOAD_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static inline void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static inline void usage_exit(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(2);
}

static inline void check_argc(int argc, int wanted, const char *usage)
{
	if (argc != wanted)
		usage_exit(usage);
}

/* A positive count from argv, or exit with usage. */
static inline long count_arg(char **argv, int index, const char *usage)
{
	char *end;
	long value = strtol(argv[index], &end, 10);
	if (*argv[index] == '\0' || *end != '\0' || value <= 0)
		usage_exit(usage);
	return value;
}

#endif
