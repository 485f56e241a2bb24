/* The allow list of GET /metrics (PLI_METRICS_ALLOW): addresses, CIDR blocks, limits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/addr_allow.h"

Test(addr_allow, default_list_is_loopback_only)
{
    struct addr_allow a;
    cr_assert(addr_allow_parse("127.0.0.1 ::1", &a));
    cr_assert_eq(a.n, 2);
    cr_assert(addr_allow_match(&a, "127.0.0.1"));
    cr_assert(addr_allow_match(&a, "::1"));
    cr_assert(addr_allow_match(&a, "::ffff:127.0.0.1"));
    cr_assert_not(addr_allow_match(&a, "127.0.0.2"));
    cr_assert_not(addr_allow_match(&a, "10.0.0.1"));
    cr_assert_not(addr_allow_match(&a, "::2"));
    cr_assert_not(addr_allow_match(&a, ""));
    cr_assert_not(addr_allow_match(&a, NULL));
    cr_assert_not(addr_allow_match(&a, "127.0.0.1 "));
    cr_assert_not(addr_allow_match(&a, "localhost"));
}

Test(addr_allow, cidr_blocks_match_by_prefix)
{
    struct addr_allow a;
    cr_assert(addr_allow_parse("  10.0.0.0/8\t192.168.1.128/25 fd00::/8  ", &a));
    cr_assert_eq(a.n, 3);
    cr_assert(addr_allow_match(&a, "10.255.1.2"));
    cr_assert_not(addr_allow_match(&a, "11.0.0.1"));
    cr_assert(addr_allow_match(&a, "192.168.1.128"));
    cr_assert(addr_allow_match(&a, "192.168.1.255"));
    cr_assert_not(addr_allow_match(&a, "192.168.1.127"));
    cr_assert(addr_allow_match(&a, "fd12:3456::1"));
    cr_assert_not(addr_allow_match(&a, "fe80::1"));
    cr_assert(addr_allow_match(&a, "::ffff:10.1.2.3"));
    cr_assert(addr_allow_parse("0.0.0.0/0", &a));
    cr_assert(addr_allow_match(&a, "203.0.113.9"));
    cr_assert_not(addr_allow_match(&a, "2001:db8::1"));
}

Test(addr_allow, bad_lists_are_refused_and_left_empty)
{
    struct addr_allow a;
    static const char *const bad[] = {
        "",          "   ",         "localhost",   "10.0.0.0/33", "::/129",
        "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "1.2.3",       "127.0.0.1;deny",
        "/8"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_not(addr_allow_parse(bad[i], &a), "'%s' accepted", bad[i]);
        cr_assert_eq(a.n, 0);
        cr_assert_not(addr_allow_match(&a, "127.0.0.1"));
    }
    cr_assert_not(addr_allow_parse(NULL, &a));
}

/* ADDR_ALLOW_MAX entries are taken; one more is refused. */
Test(addr_allow, at_most_the_limit_of_entries)
{
    char text[ADDR_ALLOW_MAX * 20 + 32] = "";
    size_t used = 0;
    for (int i = 0; i < ADDR_ALLOW_MAX; i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, "10.0.0.%d ", i + 1);
    struct addr_allow a;
    cr_assert(addr_allow_parse(text, &a));
    cr_assert_eq(a.n, ADDR_ALLOW_MAX);
    cr_assert(addr_allow_match(&a, "10.0.0.16"));
    snprintf(text + used, sizeof(text) - used, "10.0.0.99");
    cr_assert_not(addr_allow_parse(text, &a));
    cr_assert_eq(a.n, 0);
}
