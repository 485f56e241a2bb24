/* The webhook settings read by lib/config.c: the default retry schedule is Standard Webhooks',
 * and PLI_WEBHOOK_RETRY_SCHEDULE, PLI_WEBHOOK_ENDPOINTS_MAX and PLI_WEBHOOK_TIMEOUT_SECONDS are
 * checked. Each test runs in its own process, so the environment it sets stays its own. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/config.h"
#include "lib/webhook_events.h"

static void clear(void)
{
    unsetenv("PLI_WEBHOOK_RETRY_SCHEDULE");
    unsetenv("PLI_WEBHOOK_ENDPOINTS_MAX");
    unsetenv("PLI_WEBHOOK_TIMEOUT_SECONDS");
    unsetenv("PLI_WEBHOOK_ALLOW_LOOPBACK");
    unsetenv("PLI_WEBHOOK_CA_FILE");
}

TestSuite(webhook_settings, .init = clear);

Test(webhook_settings, defaults_follow_standard_webhooks)
{
    struct config cfg;
    cr_assert(config_load(&cfg));
    /* After 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: 8 attempts in all. */
    static const int spec[] = {5, 300, 1800, 7200, 18000, 36000, 36000};
    cr_assert_eq(cfg.webhook_retry_count, 7);
    for (int i = 0; i < 7; i++)
        cr_expect_eq(cfg.webhook_retry_delays[i], spec[i], "retry %d", i + 1);
    cr_expect_eq(cfg.webhook_endpoints_max, 20);
    cr_expect_eq(cfg.webhook_timeout_seconds, 15);
    cr_expect_not(cfg.webhook_allow_loopback);
    cr_expect_null(cfg.webhook_ca_file);
}

Test(webhook_settings, a_schedule_is_read)
{
    setenv("PLI_WEBHOOK_RETRY_SCHEDULE", "1,2,86400", 1);
    setenv("PLI_WEBHOOK_ALLOW_LOOPBACK", "1", 1);
    struct config cfg;
    cr_assert(config_load(&cfg));
    cr_assert_eq(cfg.webhook_retry_count, 3);
    cr_expect_eq(cfg.webhook_retry_delays[0], 1);
    cr_expect_eq(cfg.webhook_retry_delays[1], 2);
    cr_expect_eq(cfg.webhook_retry_delays[2], 86400);
    cr_expect(cfg.webhook_allow_loopback);
}

Test(webhook_settings, a_schedule_has_at_most_twenty_retries)
{
    char list[256] = "1";
    for (int i = 1; i < CONFIG_WEBHOOK_RETRIES_MAX; i++)
        snprintf(list + 2 * i - 1, sizeof(list) - (size_t)(2 * i - 1), ",1");
    setenv("PLI_WEBHOOK_RETRY_SCHEDULE", list, 1);
    struct config cfg;
    cr_assert(config_load(&cfg), "%s", list);
    cr_expect_eq(cfg.webhook_retry_count, CONFIG_WEBHOOK_RETRIES_MAX);
    char over[260];
    snprintf(over, sizeof(over), "%s,1", list);
    setenv("PLI_WEBHOOK_RETRY_SCHEDULE", over, 1);
    cr_expect_not(config_load(&cfg), "%s", over);
}

Test(webhook_settings, bad_schedules_are_refused)
{
    static const char *const bad[] = {"", ",", "5,", ",5", "5,,5", "0", "-5", "+5", " 5",
                                      "5 ", "5;300", "86401", "abc", "5,x", NULL};
    for (const char *const *s = bad; *s; s++) {
        struct config cfg;
        setenv("PLI_WEBHOOK_RETRY_SCHEDULE", *s, 1);
        /* An empty value means the default, like every other setting. */
        cr_expect_eq(config_load(&cfg), **s == '\0', "\"%s\"", *s);
    }
}

/* Sets name to value and tells whether config_load takes it (then the setting is unset). */
static bool takes(const char *name, const char *value)
{
    struct config cfg;
    setenv(name, value, 1);
    bool ok = config_load(&cfg);
    unsetenv(name);
    return ok;
}

Test(webhook_settings, endpoint_limit_and_timeout_are_bounded)
{
    cr_expect(takes("PLI_WEBHOOK_ENDPOINTS_MAX", "1"));
    cr_expect_not(takes("PLI_WEBHOOK_ENDPOINTS_MAX", "0"));
    cr_expect(takes("PLI_WEBHOOK_ENDPOINTS_MAX", "1000"));
    cr_expect_not(takes("PLI_WEBHOOK_ENDPOINTS_MAX", "1001"));
    cr_expect(takes("PLI_WEBHOOK_TIMEOUT_SECONDS", "1"));
    cr_expect_not(takes("PLI_WEBHOOK_TIMEOUT_SECONDS", "0"));
    cr_expect(takes("PLI_WEBHOOK_TIMEOUT_SECONDS", "120"));
    cr_expect_not(takes("PLI_WEBHOOK_TIMEOUT_SECONDS", "121"));
    struct config cfg;
    setenv("PLI_WEBHOOK_ENDPOINTS_MAX", "7", 1);
    setenv("PLI_WEBHOOK_TIMEOUT_SECONDS", "30", 1);
    cr_assert(config_load(&cfg));
    cr_expect_eq(cfg.webhook_endpoints_max, 7);
    cr_expect_eq(cfg.webhook_timeout_seconds, 30);
}

Test(webhook_settings, event_types_name_every_delivery_status_after_pending)
{
    static const char *const statuses[] = {"deposited", "notified",  "accepted",
                                           "refused",   "negligence", "bounced",
                                           "delivered", "returned",  "failed"};
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        char type[64];
        snprintf(type, sizeof(type), "delivery.%s", statuses[i]);
        cr_expect(webhook_event_type_known(type), "%s", type);
    }
    cr_expect(webhook_event_type_known("letter.sending"));
    cr_expect(webhook_event_type_known("letter.pending_validation"));
    cr_expect(webhook_event_type_known("letter.rejected"));
    cr_expect_not(webhook_event_type_known("letter.draft"));
    cr_expect_not(webhook_event_type_known("delivery.pending"));
    cr_expect_not(webhook_event_type_known("delivery.*"));
    size_t n = 0;
    while (webhook_event_types[n])
        n++;
    cr_expect_eq(n, WEBHOOK_EVENT_TYPES);
}
