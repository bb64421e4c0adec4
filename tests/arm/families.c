/* One call or two from each family whose decoder ARM must get right with 4-byte words:
 * net (socketpair), ipc (poll), time (nanosleep, which glibc sends through
 * clock_nanosleep on ARM), signal (sigprocmask, sigaction's struct). The ARM VMs trace
 * it with rtrace and the reference strace and compare the lines. */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void on_usr2(int sig)
{
    (void)sig;
}

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 1;
    if (write(sv[0], "ping", 4) != 4)
        return 2;
    struct pollfd ready = { .fd = sv[1], .events = POLLIN };
    if (poll(&ready, 1, 1000) != 1)
        return 3;
    char buf[8];
    if (read(sv[1], buf, sizeof buf) != 4)
        return 4;

    struct timespec pause_for = { .tv_sec = 0, .tv_nsec = 1000000 };
    if (nanosleep(&pause_for, NULL) != 0)
        return 5;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR2, &sa, NULL) != 0)
        return 6;
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    if (sigprocmask(SIG_BLOCK, &block, NULL) != 0)
        return 7;
    return 0;
}
