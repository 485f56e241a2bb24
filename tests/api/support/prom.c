#include "support/prom.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"

#define PT_LINE_MAX 4096

struct parser {
    struct pt_doc *d;
    int line;
    const char *family, *type; /* the family last opened */
    const char *help_for;      /* the family of the # HELP just read, waiting for its # TYPE */
    /* The histogram series being read: its labels without le, last le and count. */
    char series[PT_LINE_MAX];
    double last_le, last_bucket;
    bool in_buckets, want_sum, want_count;
};

static bool name_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
}

/* Length of a metric (or, without ':', label) name at s; 0 when there is none. */
static size_t name_len(const char *s, bool colon)
{
    size_t n = 0;
    while (name_char(s[n], n == 0) && (colon || s[n] != ':'))
        n++;
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static double parse_value(struct parser *p, const char *s)
{
    if (strcmp(s, "+Inf") == 0)
        return INFINITY;
    if (strcmp(s, "-Inf") == 0)
        return -INFINITY;
    if (strcmp(s, "NaN") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    cr_assert(*s && !*end && s[0] != ' ', "line %d: value '%s' is not a number", p->line, s);
    return v;
}

static void open_family(struct parser *p, const char *rest, bool help)
{
    size_t n = name_len(rest, true);
    cr_assert(n > 0 && rest[n] == ' ' && rest[n + 1], "line %d: # %s without name and text",
              p->line, help ? "HELP" : "TYPE");
    char *name = strndup(rest, n);
    const char *text = rest + n + 1;
    if (help) {
        cr_assert_null(p->help_for, "line %d: # HELP after # HELP without # TYPE", p->line);
        for (const char *c = text; *c; c++)
            if (*c == '\\') {
                cr_assert(c[1] == '\\' || c[1] == 'n', "line %d: bad escape in # HELP", p->line);
                c++;
            }
        p->help_for = name;
        return;
    }
    cr_assert(p->help_for && strcmp(p->help_for, name) == 0,
              "line %d: # TYPE %s not right after its # HELP", p->line, name);
    free((char *)p->help_for);
    p->help_for = NULL;
    cr_assert(!strcmp(text, "counter") || !strcmp(text, "gauge") || !strcmp(text, "histogram"),
              "line %d: type '%s'", p->line, text);
    cr_assert(strncmp(name, "pli_", 4) == 0, "line %d: %s lacks the pli_ prefix", p->line, name);
    cr_assert(strcmp(text, "counter") != 0 || ends_with(name, "_total"),
              "line %d: counter %s not named *_total", p->line, name);
    cr_assert_null(pt_type(p->d, name), "line %d: family %s opened twice", p->line, name);
    cr_assert_not(p->in_buckets || p->want_sum || p->want_count,
                  "line %d: histogram %s ends without its _sum and _count", p->line, p->family);
    struct pt_doc *d = p->d;
    d->families = realloc(d->families, sizeof(char *) * 2 * (d->n_families + 1));
    d->families[2 * d->n_families] = name;
    d->families[2 * d->n_families + 1] = strdup(text);
    p->family = name;
    p->type = d->families[2 * d->n_families + 1];
    d->n_families++;
}

/* Checks the label text {…} at s (after the brace); returns the length up to the closing brace.
 * *le receives the le value (malloc'd) when there is one; `rest` the labels without le. */
static size_t read_labels(struct parser *p, const char *s, char **le, char *rest, size_t size)
{
    size_t i = 0, used = 0;
    char seen[16][64];
    int n_seen = 0;
    *le = NULL;
    rest[0] = '\0';
    while (s[i] != '}') {
        size_t n = name_len(s + i, false);
        cr_assert(n > 0 && n < 64 && s[i + n] == '=' && s[i + n + 1] == '"',
                  "line %d: bad label at '%s'", p->line, s + i);
        for (int k = 0; k < n_seen; k++)
            cr_assert(strlen(seen[k]) != n || strncmp(seen[k], s + i, n) != 0,
                      "line %d: label %.*s twice", p->line, (int)n, s + i);
        cr_assert_lt(n_seen, 16);
        snprintf(seen[n_seen++], 64, "%.*s", (int)n, s + i);
        bool is_le = n == 2 && strncmp(s + i, "le", 2) == 0;
        size_t start = i;
        size_t v = i + n + 2, vstart = v;
        while (s[v] != '"') {
            cr_assert(s[v] && s[v] != '\n', "line %d: unterminated label value", p->line);
            if (s[v] == '\\') {
                cr_assert(s[v + 1] == '\\' || s[v + 1] == '"' || s[v + 1] == 'n',
                          "line %d: bad escape in a label value", p->line);
                v++;
            }
            v++;
        }
        if (is_le)
            *le = strndup(s + vstart, v - vstart);
        else {
            int w = snprintf(rest + used, size - used, "%s%.*s", used ? "," : "",
                             (int)(v + 1 - start), s + start);
            used += (size_t)w;
        }
        i = v + 1;
        if (s[i] == ',')
            i++;
        cr_assert(s[i] != '}' || s[i - 1] != ',', "line %d: trailing comma", p->line);
    }
    return i;
}

static void histogram_sample(struct parser *p, const char *name, const char *le, const char *rest,
                             double value)
{
    size_t f = strlen(p->family);
    const char *suffix = name + f;
    cr_assert(
        strncmp(name, p->family, f) == 0 &&
            (!strcmp(suffix, "_bucket") || !strcmp(suffix, "_sum") || !strcmp(suffix, "_count")),
        "line %d: %s in histogram %s", p->line, name, p->family);
    if (!strcmp(suffix, "_bucket")) {
        cr_assert_not_null(le, "line %d: bucket without le", p->line);
        double bound = parse_value(p, le);
        if (!p->in_buckets) {
            cr_assert_not(p->want_sum || p->want_count, "line %d: buckets before _sum/_count",
                          p->line);
            snprintf(p->series, sizeof(p->series), "%s", rest);
            p->in_buckets = true;
            p->last_le = -INFINITY;
            p->last_bucket = 0;
        }
        cr_assert_str_eq(rest, p->series, "line %d: buckets of two series mixed", p->line);
        cr_assert_gt(bound, p->last_le, "line %d: le not increasing", p->line);
        cr_assert_geq(value, p->last_bucket, "line %d: buckets not cumulative", p->line);
        p->last_le = bound;
        p->last_bucket = value;
        if (isinf(bound)) {
            p->in_buckets = false;
            p->want_sum = true;
        }
        return;
    }
    cr_assert_null(le, "line %d: le on %s", p->line, name);
    cr_assert_str_eq(rest, p->series, "line %d: %s of another series", p->line, name);
    if (!strcmp(suffix, "_sum")) {
        cr_assert(p->want_sum, "line %d: _sum without buckets ending at +Inf", p->line);
        p->want_sum = false;
        p->want_count = true;
        return;
    }
    cr_assert(p->want_count, "line %d: _count not right after _sum", p->line);
    cr_assert_eq(value, p->last_bucket, "line %d: _count %g but +Inf bucket %g", p->line, value,
                 p->last_bucket);
    p->want_count = false;
}

static void sample(struct parser *p, const char *s)
{
    cr_assert_not_null(p->family, "line %d: sample before any # TYPE", p->line);
    cr_assert_null(p->help_for, "line %d: sample between # HELP and # TYPE", p->line);
    size_t n = name_len(s, true);
    cr_assert_gt(n, 0, "line %d: no metric name", p->line);
    char *name = strndup(s, n);
    char *le = NULL, rest[PT_LINE_MAX];
    size_t i = n, labels_start = n, labels_len = 0;
    rest[0] = '\0';
    if (s[i] == '{') {
        labels_start = i + 1;
        labels_len = read_labels(p, s + i + 1, &le, rest, sizeof(rest));
        i = labels_start + labels_len + 1;
    }
    cr_assert(s[i] == ' ' && s[i + 1], "line %d: no value", p->line);
    double value = parse_value(p, s + i + 1);
    if (!strcmp(p->type, "histogram")) {
        histogram_sample(p, name, le, rest, value);
    } else {
        cr_assert_str_eq(name, p->family, "line %d: sample %s in family %s", p->line, name,
                         p->family);
        cr_assert_null(le, "line %d: le outside a histogram", p->line);
        if (!strcmp(p->type, "counter"))
            cr_assert(value >= 0 && !isinf(value), "line %d: counter %g", p->line, value);
    }
    free(le);
    struct pt_doc *d = p->d;
    d->samples = realloc(d->samples, sizeof(d->samples[0]) * (d->n + 1));
    d->samples[d->n++] = (struct pt_sample){name, strndup(s + labels_start, labels_len), value};
}

static int by_series(const void *a, const void *b)
{
    const struct pt_sample *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->labels, y->labels);
}

struct pt_doc *pt_parse(const char *text)
{
    struct parser p = {.d = calloc(1, sizeof(struct pt_doc))};
    size_t len = strlen(text);
    cr_assert(len > 0 && text[len - 1] == '\n', "the exposition does not end with a line feed");
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, "\n");
        cr_assert_lt(n, PT_LINE_MAX, "line %d is too long", p.line + 1);
        char line[PT_LINE_MAX];
        memcpy(line, s, n);
        line[n] = '\0';
        p.line++;
        cr_assert(n > 0, "line %d is empty", p.line);
        if (strncmp(line, "# HELP ", 7) == 0)
            open_family(&p, line + 7, true);
        else if (strncmp(line, "# TYPE ", 7) == 0)
            open_family(&p, line + 7, false);
        else
            sample(&p, line);
        s += n + 1;
    }
    cr_assert_null(p.help_for, "# HELP without # TYPE at the end");
    cr_assert_not(p.in_buckets || p.want_sum || p.want_count,
                  "the last histogram ends without its _sum and _count");
    /* No series twice. */
    struct pt_sample *sorted = malloc(sizeof(sorted[0]) * (p.d->n + 1));
    memcpy(sorted, p.d->samples, sizeof(sorted[0]) * p.d->n);
    qsort(sorted, p.d->n, sizeof(sorted[0]), by_series);
    for (size_t k = 1; k < p.d->n; k++)
        cr_assert(by_series(&sorted[k - 1], &sorted[k]) != 0, "series %s{%s} twice", sorted[k].name,
                  sorted[k].labels);
    free(sorted);
    return p.d;
}

