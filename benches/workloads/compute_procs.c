/* WORKERS compute-bound processes (see compute.h), forked and waited for. */
#include <sys/wait.h>
#include "compute.h"

int main(int argc, char **argv)
{
	struct compute_args args = compute_args(argc, argv, "compute_procs " COMPUTE_USAGE_ARGS);
	for (long i = 0; i < args.workers; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(compute(args.rounds, args.spins, i + 1) == 42);
	}
	int failed = 0;
	for (long i = 0; i < args.workers; i++) {
		int status;
		if (wait(&status) < 0)
			die("wait");
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	return failed;
}
