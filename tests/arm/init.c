/* PID 1 of the ARM test VMs (`cargo xtask test-arm`).
 *
 * Mounts /proc, /dev and /tmp, brings the loopback interface up, loads the kernel
 * modules listed in /etc/rtrace-modules (one path a line, each after those it needs;
 * compressed, as Debian ships them: the kernel decompresses them), then runs every line of
 * /etc/rtrace-plan, written by xtask: `ID LABEL COMMAND...`, a tracer's whole command
 * line (split on spaces), e.g.
 * `armhf/fileops rtrace /bin/rtrace -f -o /tmp/trace /bin/armhf/fileops /tmp/w`; or, with
 * the label `unit-tests`, a unit-test executable and its arguments, run the same way.
 *
 * Each run starts from the same state, so that the two tracers' runs of a program differ
 * only in what the tracers do: /tmp/w is emptied; the command runs in new pid, IPC and
 * mount namespaces (no kernel thread takes a pid there; System V ids start over; /proc
 * is the run's own), where the next pid is set (ns_last_pid) so that the traced program
 * starts as pid TRACEE_PID under either tracer (each tracer makes its own number of
 * processes before its tracee: strace forks probes; init measures that once per tracer
 * in a first run whose output it drops). Its stdout and stderr go to
 * /tmp/out, stdin is /dev/null. init then prints, on the console, the trace file and the
 * output between markers the host reads back:
 *
 *   @@run ID LABEL
 *   |a line of /tmp/trace          (each line, as is, after `|`)
 *   >a line of /tmp/out
 *   @@end ID LABEL exit=N|signal=N|timeout|error lines=M
 *
 * `lines=M` counts the `|` lines, so the host can tell a complete trace from one cut
 * short. After the last run it prints `@@done N` (runs made) and powers the machine off.
 * The host compares the traces; nothing is judged here. Static, so it needs no loader. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PLAN "/etc/rtrace-plan"
#define TRACE "/tmp/trace"
#define OUT "/tmp/out"
#define RUN_DIR "/tmp/w"
#define MAX_ARGS 32
/* A run that takes longer has hung: its process group is killed. */
#define RUN_TIMEOUT_SECONDS 120
/* Lines with this label run a unit-test executable, not a tracer: they start at
 * TRACEE_PID with no first run to count a tracer's pids (their pids are not compared). */
#define UNIT_TESTS_LABEL "unit-tests"
#define MODULES "/etc/rtrace-modules"
/* The pid every traced program starts with. */
#define TRACEE_PID 2000
/* Where a tracer is started to measure how many pids it uses before its tracee. */
#define PROBE_FIRST_PID 1000
#define MAX_TRACERS 8

static void power_off(void)
{
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    /* Not reached unless reboot failed; PID 1 must not exit. */
    for (;;)
        pause();
}

static void mount_or_warn(const char *type, const char *dir)
{
    mkdir(dir, 0755);
    if (mount(type, dir, type, 0, NULL) < 0)
        printf("init: cannot mount %s on %s: %s\n", type, dir, strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* The fixtures connect to 127.0.0.1: the kernel creates `lo` down. */
static void loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        printf("init: cannot read the flags of lo: %s\n", strerror(errno));
    } else {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
            printf("init: cannot bring lo up: %s\n", strerror(errno));
    }
    if (fd >= 0)
        close(fd);
}

/* finit_module's flag for a compressed file (linux/module.h, Linux 5.17). */
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* Loads each module of MODULES, in order; a failure is printed (the checks that need
 * the module then fail with their own reason). */
static void load_modules(void)
{
    FILE *list = fopen(MODULES, "re");
    if (!list) {
        printf("init: cannot open %s: %s\n", MODULES, strerror(errno));
        return;
    }
    char path[512];
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = '\0';
        if (!*path)
            continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || syscall(SYS_finit_module, fd, "", MODULE_INIT_COMPRESSED_FILE) < 0)
            printf("init: cannot load %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    fclose(list);
}

