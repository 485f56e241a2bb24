#include "lib/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rfc3339.h"

/* Geometry, in PDF points (1/72 inch). */
#define MM (72.0 / 25.4)
#define PAGE_WIDTH (210.0 * MM)
#define PAGE_HEIGHT (297.0 * MM)
#define MARGIN (20.0 * MM)
#define TEXT_WIDTH (PAGE_WIDTH - 2.0 * MARGIN)
#define BODY_BOTTOM (PAGE_HEIGHT - MARGIN)
#define FOOTER_TOP (PAGE_HEIGHT - 13.0 * MM)
#define LABEL_WIDTH (52.0 * MM)
#define VALUE_X (MARGIN + LABEL_WIDTH + 4.0 * MM)
#define VALUE_WIDTH (PAGE_WIDTH - MARGIN - VALUE_X)
/* A heading moves to the next page unless this much room is left below it. */
#define HEADING_KEEP (3.0 * 12.0)
#define SPACE_MAX_MM 100.0
/* Tables: the gutter on the right of every column but the last, the space under a row, and
 * the room wanted under a header (its rule and a row of three lines). */
#define GUTTER (3.0 * MM)
#define TABLE_ROW_AFTER 4.0
#define TABLE_HEADER_KEEP (4.0 * 12.0)
#define OUTPUT_INITIAL (64u * 1024u)

enum font {
    FONT_BODY,
    FONT_LABEL,
    FONT_MONO,
    FONT_TITLE,
    FONT_SECTION,
    FONT_FOOTER,
    FONT_BOLD,
    FONT__MAX
};

static const char *const font_names[FONT__MAX] = {
    [FONT_BODY] = "DejaVu Sans 10",         [FONT_LABEL] = "DejaVu Sans 10",
    [FONT_MONO] = "DejaVu Sans Mono 8",     [FONT_TITLE] = "DejaVu Sans Bold 16",
    [FONT_SECTION] = "DejaVu Sans Bold 12", [FONT_FOOTER] = "DejaVu Sans 8",
    [FONT_BOLD] = "DejaVu Sans Bold 10",
};

/* Grey level of each font's text (0 black). */
static const double font_grey[FONT__MAX] = {
    [FONT_BODY] = 0.0,    [FONT_LABEL] = 0.35,  [FONT_MONO] = 0.0, [FONT_TITLE] = 0.0,
    [FONT_SECTION] = 0.0, [FONT_FOOTER] = 0.45, [FONT_BOLD] = 0.0,
};

static const struct {
    enum font font;
    double before, after; /* points */
} heading_styles[PDF_HEADING__MAX] = {
    [PDF_HEADING_TITLE] = {FONT_TITLE, 0.0, 10.0},
    [PDF_HEADING_SECTION] = {FONT_SECTION, 10.0, 5.0},
};

struct output {
    unsigned char *data;
    size_t len, cap;
    bool overflow;
};

/* A table's header, kept to be drawn again on the pages its rows start. */
struct table_header {
    char *cells[PDF_DOCUMENT_COLUMNS_MAX];
    struct pdf_table_column columns[PDF_DOCUMENT_COLUMNS_MAX];
    int n;
};

struct pdf_document {
    struct output out;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *context;
    PangoFontDescription *fonts[FONT__MAX];
    double y; /* top of the next line, from the top of the page */
    int page; /* 1 for the first page */
    int pages_max;
    bool page_used; /* something was drawn on the current page */
    bool failed;
    struct table_header *header; /* the current table's, or NULL */
    bool repeat_header;          /* a table row is being drawn: a new page starts with header */
};

/* One column of a block being flowed: its layout and left edge; a right-aligned column's lines
 * end at x + width. */
struct column {
    PangoLayout *layout;
    enum font font;
    double x;
    double width;
    bool right;
};

