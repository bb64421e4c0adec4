/* Opens /etc/hostname, reads it and copies it to stdout: a dynamically linked program's
 * startup (the loader, libc, the ABI's TLS call) and one open, read and write. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    char buf[64];
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0)
        return 1;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0 || write(1, buf, (size_t)n) != n)
        return 2;
    return close(fd) == 0 ? 0 : 3;
}
