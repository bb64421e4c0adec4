/* Per-call cost of reading a stopped tracee's memory: process_vm_readv against pread on
 * a kept-open /proc/PID/mem, for 32-, 512- and 4096-byte reads. Each round times ITERS
 * reads of each kind, the order alternating between rounds; the best and mean per-read
 * times of 5 rounds are printed. Not part of `cargo xtask bench`; see PERFORMANCE.md.
 *
 *     gcc -O2 -o /tmp/proc_mem benches/experiments/proc_mem_vs_vm_readv.c
 *     taskset -c 0 /tmp/proc_mem [ITERS]      (default 100000)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char target[8192] __attribute__((aligned(4096)));
static char buf[4096];

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static double time_vm_readv(pid_t pid, size_t len, int iters)
{
	double start = now_ns();
	for (int i = 0; i < iters; i++) {
		struct iovec local = {buf, len}, remote = {target + (i & 7) * 8, len};
		if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)len) {
			perror("process_vm_readv");
			exit(1);
		}
	}
	return (now_ns() - start) / iters;
}

static double time_pread(int fd, size_t len, int iters)
{
	double start = now_ns();
	for (int i = 0; i < iters; i++) {
		off_t at = (off_t)(unsigned long)(target + (i & 7) * 8);
		if (pread(fd, buf, len, at) != (ssize_t)len) {
			perror("pread /proc/PID/mem");
			exit(1);
		}
	}
	return (now_ns() - start) / iters;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 100000;
	memset(target, 'x', sizeof target);
	pid_t child = fork();
	if (child == 0) {
		/* The tracee: same address space layout (fork), stopped for the whole run. */
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", child);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	const size_t sizes[] = {32, 512, 4096};
	for (int s = 0; s < 3; s++) {
		size_t len = sizes[s];
		double best_v = 1e18, best_p = 1e18, sum_v = 0, sum_p = 0;
		for (int round = 0; round < 5; round++) {
			double v, p;
			if (round % 2 == 0) {
				v = time_vm_readv(child, len, iters);
				p = time_pread(fd, len, iters);
			} else {
				p = time_pread(fd, len, iters);
				v = time_vm_readv(child, len, iters);
			}
			best_v = v < best_v ? v : best_v;
			best_p = p < best_p ? p : best_p;
			sum_v += v;
			sum_p += p;
		}
		printf("%4zu bytes: process_vm_readv best %4.0f ns, mean %4.0f | pread /proc/PID/mem best %4.0f ns, mean %4.0f | pread/vm_readv %.2f\n",
		       len, best_v, sum_v / 5, best_p, sum_p / 5, best_p / best_v);
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return 0;
}
