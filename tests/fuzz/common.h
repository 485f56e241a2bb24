/* Shared by the fuzz harnesses: invariant checks that abort (so that libFuzzer keeps the
 * input) and the checks every sheet must pass, whatever file it was read from. */
#ifndef PLI_FUZZ_COMMON_H
#define PLI_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sheet.h"
#include "lib/text_encoding.h"

/* The per-request arena cap of a worker (fcgi/worker.c). */
#define FUZZ_ARENA_CAP (128u * 1024u * 1024u)

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* What sheet.h promises: every cell non-NULL, UTF-8, at most SHEET_CELL_MAX bytes; rows
 * within the limit and never blank. */
static inline void fuzz_check_sheet(const struct sheet *s, const struct sheet_limits *limits)
{
    FUZZ_CHECK(s->count <= limits->max_rows);
    FUZZ_CHECK(s->count <= s->capacity);
    for (size_t i = 0; i < s->count; i++) {
        const struct sheet_row *row = &s->rows[i];
        FUZZ_CHECK(!sheet_row_is_blank(row));
        for (int col = 0; col < SHEET_COLUMNS; col++) {
            const char *cell = row->cells[col];
            FUZZ_CHECK(cell != NULL);
            size_t len = strlen(cell);
            FUZZ_CHECK(len <= SHEET_CELL_MAX);
            FUZZ_CHECK(text_is_utf8(cell, len));
        }
    }
}

#endif
