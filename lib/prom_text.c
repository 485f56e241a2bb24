#include "lib/prom_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PROM_TEXT_FIRST_SIZE 16384

void prom_text_init(struct prom_text *t, struct arena *arena, size_t cap)
{
    memset(t, 0, sizeof(*t));
    t->arena = arena;
    t->cap = cap;
}

/* Makes room for n more bytes, doubling the buffer up to the cap. */
static bool reserve(struct prom_text *t, size_t n)
{
    if (t->overflow)
        return false;
    if (n > t->cap - t->len) {
        t->overflow = true;
        return false;
    }
    if (t->len + n <= t->size)
        return true;
    size_t size = t->size ? t->size : PROM_TEXT_FIRST_SIZE;
    while (size < t->len + n)
        size *= 2;
    if (size > t->cap)
        size = t->cap;
    char *buf = arena_alloc(t->arena, size);
    if (!buf) {
        t->overflow = true;
        return false;
    }
    if (t->len)
        memcpy(buf, t->buf, t->len);
    t->buf = buf;
    t->size = size;
    return true;
}

static void put(struct prom_text *t, const char *s, size_t n)
{
    if (reserve(t, n)) {
        memcpy(t->buf + t->len, s, n);
        t->len += n;
    }
}

static void put_str(struct prom_text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* Writes s with backslash and line feed escaped, and the double quote too when quoted. */
static void put_escaped(struct prom_text *t, const char *s, bool quoted)
{
    for (; *s; s++) {
        if (*s == '\\')
            put(t, "\\\\", 2);
        else if (*s == '\n')
            put(t, "\\n", 2);
        else if (*s == '"' && quoted)
            put(t, "\\\"", 2);
        else
            put(t, s, 1);
    }
}

void prom_family(struct prom_text *t, const char *name, const char *type, const char *help)
{
    put_str(t, "# HELP ");
    put_str(t, name);
    put(t, " ", 1);
    put_escaped(t, help, false);
    put_str(t, "\n# TYPE ");
    put_str(t, name);
    put(t, " ", 1);
    put_str(t, type);
    put(t, "\n", 1);
}

void prom_sample(struct prom_text *t, const char *name, const struct prom_label *labels,
                 size_t n_labels, const char *value)
{
    put_str(t, name);
    for (size_t i = 0; i < n_labels; i++) {
        put(t, i ? "," : "{", 1);
        put_str(t, labels[i].name);
        put(t, "=\"", 2);
        put_escaped(t, labels[i].value, true);
        put(t, "\"", 1);
    }
    if (n_labels)
        put(t, "}", 1);
    put(t, " ", 1);
    put_str(t, value);
    put(t, "\n", 1);
}

void prom_sample_u64(struct prom_text *t, const char *name, const struct prom_label *labels,
                     size_t n_labels, uint64_t value)
{
    char text[24];
    snprintf(text, sizeof(text), "%" PRIu64, value);
    prom_sample(t, name, labels, n_labels, text);
}

void prom_sample_us(struct prom_text *t, const char *name, const struct prom_label *labels,
                    size_t n_labels, uint64_t microseconds)
{
    char text[32];
    snprintf(text, sizeof(text), "%" PRIu64 ".%06" PRIu64, microseconds / 1000000u,
             microseconds % 1000000u);
    prom_sample(t, name, labels, n_labels, text);
}
