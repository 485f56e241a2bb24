/* The address guard of lib/http_client.c: a call limited to public addresses refuses, at connect
 * time, a name that resolves to loopback ("localhost") — nothing reaches the listener there —
 * and reaches it once loopback is allowed (test mode). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/http_client.h"

/* A TCP listener on 127.0.0.1 that never answers; fills port. */
static int listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(fd, 8), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    cr_assert_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
    return fd;
}

/* True when a connection is waiting on the listener (accepted and closed). */
static bool reached(int fd)
{
    int c = accept(fd, NULL, NULL);
    if (c < 0) {
        cr_assert(errno == EAGAIN || errno == EWOULDBLOCK, "accept: %s", strerror(errno));
        return false;
    }
    close(c);
    return true;
}

static bool call(int port, bool allow_loopback, struct http_answer *answer)
{
    char url[64];
    snprintf(url, sizeof(url), "https://localhost:%d/hooks", port);
    struct http_call c = {.method = "POST",
                          .url = url,
                          .body = "{}",
                          .body_len = 2,
                          .timeout_seconds = 2,
                          .public_only = true,
                          .allow_loopback = allow_loopback};
    return http_call(&c, answer);
}

Test(http_guard, a_name_resolving_to_loopback_is_refused_at_connect_time)
{
    int port, fd = listener(&port);
    struct http_answer answer;
    cr_assert_not(call(port, false, &answer));
    cr_expect_eq(answer.status, 0);
    cr_expect_not_null(strstr(answer.error, "refused to connect to a loopback address"), "%s",
                       answer.error);
    cr_expect_not(reached(fd), "the guarded call reached the listener");
    http_answer_free(&answer);
    close(fd);
}

Test(http_guard, loopback_is_reached_in_test_mode)
{
    int port, fd = listener(&port);
    struct http_answer answer;
    /* The listener never speaks TLS: the call times out, after connecting. */
    cr_assert_not(call(port, true, &answer));
    cr_expect_null(strstr(answer.error, "refused to connect"), "%s", answer.error);
    cr_expect(reached(fd), "the call in test mode did not reach the listener");
    http_answer_free(&answer);
    close(fd);
}
