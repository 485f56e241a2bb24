/* An allow list of client addresses: IPv4 and IPv6 addresses or CIDR blocks, as nginx's
 * `allow` takes them ("127.0.0.1 ::1 10.0.0.0/8"). */
#ifndef PLI_ADDR_ALLOW_H
#define PLI_ADDR_ALLOW_H

#include <stdbool.h>

/* The most entries one list holds (PLI_METRICS_ALLOW). */
#define ADDR_ALLOW_MAX 16

struct addr_block {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char bytes[16]; /* network byte order; 4 used for AF_INET */
    int prefix;              /* leading bits that must match */
};

struct addr_allow {
    struct addr_block blocks[ADDR_ALLOW_MAX];
    int n;
};

/* Parses a space-separated list; false (list left empty) on an unreadable entry, a prefix out of
 * range, an empty list or more than ADDR_ALLOW_MAX entries. */
bool addr_allow_parse(const char *text, struct addr_allow *out);
/* True when the textual address (REMOTE_ADDR) falls in one of the blocks; an IPv4-mapped IPv6
 * address is compared as IPv4. NULL or unreadable addresses are not allowed. */
bool addr_allow_match(const struct addr_allow *list, const char *address);

#endif