/* The next process created gets pid `next`. */
static void set_next_pid(int next)
{
    char text[16];
    int len = snprintf(text, sizeof text, "%d", next - 1);
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, (size_t)len) < 0)
        printf("init: cannot set ns_last_pid: %s\n", strerror(errno));
    if (fd >= 0)
        close(fd);
}

/* The pid the first line of TRACE starts with (`-f -o FILE` prefixes every line with it),
 * or -1. */
static int first_traced_pid(void)
{
    FILE *f = fopen(TRACE, "re");
    if (!f)
        return -1;
    int pid = -1;
    if (fscanf(f, "%d", &pid) != 1)
        pid = -1;
    fclose(f);
    return pid;
}

/* An empty RUN_DIR, so each run starts from the same state. */
static void fresh_run_dir(void)
{
    if (nftw(RUN_DIR, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
        printf("init: cannot empty %s: %s\n", RUN_DIR, strerror(errno));
    if (mkdir(RUN_DIR, 0755) < 0)
        printf("init: cannot create %s: %s\n", RUN_DIR, strerror(errno));
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

/* In the run's own namespaces: pid 1 of the new pid namespace. It mounts that
 * namespace's /proc (so the tracers' /proc/PID means their own PIDs), starts the tracer
 * as pid `first_pid`, reaps whatever is orphaned to it until the tracer ends, and writes
 * the tracer's wait status to `status_fd`. The tracer is not pid 1 itself: a namespace's
 * init ignores the signals it has no handler for, and a tracer re-raises its tracee's
 * fatal signal to die of it. */
static void namespace_init(char **argv, int first_pid, int status_fd)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("proc", "/proc", "proc", 0, NULL) < 0)
        dprintf(2, "init: cannot mount the run's /proc: %s\n", strerror(errno));
    set_next_pid(first_pid);
    pid_t tracer = fork();
    if (tracer < 0)
        _exit(125);
    if (tracer == 0) {
        execv(argv[0], argv);
        dprintf(2, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    for (;;) {
        pid_t got = waitpid(-1, &status, __WALL);
        if (got == tracer)
            break;
        if (got < 0 && errno != EINTR)
            _exit(125);
    }
    if (write(status_fd, &status, sizeof status) != sizeof status)
        _exit(125);
    _exit(0);
}

/* Runs argv, stdout and stderr to OUT, in new pid, IPC and mount namespaces (see
 * namespace_init) with its first process at pid `first_pid` of its pid namespace;
 * returns the wait status, or -1 when it could not be started or did not end in time
 * (then killed). */
static int run(char **argv, int first_pid)
{
    unlink(TRACE);
    fresh_run_dir();
    fflush(stdout);
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setpgid(0, 0);
        int in = open("/dev/null", O_RDONLY);
        int out = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        close(in);
        close(out);
        if (unshare(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS) < 0) {
            dprintf(2, "init: cannot make the run's namespaces: %s\n", strerror(errno));
            _exit(126);
        }
        pid_t ns_init = fork();
        if (ns_init < 0)
            _exit(126);
        if (ns_init == 0)
            namespace_init(argv, first_pid, status_pipe[1]);
        int ns_status;
        waitpid(ns_init, &ns_status, 0);
        _exit(WIFEXITED(ns_status) ? WEXITSTATUS(ns_status) : 125);
    }
    close(status_pipe[1]);
    timed_out = 0;
    alarm(RUN_TIMEOUT_SECONDS);
    int status;
    for (;;) {
        pid_t got = waitpid(pid, &status, 0);
        if (got == pid)
            break;
        if (got < 0 && errno == EINTR && timed_out) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            alarm(0);
            close(status_pipe[0]);
            return -1;
        }
        if (got < 0 && errno != EINTR) {
            alarm(0);
            close(status_pipe[0]);
            return -1;
        }
    }
    alarm(0);
    int tracer_status;
    ssize_t got = read(status_pipe[0], &tracer_status, sizeof tracer_status);
    close(status_pipe[0]);
    if (got != sizeof tracer_status) {
        printf("init: the run of %s reported no status (exit %d)\n", argv[0],
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return tracer_status;
}

/* Prints each line of `path` after `mark`; returns the number of lines. */
static int print_lines(const char *path, char mark)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    char line[8192];
    int count = 0, at_line_start = 1;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        /* A line longer than the buffer continues without a new mark. */
        if (at_line_start) {
            putchar(mark);
            count++;
        }
        fputs(line, stdout);
        at_line_start = len > 0 && line[len - 1] == '\n';
    }
    if (!at_line_start)
        putchar('\n');
    fclose(f);
    return count;
}

/* Tracers seen, and how many pids each uses before its tracee's. */
static struct {
    char path[256];
    int pids_before_tracee;
} tracers[MAX_TRACERS];
static int tracer_count;

/* The pid to start `argv`'s tracer with so that its tracee gets TRACEE_PID. The first
 * time a tracer is met, a run of this same command, whose output is dropped, shows how
 * many pids it uses first. */
static int tracer_start_pid(char **argv)
{
    for (int i = 0; i < tracer_count; i++)
        if (strcmp(tracers[i].path, argv[0]) == 0)
            return TRACEE_PID - tracers[i].pids_before_tracee;
    run(argv, PROBE_FIRST_PID);
    int traced = first_traced_pid();
    int before = traced > PROBE_FIRST_PID ? traced - PROBE_FIRST_PID : 1;
    if (traced <= PROBE_FIRST_PID)
        printf("init: no pid in the first trace of %s; assuming it forks its tracee first\n",
               argv[0]);
    printf("init: %s uses %d pid(s) before its tracee\n", argv[0], before);
    if (tracer_count < MAX_TRACERS) {
        snprintf(tracers[tracer_count].path, sizeof tracers[tracer_count].path, "%s", argv[0]);
        tracers[tracer_count++].pids_before_tracee = before;
    }
    return TRACEE_PID - before;
}

int main(void)
{
    mount_or_warn("proc", "/proc");
    mount_or_warn("devtmpfs", "/dev");
    mount_or_warn("tmpfs", "/tmp");
    loopback_up();
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    struct sigaction alarm_action = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &alarm_action, NULL);
    printf("init: rtrace ARM runs\n");
    load_modules();

    /* Close-on-exec: the traced programs must start with only 0, 1 and 2 open. */
    FILE *plan = fopen(PLAN, "re");
    if (!plan) {
        printf("init: cannot open %s: %s\n@@done 0\n", PLAN, strerror(errno));
        power_off();
    }
    char line[4096];
    int runs = 0;
    while (fgets(line, sizeof line, plan)) {
        line[strcspn(line, "\n")] = '\0';
        char *args[MAX_ARGS + 1];
        int n = 0;
        for (char *tok = strtok(line, " "); tok && n < MAX_ARGS; tok = strtok(NULL, " "))
            args[n++] = tok;
        args[n] = NULL;
        if (n < 3)
            continue;
        const char *id = args[0], *label = args[1];
        int first_pid =
            strcmp(label, UNIT_TESTS_LABEL) == 0 ? TRACEE_PID : tracer_start_pid(args + 2);
        int status = run(args + 2, first_pid);
        runs++;
        printf("@@run %s %s\n", id, label);
        int lines = print_lines(TRACE, '|');
        print_lines(OUT, '>');
        printf("@@end %s %s ", id, label);
        if (status == -1)
            printf(timed_out ? "timeout" : "error");
        else if (WIFEXITED(status))
            printf("exit=%d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
            printf("signal=%d", WTERMSIG(status));
        else
            printf("error");
        printf(" lines=%d\n", lines);
        fflush(stdout);
    }
    fclose(plan);
    printf("@@done %d\n", runs);
    power_off();
}
