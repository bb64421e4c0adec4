/* What a seccomp filter costs a program by itself: installs a filter that allows every
 * syscall, then execs the workload, with no tracer at all. Every syscall then takes the
 * kernel's seccomp path, which no --seccomp-bpf tracer can avoid; the bench reports the
 * ratio of this run to the untraced one next to the tracers' filtered runs.
 *
 * Usage: seccomp_allow PROGRAM [ARGS]... */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		usage_exit("seccomp_allow PROGRAM [ARGS]...");
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog program = { .len = 1, .filter = allow };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
		die("PR_SET_SECCOMP");
	execvp(argv[1], argv + 1);
	die(argv[1]);
}
