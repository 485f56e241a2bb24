/* libfcgi's CVE-2025-23016 seen from outside: who may reach the pli-fcgi socket (PLI_SOCKET),
 * and the crafted PARAMS record whose name and value lengths overflow ReadParams' arithmetic. */
#ifndef PLI_TEST_FCGI_CRAFTED_H
#define PLI_TEST_FCGI_CRAFTED_H

/* What a connection attempt as another user gave. */
enum fcgi_as {
    FCGI_AS_CONNECTED,   /* connect succeeded */
    FCGI_AS_REFUSED,     /* connect failed; *err holds its errno */
    FCGI_AS_UNREACHABLE, /* the socket's path cannot even be looked up (*err: stat's errno) */
    FCGI_AS_NO_SUCH_USER,
    FCGI_AS_CANNOT_SWITCH /* setgid/setuid failed (we are not root) */
};

/* Switches to user (all its groups dropped but its primary one) in a child process, then
 * connects to PLI_SOCKET. */
enum fcgi_as fcgi_connect_as(const char *user, int *err);

/* Sends BEGIN_REQUEST, then a PARAMS record that declares a name and a value of 0x7fffffff
 * bytes each followed by `filler` bytes, then the end of PARAMS and STDIN, and reads until the
 * peer closes or timeout_seconds pass. Returns 1 when it closed without a FastCGI STDOUT
 * answer, 0 when something was answered, -1 on timeout. Closes fd. */
int fcgi_send_overflowing_params(int fd, int filler, double timeout_seconds);

#endif