static cairo_status_t output_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct output *out = closure;
    if (length > PDF_DOCUMENT_BYTES_MAX - out->len) {
        out->overflow = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (out->len + length > out->cap) {
        size_t cap = out->cap ? out->cap : OUTPUT_INITIAL;
        while (cap < out->len + length)
            cap *= 2;
        if (cap > PDF_DOCUMENT_BYTES_MAX)
            cap = PDF_DOCUMENT_BYTES_MAX;
        unsigned char *grown = realloc(out->data, cap);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        out->data = grown;
        out->cap = cap;
    }
    memcpy(out->data + out->len, data, length);
    out->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Rewrites an RFC 3339 date-time as cairo's ISO 8601 subset, YYYY-MM-DDThh:mm:ss followed by Z
 * or +hh:mm / -hh:mm, without fractional seconds (cairo ignores a date holding a '.'). */
static bool metadata_date(const char *created_at, char out[RFC3339_FORMAT_SIZE])
{
    struct rfc3339 t;
    return rfc3339_parse(created_at, &t) && rfc3339_format(&t, out, RFC3339_FORMAT_SIZE);
}

/* A text is acceptable when present, within the cap and valid UTF-8. */
static bool text_ok(const char *text)
{
    if (!text)
        return false;
    size_t len = strnlen(text, PDF_DOCUMENT_TEXT_MAX + 1);
    return len <= PDF_DOCUMENT_TEXT_MAX && g_utf8_validate(text, (gssize)len, NULL);
}

static bool fail(struct pdf_document *doc)
{
    doc->failed = true;
    return false;
}

static PangoLayout *layout_new(struct pdf_document *doc, enum font font, const char *text,
                               double width, PangoWrapMode wrap)
{
    PangoLayout *layout = pango_layout_new(doc->context);
    pango_layout_set_font_description(layout, doc->fonts[font]);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, wrap);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

static void draw_footer(struct pdf_document *doc)
{
    char text[32];
    snprintf(text, sizeof(text), "Page %d", doc->page);
    PangoLayout *layout = layout_new(doc, FONT_FOOTER, text, TEXT_WIDTH, PANGO_WRAP_WORD);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(doc->cr, font_grey[FONT_FOOTER], font_grey[FONT_FOOTER],
                         font_grey[FONT_FOOTER]);
    cairo_move_to(doc->cr, MARGIN, FOOTER_TOP);
    pango_cairo_show_layout(doc->cr, layout);
    g_object_unref(layout);
}

static bool table_draw(struct pdf_document *doc, const char *const *cells,
                       const struct pdf_table_column *columns, int n, enum font font, double keep);
static void table_rule(struct pdf_document *doc, double width);

static bool new_page(struct pdf_document *doc)
{
    if (doc->page >= doc->pages_max)
        return fail(doc);
    draw_footer(doc);
    cairo_show_page(doc->cr);
    if (cairo_status(doc->cr) != CAIRO_STATUS_SUCCESS)
        return fail(doc);
    doc->page++;
    doc->y = MARGIN;
    doc->page_used = false;
    if (doc->repeat_header && doc->header) {
        /* Not again from inside the header, should it not fit on a page. */
        struct table_header *header = doc->header;
        doc->repeat_header = false;
        bool ok = table_draw(doc, (const char *const *)header->cells, header->columns, header->n,
                             FONT_BOLD, 0.0);
        doc->repeat_header = true;
        if (!ok)
            return false;
        double width = 0.0;
        for (int c = 0; c < header->n; c++)
            width += header->columns[c].width_mm * MM;
        table_rule(doc, width);
    }
    return true;
}

static double room(const struct pdf_document *doc)
{
    return BODY_BOTTOM - doc->y;
}

/* Ascent and descent of a layout line (points). */
static void line_metrics(PangoLayoutLine *line, double *ascent, double *descent)
{
    PangoRectangle logical;
    pango_layout_line_get_extents(line, NULL, &logical);
    *ascent = -(double)logical.y / PANGO_SCALE;
    *descent = (double)(logical.height + logical.y) / PANGO_SCALE;
}

/* Ascent and descent shared by the current line of each column (the lines sit on one
 * baseline). */
static void row_metrics(GSList *const *lines, int count, double *up, double *down)
{
    *up = *down = 0.0;
    for (int c = 0; c < count; c++) {
        if (!lines[c])
            continue;
        double a, d;
        line_metrics(lines[c]->data, &a, &d);
        *up = a > *up ? a : *up;
        *down = d > *down ? d : *down;
    }
}

static bool lines_left(GSList *const *lines, int count)
{
    for (int c = 0; c < count; c++)
        if (lines[c])
            return true;
    return false;
}

static void first_lines(struct column *columns, int count, GSList **lines)
{
    for (int c = 0; c < count; c++)
        lines[c] = pango_layout_get_lines_readonly(columns[c].layout);
}

/* Draws one or two columns line by line, starting a page whenever a line would cross the bottom
 * margin. A block that fits on a page but not in the room left (plus keep, the room wanted
 * below it) starts on the next page. */
static bool flow(struct pdf_document *doc, struct column *columns, int count, double keep)
{
    GSList *lines[PDF_DOCUMENT_COLUMNS_MAX] = {NULL};
    double up, down, height = 0.0;
    first_lines(columns, count, lines);
    while (lines_left(lines, count)) {
        row_metrics(lines, count, &up, &down);
        height += up + down;
        for (int c = 0; c < count; c++)
            lines[c] = lines[c] ? lines[c]->next : NULL;
    }
    if (doc->page_used && height + keep > room(doc) && height <= BODY_BOTTOM - MARGIN &&
        !new_page(doc))
        return false;
    first_lines(columns, count, lines);
    while (lines_left(lines, count)) {
        row_metrics(lines, count, &up, &down);
        if (doc->page_used && up + down > room(doc) && !new_page(doc))
            return false;
        for (int c = 0; c < count; c++) {
            if (!lines[c])
                continue;
            double grey = font_grey[columns[c].font], x = columns[c].x;
            if (columns[c].right) {
                PangoRectangle logical;
                pango_layout_line_get_extents(lines[c]->data, NULL, &logical);
                x += columns[c].width - (double)(logical.x + logical.width) / PANGO_SCALE;
            }
            cairo_set_source_rgb(doc->cr, grey, grey, grey);
            cairo_move_to(doc->cr, x, doc->y + up);
            pango_cairo_show_layout_line(doc->cr, lines[c]->data);
            lines[c] = lines[c]->next;
        }
        doc->y += up + down;
        doc->page_used = true;
    }
    if (cairo_status(doc->cr) != CAIRO_STATUS_SUCCESS)
        return fail(doc);
    return true;
}

static void skip(struct pdf_document *doc, double points)
{
    if (!doc->page_used)
        return;
    doc->y += points;
    if (doc->y > BODY_BOTTOM)
        doc->y = BODY_BOTTOM;
}

struct pdf_document *pdf_document_new(const char *title, const char *created_at)
{
    char date[RFC3339_FORMAT_SIZE];
    if (!text_ok(title) || !metadata_date(created_at, date))
        return NULL;
    struct pdf_document *doc = calloc(1, sizeof(*doc));
    if (!doc)
        return NULL;
    doc->page = 1;
    doc->pages_max = PDF_DOCUMENT_PAGES_MAX;
    doc->y = MARGIN;
    doc->surface =
        cairo_pdf_surface_create_for_stream(output_write, &doc->out, PAGE_WIDTH, PAGE_HEIGHT);
    if (cairo_surface_status(doc->surface) != CAIRO_STATUS_SUCCESS)
        goto fail;
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_AUTHOR, "pli");
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_CREATOR, "pli");
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
#endif
    doc->cr = cairo_create(doc->surface);
    if (cairo_status(doc->cr) != CAIRO_STATUS_SUCCESS)
        goto fail;

    /* Text is laid out in points, unhinted, in French, whatever the locale. */
    doc->context = pango_font_map_create_context(pango_cairo_font_map_get_default());
    if (!doc->context)
        goto fail;
    pango_cairo_context_set_resolution(doc->context, 72.0);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(doc->context, options);
    cairo_font_options_destroy(options);
