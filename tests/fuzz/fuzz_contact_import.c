/* Sheet rows into contacts, as an import does after reading the file: header detection,
 * normalisation, validation, duplicates. Input: rows separated by '\n', cells by '\t' (text
 * that is not UTF-8 is read as Windows-1252, as the CSV reader does). */
#include <stdint.h>
#include <stdlib.h>

#include "lib/contact_import.h"
#include "tests/fuzz/common.h"

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_utf8(const char *s)
{
    FUZZ_CHECK(s && text_is_utf8(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (memchr(text, '\0', size))
        return 0;
    struct arena *arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(arena);
    if (!text_is_utf8(text, size))
        FUZZ_CHECK((text = text_cp1252_to_utf8(arena, text, size, &size)));
    struct sheet sheet;
    sheet_init(&sheet, arena);
    const char *p = text, *end = text + size;
    for (long number = 1; p < end && sheet.count < 10001; number++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        struct sheet_row *row = sheet_add_row(&sheet, number);
        FUZZ_CHECK(row);
        for (int col = 0; p <= eol && col < SHEET_COLUMNS; col++) {
            const char *tab = memchr(p, '\t', (size_t)(eol - p));
            const char *stop = tab ? tab : eol;
            FUZZ_CHECK(sheet_set_cell(&sheet, row, col, p, (size_t)(stop - p)));
            p = stop + 1;
        }
        p = eol + 1;
        if (sheet_row_is_blank(row))
            sheet.count--; /* the readers keep no blank row */
    }

    struct import_report report;
    FUZZ_CHECK(contact_import(&sheet, arena, &report));
    size_t first = sheet.count > 0 && contact_import_is_header(&sheet.rows[0]) ? 1 : 0;
    FUZZ_CHECK(report.rows == sheet.count - first);
    size_t refused = 0;
    for (size_t i = 0; i < report.n_errors; i++) {
        const struct import_error *e = &report.errors[i];
        FUZZ_CHECK(e->column >= 0 && e->column < SHEET_COLUMNS && e->code && e->message);
        if (i == 0 || e->row != report.errors[i - 1].row)
            refused++;
    }
    FUZZ_CHECK(report.n_contacts + report.duplicates + refused == report.rows);
    for (size_t i = 0; i < report.n_contacts; i++) {
        const struct contact *c = &report.contacts[i];
        struct contact_problems problems;
        FUZZ_CHECK(contact_validate(c, &problems));
        /* The import answers with these as JSON strings: they must stay UTF-8. */
        const char *fields[] = {
            c->email, c->last_name,   c->first_name, c->company, c->line1,
            c->line2, c->postal_code, c->city,       c->country, report.dedupe_keys[i]};
        for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
            check_utf8(fields[f]);
    }
    if (report.n_contacts > 1) {
        char **keys = malloc(report.n_contacts * sizeof(*keys));
        FUZZ_CHECK(keys);
        memcpy(keys, report.dedupe_keys, report.n_contacts * sizeof(*keys));
        qsort(keys, report.n_contacts, sizeof(*keys), compare_keys);
        for (size_t i = 1; i < report.n_contacts; i++)
            FUZZ_CHECK(strcmp(keys[i - 1], keys[i]) != 0);
        free(keys);
    }
    arena_free(arena);
    return 0;
}
