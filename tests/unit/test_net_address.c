/* The classification of addresses for outbound calls: IPv4, IPv6, IPv4-mapped and -compatible
 * IPv6, literal hosts as URLs write them, and which classes may be called. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "lib/net_address.h"

static enum net_address_class v4(const char *text)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    cr_assert_eq(inet_pton(AF_INET, text, &a.sin_addr), 1, "%s", text);
    return net_address_classify((const struct sockaddr *)&a);
}

static enum net_address_class v6(const char *text)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    cr_assert_eq(inet_pton(AF_INET6, text, &a.sin6_addr), 1, "%s", text);
    return net_address_classify((const struct sockaddr *)&a);
}

Test(net_address, ipv4_ranges_and_their_edges)
{
    cr_expect_eq(v4("8.8.8.8"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("0.0.0.0"), NET_ADDRESS_UNSPECIFIED);
    cr_expect_eq(v4("0.255.255.255"), NET_ADDRESS_UNSPECIFIED);
    cr_expect_eq(v4("127.0.0.1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(v4("127.255.255.254"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(v4("10.0.0.1"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(v4("172.15.255.255"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("172.16.0.0"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(v4("172.31.255.255"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(v4("172.32.0.0"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("192.168.1.1"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(v4("192.169.0.1"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("169.254.169.254"), NET_ADDRESS_LINK_LOCAL);
    cr_expect_eq(v4("100.63.255.255"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("100.64.0.0"), NET_ADDRESS_CGNAT);
    cr_expect_eq(v4("100.127.255.255"), NET_ADDRESS_CGNAT);
    cr_expect_eq(v4("100.128.0.0"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v4("224.0.0.1"), NET_ADDRESS_MULTICAST);
    cr_expect_eq(v4("239.255.255.255"), NET_ADDRESS_MULTICAST);
    cr_expect_eq(v4("240.0.0.1"), NET_ADDRESS_RESERVED);
    cr_expect_eq(v4("255.255.255.255"), NET_ADDRESS_RESERVED);
    cr_expect_eq(v4("223.255.255.255"), NET_ADDRESS_PUBLIC);
}

Test(net_address, ipv6_ranges)
{
    cr_expect_eq(v6("2001:4860:4860::8888"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v6("::"), NET_ADDRESS_UNSPECIFIED);
    cr_expect_eq(v6("::1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(v6("fe80::1"), NET_ADDRESS_LINK_LOCAL);
    cr_expect_eq(v6("febf:ffff::1"), NET_ADDRESS_LINK_LOCAL);
    cr_expect_eq(v6("fec0::1"), NET_ADDRESS_UNIQUE_LOCAL);
    cr_expect_eq(v6("fc00::1"), NET_ADDRESS_UNIQUE_LOCAL);
    cr_expect_eq(v6("fdff:ffff::1"), NET_ADDRESS_UNIQUE_LOCAL);
    cr_expect_eq(v6("fe00::1"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v6("ff02::1"), NET_ADDRESS_MULTICAST);
}

Test(net_address, ipv4_inside_ipv6_is_classified_as_ipv4)
{
    cr_expect_eq(v6("::ffff:127.0.0.1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(v6("::ffff:10.1.2.3"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(v6("::ffff:169.254.169.254"), NET_ADDRESS_LINK_LOCAL);
    cr_expect_eq(v6("::ffff:100.64.1.1"), NET_ADDRESS_CGNAT);
    cr_expect_eq(v6("::ffff:0.0.0.0"), NET_ADDRESS_UNSPECIFIED);
    cr_expect_eq(v6("::ffff:8.8.8.8"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(v6("::127.0.0.1"), NET_ADDRESS_LOOPBACK); /* IPv4-compatible */
    cr_expect_eq(v6("::192.168.0.1"), NET_ADDRESS_PRIVATE);
}

Test(net_address, literal_hosts_in_every_spelling)
{
    cr_expect_eq(net_address_classify_host("127.0.0.1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("127.1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("2130706433"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("0x7f000001"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("012.0.0.1"), NET_ADDRESS_PRIVATE); /* octal 10 */
    cr_expect_eq(net_address_classify_host("[::1]"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("::1"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("[::ffff:192.168.0.1]"), NET_ADDRESS_PRIVATE);
    cr_expect_eq(net_address_classify_host("[::ffff:7f00:1]"), NET_ADDRESS_LOOPBACK);
    cr_expect_eq(net_address_classify_host("fe80::1%eth0"), NET_ADDRESS_LINK_LOCAL);
    cr_expect_eq(net_address_classify_host("93.184.216.34"), NET_ADDRESS_PUBLIC);
    cr_expect_eq(net_address_classify_host("hooks.example.com"), NET_ADDRESS_UNKNOWN);
    cr_expect_eq(net_address_classify_host("localhost"), NET_ADDRESS_UNKNOWN);
    cr_expect_eq(net_address_classify_host(""), NET_ADDRESS_UNKNOWN);
}

Test(net_address, only_public_addresses_and_loopback_in_test_mode_are_allowed)
{
    for (int c = 0; c < NET_ADDRESS__MAX; c++) {
        cr_expect_eq(net_address_allowed((enum net_address_class)c, false),
                     c == NET_ADDRESS_PUBLIC, "%s", net_address_class_name(c));
        cr_expect_eq(net_address_allowed((enum net_address_class)c, true),
                     c == NET_ADDRESS_PUBLIC || c == NET_ADDRESS_LOOPBACK, "%s",
                     net_address_class_name(c));
    }
}
