/* Counters that pli-jobs keeps in PostgreSQL (table metric_counters, one row per family and
 * label value) and GET /metrics reads: what happens in another process than the scrape's. */
#ifndef PLI_METRIC_COUNTERS_H
#define PLI_METRIC_COUNTERS_H

enum metric_counter {
    METRIC_EMAILS_SENT,
    METRIC_EMAILS_FAILED,
    METRIC_POP3_POLLS,
    METRIC_POP3_MESSAGES_ARCHIVED,
    METRIC_COUNTER__MAX
};

struct metric_counter_info {
    const char *family; /* the Prometheus family, also the row's name */
    const char *label;  /* the label the row's label value fills; NULL: the family has none */
    const char *help;
};

/* The family, label and help of a counter. */
const struct metric_counter_info *metric_counter_info(enum metric_counter c);

#endif
