#include "lib/metric_counters.h"

#include <stddef.h>

static const struct metric_counter_info counters[METRIC_COUNTER__MAX] = {
    [METRIC_EMAILS_SENT] = {"pli_emails_sent_total", "kind",
                            "E-mails the SMTP server accepted, by kind of e-mail."},
    [METRIC_EMAILS_FAILED] = {"pli_emails_failed_total", "kind",
                              "E-mail attempts that failed (retried later or refused for good), "
                              "by kind of e-mail."},
    [METRIC_POP3_POLLS] = {"pli_pop3_polls_total", "result",
                           "Polls of archive mailboxes over POP3, by result (done or failed)."},
    [METRIC_POP3_MESSAGES_ARCHIVED] = {"pli_pop3_messages_archived_total", NULL,
                                       "Messages taken from archive mailboxes and archived."},
};

const struct metric_counter_info *metric_counter_info(enum metric_counter c)
{
    return &counters[c];
}
