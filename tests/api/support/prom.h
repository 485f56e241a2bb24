/* GET /metrics read strictly: a parser of the Prometheus text exposition format (0.0.4) written
 * for the tests, which fails the test (Criterion) naming the line at any departure from it:
 * every family opened by # HELP then # TYPE (once), every sample `name{labels} value` of the
 * family last opened, label values quoted with only \\, \" and \n escaped, no series twice,
 * counters named *_total, histogram buckets in increasing `le` order, cumulative, ending at
 * +Inf, followed by _sum and _count with +Inf == _count. Every name starts with pt_. */
#ifndef PLI_TEST_PROM_H
#define PLI_TEST_PROM_H

#include <stddef.h>

struct pt_sample {
    char *name;
    char *labels; /* the text between the braces as written ("" when none) */
    double value;
};

struct pt_doc {
    struct pt_sample *samples;
    size_t n;
    char **families; /* name, then type, for each family */
    size_t n_families;
};

/* Parses an exposition (see above); the caller frees it with pt_free. */
struct pt_doc *pt_parse(const char *text);
/* Scrapes GET /metrics through nginx, asserts 200 with Content-Type
 * text/plain; version=0.0.4; charset=utf-8, and parses it. */
struct pt_doc *pt_scrape(void);
void pt_free(struct pt_doc *d);
/* The value of the sample with exactly this name and label text; `missing` when absent. */
double pt_value(const struct pt_doc *d, const char *name, const char *labels, double missing);
/* The sum of the samples of name whose label text holds `part` (e.g. "channel=\"postal\""). */
double pt_sum(const struct pt_doc *d, const char *name, const char *part);
/* The type a family was given (# TYPE), or NULL when the exposition has no such family. */
const char *pt_type(const struct pt_doc *d, const char *family);

#endif