#if PANGO_VERSION_CHECK(1, 44, 0)
    pango_context_set_round_glyph_positions(doc->context, FALSE);
#endif
    pango_context_set_language(doc->context, pango_language_from_string("fr-fr"));
    pango_context_set_base_dir(doc->context, PANGO_DIRECTION_LTR);
    pango_cairo_update_context(doc->cr, doc->context);
    for (int f = 0; f < FONT__MAX; f++) {
        doc->fonts[f] = pango_font_description_from_string(font_names[f]);
        if (!doc->fonts[f])
            goto fail;
    }
    return doc;
fail:
    pdf_document_free(doc);
    return NULL;
}

bool pdf_document_set_pages_max(struct pdf_document *doc, int pages)
{
    if (!doc || doc->failed)
        return false;
    if (pages < 1 || pages > PDF_DOCUMENT_PAGES_LIMIT || pages < doc->page)
        return fail(doc);
    doc->pages_max = pages;
    return true;
}

bool pdf_document_heading(struct pdf_document *doc, enum pdf_heading level, const char *text)
{
    if (!doc || doc->failed)
        return false;
    if ((unsigned)level >= PDF_HEADING__MAX || !text_ok(text))
        return fail(doc);
    skip(doc, heading_styles[level].before);
    struct column column = {
        layout_new(doc, heading_styles[level].font, text, TEXT_WIDTH, PANGO_WRAP_WORD_CHAR),
        heading_styles[level].font, MARGIN, 0.0, false};
    bool ok = flow(doc, &column, 1, HEADING_KEEP);
    g_object_unref(column.layout);
    if (ok && level == PDF_HEADING_TITLE) {
        /* A thin rule under the title. */
        doc->y += 3.0;
        cairo_set_source_rgb(doc->cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(doc->cr, 0.5);
        cairo_move_to(doc->cr, MARGIN, doc->y);
        cairo_line_to(doc->cr, PAGE_WIDTH - MARGIN, doc->y);
        cairo_stroke(doc->cr);
    }
    skip(doc, heading_styles[level].after);
    return ok;
}

bool pdf_document_paragraph(struct pdf_document *doc, const char *text)
{
    if (!doc || doc->failed)
        return false;
    if (!text_ok(text))
        return fail(doc);
    struct column column = {layout_new(doc, FONT_BODY, text, TEXT_WIDTH, PANGO_WRAP_WORD_CHAR),
                            FONT_BODY, MARGIN, 0.0, false};
    bool ok = flow(doc, &column, 1, 0.0);
    g_object_unref(column.layout);
    skip(doc, 5.0);
    return ok;
}

static bool row(struct pdf_document *doc, const char *label, const char *value, enum font font)
{
    if (!doc || doc->failed)
        return false;
    if (!text_ok(label) || !text_ok(value))
        return fail(doc);
    PangoWrapMode wrap = font == FONT_MONO ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR;
    struct column columns[2] = {
        {layout_new(doc, FONT_LABEL, label, LABEL_WIDTH, PANGO_WRAP_WORD_CHAR), FONT_LABEL, MARGIN,
         0.0, false},
        {layout_new(doc, font, value, VALUE_WIDTH, wrap), font, VALUE_X, 0.0, false},
    };
    bool ok = flow(doc, columns, 2, 0.0);
    g_object_unref(columns[0].layout);
    g_object_unref(columns[1].layout);
    skip(doc, 4.0);
    return ok;
}

bool pdf_document_row(struct pdf_document *doc, const char *label, const char *value)
{
    return row(doc, label, value, FONT_BODY);
}

bool pdf_document_row_mono(struct pdf_document *doc, const char *label, const char *value)
{
    return row(doc, label, value, FONT_MONO);
}

bool pdf_document_mono(struct pdf_document *doc, const char *text)
{
    if (!doc || doc->failed)
        return false;
    if (!text_ok(text))
        return fail(doc);
    struct column column = {layout_new(doc, FONT_MONO, text, TEXT_WIDTH, PANGO_WRAP_CHAR),
                            FONT_MONO, MARGIN, 0.0, false};
    bool ok = flow(doc, &column, 1, 0.0);
    g_object_unref(column.layout);
    skip(doc, 5.0);
    return ok;
}

bool pdf_document_space(struct pdf_document *doc, double mm)
{
    if (!doc || doc->failed)
        return false;
    if (!(mm >= 0.0 && mm <= SPACE_MAX_MM))
        return fail(doc);
    skip(doc, mm * MM);
    return true;
}

bool pdf_document_rule(struct pdf_document *doc)
{
    if (!doc || doc->failed)
        return false;
    table_rule(doc, TEXT_WIDTH);
    return cairo_status(doc->cr) == CAIRO_STATUS_SUCCESS || fail(doc);
}

/* A thin grey rule of the given width under what was drawn last, then a little space. */
static void table_rule(struct pdf_document *doc, double width)
{
    doc->y += 2.0;
    cairo_set_source_rgb(doc->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(doc->cr, 0.5);
    cairo_move_to(doc->cr, MARGIN, doc->y);
    cairo_line_to(doc->cr, MARGIN + width, doc->y);
    cairo_stroke(doc->cr);
    doc->page_used = true;
    skip(doc, 4.0);
}

/* Checks a table row's arguments; false (not a failure yet) when they are bad. */
static bool table_ok(const char *const *cells, const struct pdf_table_column *columns, int n)
{
    if (!cells || !columns || n < 1 || n > PDF_DOCUMENT_COLUMNS_MAX)
        return false;
    double total = 0.0;
    for (int c = 0; c < n; c++) {
        double width = columns[c].width_mm;
        if (!(width >= PDF_DOCUMENT_COLUMN_MIN_MM && width <= PDF_DOCUMENT_TABLE_WIDTH_MM) ||
            (unsigned)columns[c].align >= PDF_ALIGN__MAX || !text_ok(cells[c]))
            return false;
        total += width;
    }
    return total <= PDF_DOCUMENT_TABLE_WIDTH_MM + 1e-6;
}

/* Lays out and flows one row of checked cells. */
static bool table_draw(struct pdf_document *doc, const char *const *cells,
                       const struct pdf_table_column *columns, int n, enum font font, double keep)
{
    struct column row_columns[PDF_DOCUMENT_COLUMNS_MAX];
    double x = MARGIN;
    for (int c = 0; c < n; c++) {
        double width = columns[c].width_mm * MM;
        double text_width = c + 1 < n ? width - GUTTER : width;
        row_columns[c] =
            (struct column){layout_new(doc, font, cells[c], text_width, PANGO_WRAP_WORD_CHAR), font,
                            x, text_width, columns[c].align == PDF_ALIGN_RIGHT};
        x += width;
    }
    bool ok = flow(doc, row_columns, n, keep);
    for (int c = 0; c < n; c++)
        g_object_unref(row_columns[c].layout);
    return ok;
}

static void header_free(struct table_header *header)
{
    if (!header)
        return;
    for (int c = 0; c < header->n; c++)
        g_free(header->cells[c]);
    free(header);
}

bool pdf_document_table_header(struct pdf_document *doc, const char *const *cells,
                               const struct pdf_table_column *columns, int n)
{
    if (!doc || doc->failed)
        return false;
    header_free(doc->header);
    doc->header = NULL;
    if (!table_ok(cells, columns, n))
        return fail(doc);
    struct table_header *header = calloc(1, sizeof(*header));
    if (!header)
        return fail(doc);
    double width = 0.0;
    for (; header->n < n; header->n++) {
        header->cells[header->n] = g_strdup(cells[header->n]);
        header->columns[header->n] = columns[header->n];
        width += columns[header->n].width_mm * MM;
    }
    if (!table_draw(doc, cells, columns, n, FONT_BOLD, TABLE_HEADER_KEEP)) {
        header_free(header);
        return false;
    }
    table_rule(doc, width);
    doc->header = header;
    return true;
}

bool pdf_document_table_row(struct pdf_document *doc, const char *const *cells,
                            const struct pdf_table_column *columns, int n, bool bold)
{
    if (!doc || doc->failed)
        return false;
    if (!table_ok(cells, columns, n))
        return fail(doc);
    doc->repeat_header = true;
    bool ok = table_draw(doc, cells, columns, n, bold ? FONT_BOLD : FONT_BODY, 0.0);
    doc->repeat_header = false;
    skip(doc, TABLE_ROW_AFTER);
    return ok;
}

bool pdf_document_table_end(struct pdf_document *doc)
{
    if (!doc || doc->failed)
        return false;
    header_free(doc->header);
    doc->header = NULL;
    skip(doc, 4.0);
    return true;
}

bool pdf_document_finish(struct pdf_document *doc, unsigned char **pdf, size_t *len)
{
    *pdf = NULL;
    *len = 0;
    if (!doc)
        return false;
    bool ok = !doc->failed;
    if (ok) {
        draw_footer(doc);
        cairo_show_page(doc->cr);
        ok = cairo_status(doc->cr) == CAIRO_STATUS_SUCCESS;
    }
    cairo_destroy(doc->cr);
    doc->cr = NULL;
    cairo_surface_finish(doc->surface);
    ok = ok && cairo_surface_status(doc->surface) == CAIRO_STATUS_SUCCESS && !doc->out.overflow;
    if (ok) {
        *pdf = doc->out.data;
        *len = doc->out.len;
        doc->out.data = NULL;
    }
    pdf_document_free(doc);
    return ok;
}

void pdf_document_free(struct pdf_document *doc)
{
    if (!doc)
        return;
    header_free(doc->header);
    for (int f = 0; f < FONT__MAX; f++)
        if (doc->fonts[f])
            pango_font_description_free(doc->fonts[f]);
    if (doc->context)
        g_object_unref(doc->context);
    if (doc->cr)
        cairo_destroy(doc->cr);
    if (doc->surface)
        cairo_surface_destroy(doc->surface);
    free(doc->out.data);
    free(doc);
}
