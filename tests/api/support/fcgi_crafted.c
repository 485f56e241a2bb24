#include "support/fcgi_crafted.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/stack.h"

#define FCGI_BEGIN_REQUEST 1
#define FCGI_PARAMS 4
#define FCGI_STDIN 5
#define FCGI_STDOUT 6
#define FILLER_MAX 60000

/* Runs in the child: never returns. Reports {outcome, errno} on out. */
static void connect_as_child(const struct passwd *pw, const char *path, int out)
{
    int report[2] = {FCGI_AS_CANNOT_SWITCH, 0};
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct stat st;
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
        getuid() != pw->pw_uid) {
        report[1] = errno;
    } else if (stat(path, &st) != 0) {
        report[0] = FCGI_AS_UNREACHABLE;
        report[1] = errno;
    } else {
        memcpy(addr.sun_path, path, strlen(path) + 1);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
        report[0] = ok ? FCGI_AS_CONNECTED : FCGI_AS_REFUSED;
        report[1] = ok ? 0 : errno;
    }
    ssize_t w = write(out, report, sizeof(report));
    _exit(w == (ssize_t)sizeof(report) ? 0 : 1);
}

enum fcgi_as fcgi_connect_as(const char *user, int *err)
{
    const char *path = getenv("PLI_SOCKET");
    cr_assert_not_null(path, "PLI_SOCKET is not set");
    cr_assert_lt(strlen(path), sizeof(((struct sockaddr_un *)0)->sun_path));
    *err = 0;
    struct passwd *pw = getpwnam(user);
    if (!pw)
        return FCGI_AS_NO_SUCH_USER;
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        connect_as_child(pw, path, fds[1]);
    }
    close(fds[1]);
    int report[2] = {FCGI_AS_CANNOT_SWITCH, 0};
    ssize_t got = read(fds[0], report, sizeof(report));
    close(fds[0]);
    waitpid(pid, NULL, 0);
    cr_assert_eq(got, (ssize_t)sizeof(report), "the child connecting as %s reported nothing",
                 user);
    *err = report[1];
    return (enum fcgi_as)report[0];
}

static bool send_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Appends a record header (request id 1, no padding) for n bytes of content. */
static size_t header(unsigned char *out, int type, size_t n)
{
    unsigned char h[8] = {1, (unsigned char)type, 0, 1, (unsigned char)(n >> 8),
                          (unsigned char)n, 0, 0};
    memcpy(out, h, sizeof(h));
    return sizeof(h);
}

int fcgi_send_overflowing_params(int fd, int filler, double timeout_seconds)
{
    if (filler < 0 || filler > FILLER_MAX)
        filler = FILLER_MAX;
    static unsigned char out[FILLER_MAX + 64];
    size_t n = 0;
    static const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0}; /* responder */
    n += header(out + n, FCGI_BEGIN_REQUEST, sizeof(begin));
    memcpy(out + n, begin, sizeof(begin));
    n += sizeof(begin);
    /* 4-byte lengths (high bit set): name and value of 0x7fffffff bytes each, so that
     * nameLen + valueLen + 2 wraps around in ReadParams' int arithmetic. */
    static const unsigned char lengths[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    n += header(out + n, FCGI_PARAMS, sizeof(lengths) + (size_t)filler);
    memcpy(out + n, lengths, sizeof(lengths));
    n += sizeof(lengths);
    memset(out + n, 'A', (size_t)filler);
    n += (size_t)filler;
    n += header(out + n, FCGI_PARAMS, 0);
    n += header(out + n, FCGI_STDIN, 0);
    int result = -1;
    if (!send_all(fd, out, n)) {
        result = 1; /* closed while we were still sending */
        goto done;
    }
    double deadline = stack_now() + timeout_seconds;
    unsigned char in[4096];
    for (;;) {
        double left = deadline - stack_now();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            goto done;
        ssize_t r = recv(fd, in, sizeof(in), 0);
        if (r <= 0) {
            result = result == 0 ? 0 : 1;
            goto done;
        }
        if (r >= 2 && in[1] == FCGI_STDOUT)
            result = 0;
    }
done:
    close(fd);
    return result;
}
