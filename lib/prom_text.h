/* The Prometheus text exposition format (version 0.0.4), written into arena memory with a cap:
 * # HELP and # TYPE before each family, samples `name{label="value",...} value`. */
#ifndef PLI_PROM_TEXT_H
#define PLI_PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

#define PROM_TEXT_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct prom_text {
    struct arena *arena;
    char *buf;
    size_t len, size, cap;
    bool overflow; /* a write did not fit under cap (or the arena): the text is unusable */
};

struct prom_label {
    const char *name;
    const char *value; /* escaped when written */
};

/* Starts an empty text that may grow up to cap bytes in arena. */
void prom_text_init(struct prom_text *t, struct arena *arena, size_t cap);
/* Writes a family's # HELP (escaped) and # TYPE lines. */
void prom_family(struct prom_text *t, const char *name, const char *type, const char *help);
/* Writes one sample whose value is already text ("12", "0.25", "+Inf"). */
void prom_sample(struct prom_text *t, const char *name, const struct prom_label *labels,
                 size_t n_labels, const char *value);
/* Writes one sample with an integer value. */
void prom_sample_u64(struct prom_text *t, const char *name, const struct prom_label *labels,
                     size_t n_labels, uint64_t value);
/* Writes one sample with a value of microseconds, as seconds. */
void prom_sample_us(struct prom_text *t, const char *name, const struct prom_label *labels,
                    size_t n_labels, uint64_t microseconds);

#endif
