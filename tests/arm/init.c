/* PID 1 of the ARM test VM (`cargo xtask test-arm`).
 *
 * Mounts /proc, /dev and /tmp, then runs the cases of /etc/rtrace-checks (see
 * checks.txt beside this file): each `run` line is a command whose stdout and stderr go to
 * /tmp/out; each `expect` line is an fnmatch(3) pattern (without backslash escapes, so
 * strace's `\n` is written as is) that some line of /tmp/trace or /tmp/out must match. It prints every matched line, one line per failed expectation,
 * `N passed, M failed`, and powers the machine off. Static, so it needs no loader. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECKS "/etc/rtrace-checks"
#define TRACE "/tmp/trace"
#define OUT "/tmp/out"
#define MAX_ARGS 32

static int passed, failed;

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

/* Runs argv with stdout and stderr sent to OUT; returns the wait status or -1. */
static int run(char **argv)
{
    unlink(TRACE);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            _exit(126);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execv(argv[0], argv);
        dprintf(2, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

/* Prints the first line of `path` matching `pattern`; returns 1 if there is one. */
static int find_line(const char *path, const char *pattern)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (fnmatch(pattern, line, FNM_NOESCAPE) == 0) {
            printf("  ok: %s\n", line);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

static void expect(const char *pattern, int ran)
{
    if (ran && (find_line(TRACE, pattern) || find_line(OUT, pattern))) {
        passed++;
        return;
    }
    failed++;
    printf("  FAIL: no line matches `%s`\n", pattern);
}

/* Shows what the failed case printed, so the console log explains the failure. */
static void dump(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[4096];
    printf("  --- %s ---\n", path);
    while (fgets(line, sizeof line, f))
        printf("  | %s", line);
    fclose(f);
}

int main(void)
{
    mount_or_warn("proc", "/proc");
    mount_or_warn("devtmpfs", "/dev");
    mount_or_warn("tmpfs", "/tmp");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("init: rtrace ARM checks\n");

    /* Close-on-exec: the traced programs must start with only 0, 1 and 2 open. */
    FILE *checks = fopen(CHECKS, "re");
    if (!checks) {
        printf("init: cannot open %s: %s\n0 passed, 1 failed\n", CHECKS, strerror(errno));
        power_off();
    }
    char line[4096];
    int ran = 0, case_failed_before = 0;
    while (fgets(line, sizeof line, checks)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "run ", 4) == 0) {
            if (failed > case_failed_before) {
                dump(OUT);
                dump(TRACE);
            }
            case_failed_before = failed;
            printf("case: %s\n", line + 4);
            char *args[MAX_ARGS + 1];
            int n = 0;
            for (char *tok = strtok(line + 4, " "); tok && n < MAX_ARGS; tok = strtok(NULL, " "))
                args[n++] = tok;
            args[n] = NULL;
            int status = run(args);
            ran = status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) >= 126);
            if (!ran)
                printf("  command did not run (status %d)\n", status);
        } else if (strncmp(line, "expect ", 7) == 0) {
            expect(line + 7, ran);
        }
    }
    if (failed > case_failed_before) {
        dump(OUT);
        dump(TRACE);
    }
    fclose(checks);
    printf("%d passed, %d failed\n", passed, failed);
    power_off();
}