struct pt_doc *pt_scrape(void)
{
    struct client c;
    client_init(&c);
    struct reply *r = client_send(&c, "GET", "/metrics", NULL, NULL);
    cr_assert_eq(r->status, 200, "GET /metrics: %ld %s", r->status, r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert_str_eq(type ? type : "", "text/plain; version=0.0.4; charset=utf-8");
    free(type);
    struct pt_doc *d = pt_parse(r->body);
    reply_free(r);
    return d;
}

void pt_free(struct pt_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->samples[i].name);
        free(d->samples[i].labels);
    }
    for (size_t i = 0; i < 2 * d->n_families; i++)
        free(d->families[i]);
    free(d->samples);
    free(d->families);
    free(d);
}

double pt_value(const struct pt_doc *d, const char *name, const char *labels, double missing)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->samples[i].name, name) && !strcmp(d->samples[i].labels, labels))
            return d->samples[i].value;
    return missing;
}

double pt_sum(const struct pt_doc *d, const char *name, const char *part)
{
    double sum = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->samples[i].name, name) && strstr(d->samples[i].labels, part))
            sum += d->samples[i].value;
    return sum;
}

const char *pt_type(const struct pt_doc *d, const char *family)
{
    for (size_t i = 0; i < d->n_families; i++)
        if (!strcmp(d->families[2 * i], family))
            return d->families[2 * i + 1];
    return NULL;
}
