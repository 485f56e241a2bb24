/* A spreadsheet read into rows of text cells (columns A to J), from CSV or XLSX. */
#ifndef PLI_SHEET_H
#define PLI_SHEET_H

#include <stddef.h>

#include "lib/arena.h"

/* The import layout uses columns A to J; anything to their right is ignored. */
#define SHEET_COLUMNS 10
/* The longest text a cell may hold (bytes). */
#define SHEET_CELL_MAX 1024

struct sheet_row {
    long number; /* the spreadsheet's own row number (the first row is 1) */
    const char *cells[SHEET_COLUMNS]; /* UTF-8, never NULL ("" when empty) */
};

struct sheet {
    struct arena *arena;
    struct sheet_row *rows;
    size_t count;
    size_t capacity;
};

/* Why a file could not be read. */
enum sheet_error {
    SHEET_OK,
    SHEET_UNREADABLE,      /* not a CSV or XLSX file this reader understands */
    SHEET_TOO_MANY_ROWS,   /* more data rows than allowed */
    SHEET_TOO_MANY_ENTRIES, /* XLSX: more archive entries than allowed */
    SHEET_INFLATED_TOO_LARGE, /* XLSX: inflates to more bytes than allowed */
    SHEET_RATIO_TOO_HIGH,  /* XLSX: an entry inflates more than the ratio allows (zip bomb) */
    SHEET_DTD_REFUSED,     /* XLSX: XML with a document type declaration (entity tricks) */
    SHEET_NO_MEMORY,
    SHEET__MAX
};

struct sheet_limits {
    size_t max_rows;     /* rows kept, header included */
    size_t max_entries;  /* XLSX archive entries */
    size_t max_inflated; /* XLSX bytes inflated in all */
    unsigned max_ratio;  /* XLSX inflated / compressed size of one entry */
};

/* Prepares an empty sheet whose memory comes from arena. */
void sheet_init(struct sheet *s, struct arena *arena);
/* Appends an empty row with that number; NULL when out of memory. */
struct sheet_row *sheet_add_row(struct sheet *s, long number);
/* Stores a copy of text (len bytes) in a column of a row; false when out of memory. Cells past
 * column J are ignored; text longer than SHEET_CELL_MAX is cut at a character boundary. */
int sheet_set_cell(struct sheet *s, struct sheet_row *row, int column, const char *text,
                   size_t len);
/* Copies cell text into the sheet's memory, cut to SHEET_CELL_MAX bytes at a character
 * boundary; NULL when out of memory. */
const char *sheet_cell_copy(struct sheet *s, const char *text, size_t len);
/* True when every cell of the row is empty or white space. */
int sheet_row_is_blank(const struct sheet_row *row);
/* The column letter of an index (0 → "A"). */
const char *sheet_column_letter(int column);

#endif
