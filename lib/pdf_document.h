/* A small flowing document written to PDF in memory (cairo + pango): A4 portrait, 20 mm margins,
 * DejaVu Sans 10, headings, wrapped paragraphs, two-column label/value rows, monospace blocks,
 * tables with a repeated header, automatic page breaks and a "Page N" footer on every page.
 *
 * Nothing depends on the clock or the locale: the creation date is given by the caller, so the
 * same calls always produce the same bytes (for one cairo/pango/font installation).
 *
 * Every text is UTF-8 and at most PDF_DOCUMENT_TEXT_MAX bytes; a document is at most
 * PDF_DOCUMENT_PAGES_MAX pages (unless pdf_document_set_pages_max says otherwise) and
 * PDF_DOCUMENT_BYTES_MAX bytes. The first failure (bad text, cap reached, cairo error) is
 * sticky: later calls do nothing and pdf_document_finish fails. */
#ifndef PLI_PDF_DOCUMENT_H
#define PLI_PDF_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#define PDF_DOCUMENT_TEXT_MAX 65536
#define PDF_DOCUMENT_PAGES_MAX 500
/* The most pages pdf_document_set_pages_max allows. */
#define PDF_DOCUMENT_PAGES_LIMIT 2000
#define PDF_DOCUMENT_BYTES_MAX (32u * 1024u * 1024u)

enum pdf_heading {
    PDF_HEADING_TITLE,   /* the document's title, DejaVu Sans Bold 16 */
    PDF_HEADING_SECTION, /* a section, DejaVu Sans Bold 12 */
    PDF_HEADING__MAX
};

struct pdf_document;

/* Starts a document whose metadata carries title, author "pli" and created_at (RFC 3339,
 * e.g. "2026-11-23T14:05:07.123456Z"; fractional seconds are dropped) as both creation and
 * modification date. NULL when title is not valid UTF-8 within the cap, created_at is not
 * RFC 3339, or memory/cairo fails. */
struct pdf_document *pdf_document_new(const char *title, const char *created_at);

/* Sets the page cap of doc to pages, 1 to PDF_DOCUMENT_PAGES_LIMIT and not below the current
 * page (a document starts with PDF_DOCUMENT_PAGES_MAX); outside that, a failure. */
bool pdf_document_set_pages_max(struct pdf_document *doc, int pages);

/* Adds a heading; it moves to the next page rather than end one. */
bool pdf_document_heading(struct pdf_document *doc, enum pdf_heading level, const char *text);
/* Adds a paragraph wrapped to the text width; '\n' starts a new line. */
bool pdf_document_paragraph(struct pdf_document *doc, const char *text);
/* Adds a table row: label in the left column, value wrapped in the right one. */
bool pdf_document_row(struct pdf_document *doc, const char *label, const char *value);
/* Same as pdf_document_row with the value in DejaVu Sans Mono 8, wrapped at any character. */
bool pdf_document_row_mono(struct pdf_document *doc, const char *label, const char *value);
/* Adds a full-width block in DejaVu Sans Mono 8, wrapped at any character (hashes, base64). */
bool pdf_document_mono(struct pdf_document *doc, const char *text);
/* Adds vertical space (millimetres, 0 to 100); no space is carried over to a new page. */
bool pdf_document_space(struct pdf_document *doc, double mm);
/* Draws a thin grey rule across the text width, followed by a little space. */
bool pdf_document_rule(struct pdf_document *doc);

/* Tables: rows of cells set side by side from the left margin, in DejaVu Sans 10 (Bold 10 for
 * bold rows and headers). Each column is width_mm wide, a 3 mm gutter on its right included
 * (the last column has none), so a table whose widths add up to PDF_DOCUMENT_TABLE_WIDTH_MM
 * ends on the right margin. Cells are wrapped to their column ('\n' starts a new line) and
 * aligned as the column says. A row is kept on one page when it fits on one. A bad argument
 * (n outside 1 to PDF_DOCUMENT_COLUMNS_MAX, a column narrower than
 * PDF_DOCUMENT_COLUMN_MIN_MM, widths adding up to more than the text width, a bad cell text)
 * is a failure like any other. */
#define PDF_DOCUMENT_COLUMNS_MAX 8
#define PDF_DOCUMENT_COLUMN_MIN_MM 5.0
#define PDF_DOCUMENT_TABLE_WIDTH_MM 170.0

enum pdf_align { PDF_ALIGN_LEFT, PDF_ALIGN_RIGHT, PDF_ALIGN__MAX };

struct pdf_table_column {
    double width_mm; /* gutter included */
    enum pdf_align align;
};

/* Adds a table's header row: bold cells with a rule under them. The header is remembered and
 * drawn again at the top of every page that a later pdf_document_table_row starts, until
 * pdf_document_table_end or the next header. A header is not left alone at a page's bottom. */
bool pdf_document_table_header(struct pdf_document *doc, const char *const *cells,
                               const struct pdf_table_column *columns, int n);
/* Adds a table row of n cells, in bold when bold is true (totals). */
bool pdf_document_table_row(struct pdf_document *doc, const char *const *cells,
                            const struct pdf_table_column *columns, int n, bool bold);
/* Ends the current table: its header is no longer repeated. Adds a little space. */
bool pdf_document_table_end(struct pdf_document *doc);

/* Ends the document and frees doc. On success *pdf is malloc'ed (the caller frees it) and true
 * is returned; false after any earlier failure or a cairo error, with *pdf NULL. */
bool pdf_document_finish(struct pdf_document *doc, unsigned char **pdf, size_t *len);
/* Frees an unfinished document (NULL is fine). */
void pdf_document_free(struct pdf_document *doc);

#endif
