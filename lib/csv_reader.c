#include "lib/csv_reader.h"

#include <ctype.h>
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

/* One record's cells while it is read; copied to the sheet only when the record is kept. */
struct record {
    char text[SHEET_COLUMNS][SHEET_CELL_MAX + 4];
    size_t len[SHEET_COLUMNS];
};

static void cell_add(struct record *rec, int column, char c)
{
    /* A few bytes past the limit are kept so that the cut can fall on a character boundary. */
    if (column < SHEET_COLUMNS && rec->len[column] < SHEET_CELL_MAX + 4)
        rec->text[column][rec->len[column]++] = c;
}

static bool record_is_blank(const struct record *rec)
{
    for (int col = 0; col < SHEET_COLUMNS; col++)
        for (size_t i = 0; i < rec->len[col]; i++)
            if (!isspace((unsigned char)rec->text[col][i]))
                return false;
    return true;
}

/* Parses the record starting at *pp, moves *pp past it, and keeps it unless it is blank. */
static enum sheet_error read_record(const char **pp, const char *end, char separator,
                                    struct sheet *sheet, long number,
                                    const struct sheet_limits *limits, struct record *rec)
{
    const char *p = *pp;
    int column = 0;
    bool quoted = false, field_started = false;
    memset(rec->len, 0, sizeof(rec->len));
    for (;;) {
        if (p >= end) {
            if (quoted)
                quoted = false; /* an unclosed quote runs to the end of the file */
            break;
        }
        char c = *p;
        if (quoted) {
            if (c == '"' && p + 1 < end && p[1] == '"') {
                cell_add(rec, column, '"');
                p += 2;
            } else if (c == '"') {
                quoted = false;
                p++;
            } else {
                cell_add(rec, column, c);
                p++;
            }
        } else if (c == '"' && !field_started) {
            quoted = field_started = true;
            p++;
        } else if (c == separator) {
            column++;
            field_started = false;
            p++;
        } else if (c == '\n' || c == '\r') {
            p += (c == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
            break;
        } else {
            cell_add(rec, column, c);
            field_started = true;
            p++;
        }
    }
    *pp = p;
    if (record_is_blank(rec))
        return SHEET_OK;
    if (sheet->count >= limits->max_rows)
        return SHEET_TOO_MANY_ROWS;
    struct sheet_row *row = sheet_add_row(sheet, number);
    if (!row)
        return SHEET_NO_MEMORY;
    for (int col = 0; col < SHEET_COLUMNS; col++)
        if (rec->len[col] && !sheet_set_cell(sheet, row, col, rec->text[col], rec->len[col]))
            return SHEET_NO_MEMORY;
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
    struct record *rec = arena_alloc(sheet->arena, sizeof(*rec));
    if (!rec)
        return SHEET_NO_MEMORY;
    for (long number = 1; p < end; number++) {
        enum sheet_error e = read_record(&p, end, separator, sheet, number, limits, rec);
        if (e != SHEET_OK)
            return e;
    }
    return SHEET_OK;
}
