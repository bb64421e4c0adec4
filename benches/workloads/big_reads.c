/* Large reads of a cached file: few syscalls, much data; a tracer that copies or
 * hex-dumps buffers pays here, one that prints a bounded prefix does not. */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

enum { CHUNK = 64 * 1024 };

int main(int argc, char **argv)
{
	const char *usage = "big_reads FILE PASSES";
	check_argc(argc, 3, usage);
	long passes = count_arg(argv, 2, usage);
	static char buffer[CHUNK];
	for (long pass = 0; pass < passes; pass++) {
		int fd = open(argv[1], O_RDONLY);
		if (fd < 0)
			die(argv[1]);
		ssize_t got;
		while ((got = read(fd, buffer, CHUNK)) > 0)
			;
		if (got < 0)
			die("read");
		close(fd);
	}
	return 0;
}
