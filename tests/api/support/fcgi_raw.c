#include "support/fcgi_raw.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "support/stack.h"

#define FCGI_BEGIN_REQUEST 1
#define FCGI_END_REQUEST 3
#define FCGI_PARAMS 4
#define FCGI_STDIN 5
#define FCGI_STDOUT 6

int fcgi_raw_connect(void)
{
    const char *path = getenv("PLI_SOCKET");
    cr_assert_not_null(path, "PLI_SOCKET is not set");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    cr_assert_lt(strlen(path), sizeof(addr.sun_path));
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_geq(fd, 0);
    cr_assert_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "connect %s: %s",
                 path, strerror(errno));
    return fd;
}

/* Appends one record (content < 64 KiB, no padding) to buf at *len. */
static void add_record(unsigned char *buf, size_t *len, int type, const void *content,
                       size_t n)
{
    unsigned char h[8] = {1, (unsigned char)type, 0, 1, (unsigned char)(n >> 8),
                          (unsigned char)n, 0, 0};
    memcpy(buf + *len, h, 8);
    if (n > 0) /* the empty records that end a stream have no content at all */
        memcpy(buf + *len + 8, content, n);
    *len += 8 + n;
}

static void add_pair(unsigned char *buf, size_t *len, const char *name, const char *value)
{
    size_t a = strlen(name), b = strlen(value);
    buf[(*len)++] = (unsigned char)a; /* both under 128 bytes here */
    buf[(*len)++] = (unsigned char)b;
    memcpy(buf + *len, name, a);
    memcpy(buf + *len + a, value, b);
    *len += a + b;
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

/* The status from a CGI header block ("Status: 404 ..."), 200 when there is none. */
static long cgi_status(const char *head)
{
    const char *s = strcasestr(head, "Status:");
    return s ? strtol(s + 7, NULL, 10) : 200;
}

long fcgi_raw_get(int fd, const char *path, double timeout_seconds)
{
    return fcgi_raw_get_from(fd, path, "127.0.0.1", timeout_seconds);
}

long fcgi_raw_get_from(int fd, const char *path, const char *remote_addr,
                       double timeout_seconds)
{
    unsigned char params[1024], out[2048];
    size_t np = 0, no = 0;
    add_pair(params, &np, "REQUEST_METHOD", "GET");
    add_pair(params, &np, "DOCUMENT_URI", path);
    add_pair(params, &np, "REQUEST_URI", path);
    add_pair(params, &np, "QUERY_STRING", "");
    add_pair(params, &np, "REQUEST_ID", "fcgi-raw-test");
    add_pair(params, &np, "REMOTE_ADDR", remote_addr);
    static const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0}; /* responder */
    add_record(out, &no, FCGI_BEGIN_REQUEST, begin, sizeof(begin));
    add_record(out, &no, FCGI_PARAMS, params, np);
    add_record(out, &no, FCGI_PARAMS, NULL, 0);
    add_record(out, &no, FCGI_STDIN, NULL, 0);
    long status = 0;
    char stdout_text[4096] = "";
    size_t text_len = 0;
    unsigned char in[16384];
    size_t have = 0;
    double deadline = stack_now() + timeout_seconds;
    if (!send_all(fd, out, no))
        goto done;
    for (;;) {
        /* Parse whole records. */
        while (have >= 8) {
            size_t clen = ((size_t)in[4] << 8) | in[5], total = 8 + clen + in[6];
            if (have < total)
                break;
            if (in[1] == FCGI_STDOUT) {
                size_t room = sizeof(stdout_text) - 1 - text_len;
                size_t take = clen < room ? clen : room;
                memcpy(stdout_text + text_len, in + 8, take);
                text_len += take;
                stdout_text[text_len] = '\0';
            } else if (in[1] == FCGI_END_REQUEST) {
                status = text_len ? cgi_status(stdout_text) : 0;
                goto done;
            }
            memmove(in, in + total, have - total);
            have -= total;
        }
        double left = deadline - stack_now();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            goto done;
        ssize_t r = recv(fd, in + have, sizeof(in) - have, 0);
        if (r <= 0)
            goto done;
        have += (size_t)r;
    }
done:
    close(fd);
    return status;
}
