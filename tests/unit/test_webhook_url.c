/* Endpoint URLs as the API checks them: https, absolute, no user info, at most WEBHOOK_URL_MAX
 * characters, and no literal host of a network pli must not call (loopback in test mode only). */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/webhook_url.h"

static enum webhook_url_check check(const char *url)
{
    return webhook_url_check(url, false);
}

Test(webhook_url, https_names_pass)
{
    cr_expect_eq(check("https://hooks.example.com/pli"), WEBHOOK_URL_OK);
    cr_expect_eq(check("https://hooks.example.com:8443/a?b=c"), WEBHOOK_URL_OK);
    cr_expect_eq(check("HTTPS://93.184.216.34/x"), WEBHOOK_URL_OK);
    cr_expect_eq(check("https://[2001:db8::1]/x"), WEBHOOK_URL_OK);
}

Test(webhook_url, other_schemes_are_not_https)
{
    cr_expect_eq(check("http://hooks.example.com/pli"), WEBHOOK_URL_NOT_HTTPS);
    cr_expect_eq(check("ftp://hooks.example.com/pli"), WEBHOOK_URL_NOT_HTTPS);
    cr_expect_eq(check("file:///etc/passwd"), WEBHOOK_URL_INVALID); /* no host */
}

Test(webhook_url, relative_or_with_user_info_is_invalid)
{
    cr_expect_eq(check("/hooks/pli"), WEBHOOK_URL_INVALID);
    cr_expect_eq(check("hooks.example.com/pli"), WEBHOOK_URL_INVALID);
    cr_expect_eq(check("https://user:secret@hooks.example.com/"), WEBHOOK_URL_INVALID);
    cr_expect_eq(check("https://user@hooks.example.com/"), WEBHOOK_URL_INVALID);
    cr_expect_eq(check("https://"), WEBHOOK_URL_INVALID);
    cr_expect_eq(check(""), WEBHOOK_URL_INVALID);
}

Test(webhook_url, literal_hosts_of_other_networks_are_private)
{
    static const char *const refused[] = {
        "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.0.10/",
        "https://169.254.169.254/latest", "https://100.64.0.1/", "https://[fd00::1]/",
        "https://[fe80::1]/", "https://224.0.0.1/", "https://0.0.0.0/", "https://[::]/",
        "https://[::ffff:10.0.0.1]/", "https://127.0.0.1/", "https://127.1/", "https://[::1]/",
        "https://2130706433/", NULL};
    for (const char *const *u = refused; *u; u++)
        cr_expect_eq(check(*u), WEBHOOK_URL_PRIVATE, "%s", *u);
}

Test(webhook_url, loopback_only_in_test_mode)
{
    cr_expect_eq(webhook_url_check("https://127.0.0.1:8445/hooks/a", true), WEBHOOK_URL_OK);
    cr_expect_eq(webhook_url_check("https://[::1]/hooks/a", true), WEBHOOK_URL_OK);
    cr_expect_eq(webhook_url_check("https://10.0.0.1/hooks/a", true), WEBHOOK_URL_PRIVATE);
    cr_expect_eq(webhook_url_check("https://169.254.1.1/", true), WEBHOOK_URL_PRIVATE);
}

Test(webhook_url, length_limit)
{
    char url[WEBHOOK_URL_MAX + 2];
    const char *head = "https://hooks.example.com/";
    size_t n = strlen(head);
    memcpy(url, head, n);
    memset(url + n, 'a', WEBHOOK_URL_MAX - n);
    url[WEBHOOK_URL_MAX] = '\0';
    cr_expect_eq(check(url), WEBHOOK_URL_OK, "at the limit");
    url[WEBHOOK_URL_MAX] = 'a';
    url[WEBHOOK_URL_MAX + 1] = '\0';
    cr_expect_eq(check(url), WEBHOOK_URL_INVALID, "one over");
}
