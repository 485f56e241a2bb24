/* Spreadsheet files built at test time: workbooks written with libxlsxwriter, hand-made
 * archives (zip bombs, entity bombs, XXE, too many entries) written with libzip, and the small
 * committed fixtures of tests/fixtures (found through PLI_TEST_FIXTURES).
 *
 * Self-contained (libc, libzip, libxlsxwriter, Criterion): the unit tests compile it too. */
#ifndef PLI_TEST_FIXTURES_H
#define PLI_TEST_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes owned by the caller (fixture_free). */
struct fixture {
    unsigned char *data;
    size_t len;
};

/* One entry of a zip archive. */
struct fixture_entry {
    const char *name;
    const void *data;
    size_t len;
};

#define FIXTURE_COLUMNS 10
/* A row of the template's columns A to J; NULL or "" leaves a cell empty. */
typedef const char *fixture_row[FIXTURE_COLUMNS];

/* The template's header labels (row 1 of the downloaded template). */
extern const fixture_row fixture_template_header;

void fixture_free(struct fixture *f);
/* A committed fixture of tests/fixtures, read whole. */
struct fixture fixture_read(const char *name);

/* A zip archive of these entries (deflated). */
struct fixture fixture_zip(const struct fixture_entry *entries, size_t n);
/* A minimal workbook whose first sheet is sheet_xml, with an optional sharedStrings.xml
 * (NULL for none), and `padding` extra entries of a few bytes each. It has 5 entries, 6 with
 * shared strings, plus the padding. */
struct fixture fixture_workbook(const char *sheet_xml, size_t sheet_len, const char *shared_xml,
                                size_t shared_len, size_t padding);
#define FIXTURE_SHEET_HEAD                                                                         \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                              \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define FIXTURE_SHEET_TAIL "</sheetData></worksheet>"

/* A worksheet document around `rows_xml` (the inside of <sheetData>). */
char *fixture_sheet_xml(const char *rows_xml, size_t *len);

/* An xlsx written by libxlsxwriter like the template filled in: rows from row 1 on; columns
 * whose bit is set in numeric_columns are written as numbers (bit 7 = H, postal codes). */
struct fixture fixture_xlsx(const fixture_row *rows, size_t n, unsigned numeric_columns);
/* An xlsx (libxlsxwriter) with the template header and n valid distinct data rows. */
struct fixture fixture_xlsx_generated(size_t n);
/* A CSV (';', UTF-8) with the template header and n valid distinct data rows. */
struct fixture fixture_csv_generated(size_t n);

/* In fixtures_hostile.c: */
/* A workbook whose sheet holds `spaces` spaces inside <sheetData> (deflates ~1000:1). */
struct fixture fixture_spaces_sheet(size_t spaces);
/* A workbook whose sheet inflates to `bytes` bytes of text that deflates about 20:1. */
struct fixture fixture_dense_sheet(size_t bytes);
/* A workbook whose sharedStrings.xml is a "billion laughs" entity bomb. */
struct fixture fixture_entity_bomb(void);
/* A workbook whose sheet declares an external entity on file:///etc/passwd and uses it. */
struct fixture fixture_xxe(void);
/* The same XXE sheet, encoded in UTF-16LE (with a byte order mark). */
struct fixture fixture_xxe_utf16(void);

#endif
