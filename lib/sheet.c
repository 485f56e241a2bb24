#include "lib/sheet.h"

#include <ctype.h>
#include <string.h>

#define SHEET_FIRST_CAPACITY 256

void sheet_init(struct sheet *s, struct arena *arena)
{
    memset(s, 0, sizeof(*s));
    s->arena = arena;
}

struct sheet_row *sheet_add_row(struct sheet *s, long number)
{
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? s->capacity * 2 : SHEET_FIRST_CAPACITY;
        struct sheet_row *rows = arena_alloc(s->arena, capacity * sizeof(*rows));
        if (!rows)
            return NULL;
        if (s->count)
            memcpy(rows, s->rows, s->count * sizeof(*rows));
        s->rows = rows;
        s->capacity = capacity;
    }
    struct sheet_row *row = &s->rows[s->count++];
    row->number = number;
    for (int i = 0; i < SHEET_COLUMNS; i++)
        row->cells[i] = "";
    return row;
}

const char *sheet_cell_copy(struct sheet *s, const char *text, size_t len)
{
    if (len > SHEET_CELL_MAX) {
        len = SHEET_CELL_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    return arena_strndup(s->arena, text, len);
}

int sheet_set_cell(struct sheet *s, struct sheet_row *row, int column, const char *text,
                   size_t len)
{
    if (column < 0 || column >= SHEET_COLUMNS)
        return 1;
    const char *copy = sheet_cell_copy(s, text, len);
    if (!copy)
        return 0;
    row->cells[column] = copy;
    return 1;
}

int sheet_row_is_blank(const struct sheet_row *row)
{
    for (int i = 0; i < SHEET_COLUMNS; i++)
        for (const char *p = row->cells[i]; *p; p++)
            if (!isspace((unsigned char)*p))
                return 0;
    return 1;
}

const char *sheet_column_letter(int column)
{
    static const char *const letters[SHEET_COLUMNS] = {"A", "B", "C", "D", "E",
                                                       "F", "G", "H", "I", "J"};
    return column >= 0 && column < SHEET_COLUMNS ? letters[column] : "?";
}
