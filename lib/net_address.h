/* What kind of network an IP address belongs to, for outbound calls to addresses that customers
 * choose (webhook endpoints): only public unicast addresses may be reached, loopback as well in
 * test mode. One classification serves the check of a URL's literal host and the check of the
 * address a connection is about to be opened to (which also covers names that resolve to such
 * addresses). */
#ifndef PLI_NET_ADDRESS_H
#define PLI_NET_ADDRESS_H

#include <stdbool.h>
#include <sys/socket.h>

enum net_address_class {
    NET_ADDRESS_PUBLIC,
    NET_ADDRESS_LOOPBACK,     /* 127/8, ::1 */
    NET_ADDRESS_PRIVATE,      /* 10/8, 172.16/12, 192.168/16 */
    NET_ADDRESS_LINK_LOCAL,   /* 169.254/16, fe80::/10 */
    NET_ADDRESS_CGNAT,        /* 100.64/10 (shared address space) */
    NET_ADDRESS_UNIQUE_LOCAL, /* fc00::/7, and the former site-local fec0::/10 */
    NET_ADDRESS_MULTICAST,    /* 224/4, ff00::/8 */
    NET_ADDRESS_UNSPECIFIED,  /* 0/8 ("this network"), :: */
    NET_ADDRESS_RESERVED,     /* 240/4 and the broadcast address */
    NET_ADDRESS_UNKNOWN,      /* not an IPv4 or IPv6 address */
    NET_ADDRESS__MAX
};

/* The class of an IPv4 or IPv6 socket address; an IPv4-mapped or IPv4-compatible IPv6 address
 * is classified as the IPv4 address it carries. */
enum net_address_class net_address_classify(const struct sockaddr *addr);
/* The class of a literal host as a URL writes it: IPv4 in any form inet_aton reads ("127.1",
 * "0x7f000001"), or IPv6 with or without brackets; NET_ADDRESS_UNKNOWN for a name. */
enum net_address_class net_address_classify_host(const char *host);
/* True when a call may go to an address of this class: public ones, and loopback when
 * allow_loopback is set (test mode). */
bool net_address_allowed(enum net_address_class c, bool allow_loopback);
/* A short English name of the class ("loopback", "private"...). */
const char *net_address_class_name(enum net_address_class c);

#endif
