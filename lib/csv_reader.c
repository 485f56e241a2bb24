#include "lib/csv_reader.h"

#include <stdbool.h>
#include <string.h>

#include "lib/text_encoding.h"

/* The separator used most in the first record, outside quotes; ';' on a tie. */
static char detect_separator(const char *p, const char *end)
{
    size_t semicolons = 0, commas = 0, tabs = 0;
    bool quoted = false;
    for (; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && (*p == '\n' || *p == '\r'))
            break;
        else if (!quoted && *p == ';')
            semicolons++;
        else if (!quoted && *p == ',')
            commas++;
        else if (!quoted && *p == '\t')
            tabs++;
    }
    if (tabs > semicolons && tabs > commas)
        return '\t';
    return commas > semicolons ? ',' : ';';
}

struct field_buffer {
    char text[SHEET_CELL_MAX + 4];
    size_t len;
};

static void field_add(struct field_buffer *f, char c)
{
    if (f->len < sizeof(f->text) - 1)
        f->text[f->len++] = c;
}

/* Parses the record starting at *pp, moves *pp past it, and keeps it unless it is blank. */
static enum sheet_error read_record(const char **pp, const char *end, char separator,
                                    struct sheet *sheet, long number,
                                    const struct sheet_limits *limits)
{
    const char *p = *pp;
    struct sheet_row scratch;
    int column = 0;
    struct field_buffer field = {.len = 0};
    bool quoted = false, done = false;
    for (int i = 0; i < SHEET_COLUMNS; i++)
        scratch.cells[i] = "";
    while (!done) {
        bool at_end = p >= end;
        char c = at_end ? '\n' : *p;
        if (quoted) {
            if (at_end) {
                quoted = false; /* an unclosed quote runs to the end of the file */
                continue;
            }
            if (c == '"' && p + 1 < end && p[1] == '"') {
                field_add(&field, '"');
                p += 2;
            } else if (c == '"') {
                quoted = false;
                p++;
            } else {
                field_add(&field, c);
                p++;
            }
            continue;
        }
        if (c == '"' && field.len == 0) {
            quoted = true;
            p++;
            continue;
        }
        if (c == separator || c == '\n' || c == '\r') {
            if (column < SHEET_COLUMNS) {
                char *copy = arena_strndup(sheet->arena, field.text, field.len);
                if (!copy)
                    return SHEET_NO_MEMORY;
                scratch.cells[column] = copy;
            }
            column++;
            field.len = 0;
            if (c != separator) {
                done = true;
                if (!at_end && c == '\r' && p + 1 < end && p[1] == '\n')
                    p++;
            }
            if (!at_end)
                p++;
            continue;
        }
        field_add(&field, c);
        p++;
    }
    *pp = p;
    if (sheet_row_is_blank(&scratch))
        return SHEET_OK;
    if (sheet->count >= limits->max_rows)
        return SHEET_TOO_MANY_ROWS;
    struct sheet_row *row = sheet_add_row(sheet, number);
    if (!row)
        return SHEET_NO_MEMORY;
    memcpy(row->cells, scratch.cells, sizeof(scratch.cells));
    return SHEET_OK;
}

enum sheet_error csv_read(const char *data, size_t len, const struct sheet_limits *limits,
                          struct sheet *sheet)
{
    size_t bom = text_bom_length(data, len);
    data += bom;
    len -= bom;
    if (memchr(data, '\0', len))
        return SHEET_UNREADABLE; /* binary, not text */
    if (!text_is_utf8(data, len)) {
        data = text_cp1252_to_utf8(sheet->arena, data, len, &len);
        if (!data)
            return SHEET_NO_MEMORY;
    }
    const char *p = data, *end = data + len;
    char separator = detect_separator(p, end);
    for (long number = 1; p < end; number++) {
        enum sheet_error e = read_record(&p, end, separator, sheet, number, limits);
        if (e != SHEET_OK)
            return e;
    }
    return SHEET_OK;
}
