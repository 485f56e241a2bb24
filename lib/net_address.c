#include "lib/net_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longest IPv6 literal inside brackets, with a zone id. */
#define NET_HOST_MAX 64

static const char *const names[NET_ADDRESS__MAX] = {
    [NET_ADDRESS_PUBLIC] = "public",
    [NET_ADDRESS_LOOPBACK] = "loopback",
    [NET_ADDRESS_PRIVATE] = "private",
    [NET_ADDRESS_LINK_LOCAL] = "link-local",
    [NET_ADDRESS_CGNAT] = "shared (CGNAT)",
    [NET_ADDRESS_UNIQUE_LOCAL] = "unique-local",
    [NET_ADDRESS_MULTICAST] = "multicast",
    [NET_ADDRESS_UNSPECIFIED] = "unspecified",
    [NET_ADDRESS_RESERVED] = "reserved",
    [NET_ADDRESS_UNKNOWN] = "unknown",
};

const char *net_address_class_name(enum net_address_class c)
{
    return c < NET_ADDRESS__MAX ? names[c] : "unknown";
}

/* An IPv4 address in host byte order. */
static enum net_address_class classify_v4(uint32_t a)
{
    if ((a >> 24) == 0)
        return NET_ADDRESS_UNSPECIFIED;
    if ((a >> 24) == 127)
        return NET_ADDRESS_LOOPBACK;
    if ((a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) || (a >> 16) == ((192u << 8) | 168u))
        return NET_ADDRESS_PRIVATE;
    if ((a >> 16) == ((169u << 8) | 254u))
        return NET_ADDRESS_LINK_LOCAL;
    if ((a >> 22) == ((100u << 2) | 1u))
        return NET_ADDRESS_CGNAT;
    if ((a >> 28) == 0xe)
        return NET_ADDRESS_MULTICAST;
    if ((a >> 28) == 0xf)
        return NET_ADDRESS_RESERVED;
    return NET_ADDRESS_PUBLIC;
}

static enum net_address_class classify_v6(const unsigned char b[16])
{
    static const unsigned char zeros[12] = {0};
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, zeros, 12) == 0 || memcmp(b, mapped, 12) == 0) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        bool compatible = memcmp(b, zeros, 12) == 0;
        if (compatible && v4 == 0)
            return NET_ADDRESS_UNSPECIFIED; /* :: */
        if (compatible && v4 == 1)
            return NET_ADDRESS_LOOPBACK; /* ::1 */
        return classify_v4(v4);
    }
    if (b[0] == 0xff)
        return NET_ADDRESS_MULTICAST;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return NET_ADDRESS_LINK_LOCAL;
    if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0))
        return NET_ADDRESS_UNIQUE_LOCAL;
    return NET_ADDRESS_PUBLIC;
}

enum net_address_class net_address_classify(const struct sockaddr *addr)
{
    if (!addr)
        return NET_ADDRESS_UNKNOWN;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)addr;
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)addr;
        return classify_v6(in6->sin6_addr.s6_addr);
    }
    return NET_ADDRESS_UNKNOWN;
}

enum net_address_class net_address_classify_host(const char *host)
{
    if (!host || !*host)
        return NET_ADDRESS_UNKNOWN;
    struct in_addr v4;
    if (inet_aton(host, &v4))
        return classify_v4(ntohl(v4.s_addr));
    char inner[NET_HOST_MAX];
    size_t len = strlen(host);
    if (len >= sizeof(inner))
        return NET_ADDRESS_UNKNOWN; /* longer than any IPv6 literal: a name */
    if (host[0] == '[' && len >= 2 && host[len - 1] == ']')
        snprintf(inner, sizeof(inner), "%.*s", (int)(len - 2), host + 1);
    else
        snprintf(inner, sizeof(inner), "%s", host);
    inner[strcspn(inner, "%")] = '\0'; /* a zone id ("fe80::1%eth0") names no other address */
    struct in6_addr v6;
    if (inet_pton(AF_INET6, inner, &v6) == 1)
        return classify_v6(v6.s6_addr);
    return NET_ADDRESS_UNKNOWN;
}

bool net_address_allowed(enum net_address_class c, bool allow_loopback)
{
    return c == NET_ADDRESS_PUBLIC || (c == NET_ADDRESS_LOOPBACK && allow_loopback);
}
