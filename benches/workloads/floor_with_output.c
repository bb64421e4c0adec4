/* The ptrace floor plus the least a tracer must do to print strace's lines: for the
 * calls the bench workloads make, read the tracee memory a line shows (one
 * process_vm_readv per pointer argument, as rtrace and strace do), format one line per
 * call (pid, syscall number, arguments in hex, the bytes read escaped, the result) with
 * stdio, and write it to a 64 KiB-buffered file. It decodes no flags and no struct
 * fields, so a tracer whose output matches strace's does more; what it costs over
 * ptrace_floor is a lower bound on what showing the calls costs on this machine. The
 * bench's "floor with output" configuration; see PERFORMANCE.md ("How close to the floor
 * a full trace can be").
 *
 * Usage: floor_with_output OUTFILE PROGRAM [ARGS]...
 *
 * Written for x86_64, where the bench runs; elsewhere it shows fewer calls' memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ptrace.h>
#include "traced_child.h"

#define MAX_TRACEES 4096

static void die(const char *what)
{
	traced_child_die("floor_with_output", what);
}

/* What a line of one syscall shows from tracee memory. */
enum shown { NOTHING, PATH0, PATH1, BUF1_AT_EXIT, BUF1_AT_ENTRY, STAT1, PATH0_STAT1,
	     PATH1_STAT2, SIGACTION, EXEC, DIRENTS, INT1_AT_EXIT };

static enum shown shown_by(long nr)
{
	switch (nr) {
	case SYS_read: case SYS_pread64: case SYS_getrandom:
#ifdef SYS_readlink
	case SYS_readlink:
#endif
		return BUF1_AT_EXIT;
	case SYS_write: case SYS_pwrite64:
		return BUF1_AT_ENTRY;
#ifdef SYS_open /* the calls below exist on x86_64, not on every architecture */
	case SYS_open: case SYS_access: case SYS_unlink: case SYS_mkdir:
		return PATH0;
	case SYS_stat: case SYS_lstat:
		return PATH0_STAT1;
#endif
	case SYS_chdir:
		return PATH0;
	case SYS_openat: case SYS_faccessat: case SYS_faccessat2: case SYS_unlinkat:
		return PATH1;
	case SYS_fstat:
		return STAT1;
	case SYS_newfstatat:
		return PATH1_STAT2;
	case SYS_rt_sigaction:
		return SIGACTION;
	case SYS_execve:
		return EXEC;
	case SYS_getdents64:
		return DIRENTS;
	case SYS_wait4:
		return INT1_AT_EXIT;
	default:
		return NOTHING;
	}
}

struct tracee {
	pid_t pid;
	unsigned long long nr, args[6];
};
static struct tracee tracees[MAX_TRACEES];

static struct tracee *tracee(pid_t pid)
{
	for (int i = 0; i < MAX_TRACEES; i++)
		if (tracees[i].pid == pid)
			return &tracees[i];
	for (int i = 0; i < MAX_TRACEES; i++)
		if (tracees[i].pid == 0) {
			tracees[i].pid = pid;
			return &tracees[i];
		}
	errno = ENOSPC;
	die("too many tracees");
	return NULL;
}

static FILE *out;

/* Reads up to `len` bytes at `addr` in one process_vm_readv and prints them quoted,
 * up to the first NUL when `string`, escaping as strace does for non-printable bytes. */
static void show_memory(pid_t pid, unsigned long long addr, size_t len, int string)
{
	unsigned char buf[256];
	if (len > sizeof buf)
		len = sizeof buf;
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (got <= 0) {
		fprintf(out, "%#llx", addr);
		return;
	}
	fputc('"', out);
	for (ssize_t i = 0; i < got && i < 32; i++) {
		unsigned char c = buf[i];
		if (string && c == 0)
			break;
		if (c >= ' ' && c < 0x7f && c != '"' && c != '\\')
			fputc(c, out);
		else
			fprintf(out, "\\%o", c);
	}
	fputc('"', out);
}

static void show_line(pid_t pid, struct tracee *t, long long ret)
{
	unsigned long long *a = t->args;
	fprintf(out, "%d syscall_%llu(", pid, t->nr);
	switch (shown_by(t->nr)) {
	case PATH0: show_memory(pid, a[0], 256, 1); break;
	case PATH1: show_memory(pid, a[1], 256, 1); break;
	case BUF1_AT_EXIT: if (ret > 0) show_memory(pid, a[1], ret, 0); break;
	case BUF1_AT_ENTRY: show_memory(pid, a[1], a[2], 0); break;
	case STAT1: show_memory(pid, a[1], 144, 0); break;
	case PATH0_STAT1: show_memory(pid, a[0], 256, 1); show_memory(pid, a[1], 144, 0); break;
	case PATH1_STAT2: show_memory(pid, a[1], 256, 1); show_memory(pid, a[2], 144, 0); break;
	case SIGACTION:
		if (a[1]) show_memory(pid, a[1], 32, 0);
		if (a[2]) show_memory(pid, a[2], 32, 0);
		break;
	case EXEC: show_memory(pid, a[0], 256, 1); show_memory(pid, a[1], 64, 0);
		show_memory(pid, a[2], 256, 0); break;
	case DIRENTS: if (ret > 0) show_memory(pid, a[1], ret, 0); break;
	case INT1_AT_EXIT: if (a[1]) show_memory(pid, a[1], 4, 0); break;
	case NOTHING: break;
	}
	fprintf(out, ", %#llx, %#llx, %#llx) = %lld\n", a[0], a[2], a[3], ret);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: floor_with_output OUTFILE PROGRAM [ARGS]...\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out)
		die(argv[1]);
	setvbuf(out, NULL, _IOFBF, 64 << 10);
	long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	pid_t child = start_traced("floor_with_output", argv + 2, options);

	int status;
	int exit_status = 125;
	struct ptrace_syscall_info info;
	pid_t pid;
	while ((pid = wait_tracee("floor_with_output", &status)) != 0) {
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				exit_status = exit_code_of(status);
			tracee(pid)->pid = 0;
			continue;
		}
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) < 0)
				die("PTRACE_GET_SYSCALL_INFO");
			struct tracee *t = tracee(pid);
			if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
				t->nr = info.entry.nr;
				memcpy(t->args, info.entry.args, sizeof t->args);
				/* execve's arguments are gone at its exit: shown at entry. */
				if (shown_by(t->nr) == EXEC)
					show_line(pid, t, 0);
			} else if (info.op == PTRACE_SYSCALL_INFO_EXIT && shown_by(t->nr) != EXEC) {
				show_line(pid, t, info.exit.rval);
			}
		}
		resume_tracee("floor_with_output", pid, status);
	}
	fclose(out);
	return exit_status;
}
