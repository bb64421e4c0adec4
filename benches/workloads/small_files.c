/* open/fstat/read/close of many small files, several passes: path arguments, a struct
 * out-argument and short reads, the mix of a build tool or a file indexer.
 * The files are DIR/0 .. DIR/(FILES-1), made by the bench beforehand. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	const char *usage = "small_files DIR FILES PASSES";
	check_argc(argc, 4, usage);
	long files = count_arg(argv, 2, usage);
	long passes = count_arg(argv, 3, usage);
	char path[4096];
	char buffer[4096];
	for (long pass = 0; pass < passes; pass++) {
		for (long i = 0; i < files; i++) {
			snprintf(path, sizeof path, "%s/%ld", argv[1], i);
			int fd = open(path, O_RDONLY);
			if (fd < 0)
				die(path);
			struct stat st;
			if (fstat(fd, &st) != 0)
				die("fstat");
			if (read(fd, buffer, sizeof buffer) < 0)
				die("read");
			close(fd);
		}
	}
	return 0;
}
