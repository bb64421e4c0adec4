/* Small writes to /dev/null: a syscall with a buffer argument the tracer prints. */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *usage = "devnull_write WRITES BYTES";
	check_argc(argc, 3, usage);
	long writes = count_arg(argv, 1, usage);
	long bytes = count_arg(argv, 2, usage);
	char *buffer = malloc(bytes);
	if (!buffer)
		die("malloc");
	memset(buffer, 'x', bytes);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		die("/dev/null");
	for (long i = 0; i < writes; i++)
		if (write(fd, buffer, bytes) != bytes)
			die("write");
	return 0;
}
