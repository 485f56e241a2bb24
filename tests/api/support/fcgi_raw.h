/* A bare FastCGI client on the pli-fcgi socket (PLI_SOCKET), bypassing nginx: lets a fault
 * test hold a connection a worker has accepted before it sends the request. */
#ifndef PLI_TEST_FCGI_RAW_H
#define PLI_TEST_FCGI_RAW_H

/* Connects to PLI_SOCKET; fails the test when it cannot. Returns the socket. */
int fcgi_raw_connect(void);
/* Sends a GET of path on fd and reads the answer for at most timeout_seconds. Returns the
 * HTTP status (200 when the answer has no Status line), or 0 when the connection was closed
 * or timed out without an answer. Closes fd. */
long fcgi_raw_get(int fd, const char *path, double timeout_seconds);
/* The same as if nginx had seen the request come from remote_addr (REMOTE_ADDR). */
long fcgi_raw_get_from(int fd, const char *path, const char *remote_addr,
                       double timeout_seconds);

#endif
