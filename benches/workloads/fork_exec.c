/* fork + exec + wait, many times: process creation under a tracer that follows children
 * (-f), the pattern of shells and build systems. */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *usage = "fork_exec TIMES PROGRAM";
	check_argc(argc, 3, usage);
	long times = count_arg(argv, 1, usage);
	for (long i = 0; i < times; i++) {
		pid_t child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			execl(argv[2], argv[2], (char *)NULL);
			_exit(127);
		}
		int status;
		if (waitpid(child, &status, 0) != child)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "workload: %s failed (status %#x)\n", argv[2], status);
			return 1;
		}
	}
	return 0;
}
