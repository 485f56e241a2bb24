#include "lib/xlsx_reader.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XLSX_CHUNK (64u * 1024u)
#define XLSX_PATH_MAX 256

/* What inflating has cost so far, against the limits. */
struct budget {
    const struct sheet_limits *limits;
    size_t inflated;
};

/* Inflates one entry into a malloc'd buffer (NUL-terminated); stops as soon as a limit is
 * crossed. *out is NULL with SHEET_OK when the entry does not exist. */
static enum sheet_error inflate_entry(zip_t *za, const char *name, struct budget *b, char **out,
                                      size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0)
        return SHEET_OK;
    zip_file_t *f = zip_fopen(za, name, 0);
    if (!f)
        return SHEET_UNREADABLE;
    size_t cap = XLSX_CHUNK, len = 0;
    char *buf = malloc(cap + 1);
    enum sheet_error e = buf ? SHEET_OK : SHEET_NO_MEMORY;
    while (e == SHEET_OK) {
        if (cap - len < XLSX_CHUNK) {
            char *grown = realloc(buf, cap * 2 + 1);
            if (!grown) {
                e = SHEET_NO_MEMORY;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        zip_int64_t n = zip_fread(f, buf + len, XLSX_CHUNK);
        if (n < 0)
            e = SHEET_UNREADABLE;
        if (n <= 0)
            break;
        len += (size_t)n;
        b->inflated += (size_t)n;
        zip_uint64_t packed = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size ? st.comp_size : 1;
        if (b->inflated > b->limits->max_inflated)
            e = SHEET_INFLATED_TOO_LARGE;
        else if (len > XLSX_RATIO_FLOOR && len / packed > b->limits->max_ratio)
            e = SHEET_RATIO_TOO_HIGH;
    }
    zip_fclose(f);
    if (e != SHEET_OK) {
        free(buf);
        return e;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return SHEET_OK;
}

/* No entity, DTD or external resource is ever fetched. */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static xmlTextReaderPtr open_xml(const char *buf, size_t len, enum sheet_error *e)
{
    /* Spreadsheets never carry a DTD: one is refused before any parsing. */
    if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8)) {
        *e = SHEET_DTD_REFUSED;
        return NULL;
    }
    xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    *e = r ? SHEET_OK : SHEET_UNREADABLE;
    return r;
}

/* Advances the reader; a DOCTYPE node, should one slip through, is refused. */
static int next_node(xmlTextReaderPtr r, enum sheet_error *e)
{
    int rc = xmlTextReaderRead(r);
    if (rc < 0)
        *e = SHEET_UNREADABLE;
    else if (rc == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE)
        *e = SHEET_DTD_REFUSED;
    return *e == SHEET_OK ? rc : -1;
}

static bool is_element(xmlTextReaderPtr r, const char *local_name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local_name) == 0;
}

static bool is_end(xmlTextReaderPtr r, const char *local_name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local_name) == 0;
}

/* Finds the value of an attribute by local name (namespaces aside); NULL when absent. */
static char *attribute(xmlTextReaderPtr r, const char *local_name)
{
    char *found = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return NULL;
    do {
        if (strcmp((const char *)xmlTextReaderConstLocalName(r), local_name) == 0) {
            found = (char *)xmlTextReaderValue(r);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return found;
}

/* The relationship id of the first sheet listed in the workbook. */
static enum sheet_error first_sheet_rel(const char *xml, size_t len, char *rel, size_t size)
{
    enum sheet_error e;
    xmlTextReaderPtr r = open_xml(xml, len, &e);
    if (!r)
        return e;
    rel[0] = '\0';
    while (!rel[0] && next_node(r, &e) == 1) {
        if (!is_element(r, "sheet"))
            continue;
        char *id = attribute(r, "id");
        if (id)
            snprintf(rel, size, "%s", id);
        xmlFree(id);
    }
    xmlFreeTextReader(r);
    return e != SHEET_OK ? e : rel[0] ? SHEET_OK : SHEET_UNREADABLE;
}

/* The archive path of the relationship's target, relative to xl/. */
static enum sheet_error sheet_path(const char *xml, size_t len, const char *rel, char *path,
                                   size_t size)
{
    enum sheet_error e;
    xmlTextReaderPtr r = open_xml(xml, len, &e);
    if (!r)
        return e;
    path[0] = '\0';
    while (!path[0] && next_node(r, &e) == 1) {
        if (!is_element(r, "Relationship"))
            continue;
        char *id = attribute(r, "Id"), *target = attribute(r, "Target");
        if (id && target && strcmp(id, rel) == 0)
            snprintf(path, size, "%s%s", target[0] == '/' ? "" : "xl/",
                     target[0] == '/' ? target + 1 : target);
        xmlFree(id);
        xmlFree(target);
    }
    xmlFreeTextReader(r);
    return e != SHEET_OK ? e : path[0] ? SHEET_OK : SHEET_UNREADABLE;
}

struct strings {
    const char **items;
    size_t count;
    size_t capacity;
};

/* A few bytes past the cell limit are kept so that sheet_cell_copy can cut at a character. */
#define XLSX_TEXT_MAX (SHEET_CELL_MAX + 4)

struct text {
    char buf[XLSX_TEXT_MAX + 1];
    size_t len;
};

static void text_append(struct text *t, const char *s)
{
    size_t n = strlen(s);
    if (n > XLSX_TEXT_MAX - t->len)
        n = XLSX_TEXT_MAX - t->len;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static bool strings_add(struct strings *s, struct arena *arena, const struct text *t)
{
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? s->capacity * 2 : 1024;
        const char **items = arena_alloc(arena, capacity * sizeof(*items));
        if (!items)
            return false;
        if (s->count)
            memcpy(items, s->items, s->count * sizeof(*items));
        s->items = items;
        s->capacity = capacity;
    }
    s->items[s->count] = arena_strndup(arena, t->buf, t->len);
    return s->items[s->count++] != NULL;
}

/* Reads every <si> of sharedStrings.xml: the text of its <t> runs, phonetic runs aside. */
static enum sheet_error read_shared_strings(const char *xml, size_t len, struct arena *arena,
                                            struct strings *out)
{
    enum sheet_error e;
    xmlTextReaderPtr r = open_xml(xml, len, &e);
    if (!r)
        return e;
    struct text t = {.len = 0};
    bool in_t = false, in_phonetic = false;
    while (e == SHEET_OK && next_node(r, &e) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (is_element(r, "si")) {
            t.len = 0;
            t.buf[0] = '\0';
        } else if (is_end(r, "si") && !strings_add(out, arena, &t)) {
            e = SHEET_NO_MEMORY;
        } else if (is_element(r, "rPh")) {
            in_phonetic = !xmlTextReaderIsEmptyElement(r);
        } else if (is_end(r, "rPh")) {
            in_phonetic = false;
        } else if (is_element(r, "t")) {
            in_t = !xmlTextReaderIsEmptyElement(r);
        } else if (is_end(r, "t")) {
            in_t = false;
        } else if (in_t && !in_phonetic &&
                   (type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
            text_append(&t, (const char *)xmlTextReaderConstValue(r));
        }
    }
    xmlFreeTextReader(r);
    return e;
}

/* Column index of a cell reference such as "B12"; -1 when it has no column letters. */
static int column_of(const char *ref)
{
    int column = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
        column = column * 26 + (*ref - 'A' + 1);
        if (column > 16384)
            return -1;
    }
    return letters ? column - 1 : -1;
}

/* A number as people wrote it: integers without ".0" or an exponent (postal codes, phones). */
static void number_text(const char *v, struct text *out)
{
    char *end;
    double d = strtod(v, &end);
    out->len = 0;
    /* The range comes first: converting a double out of long long's range is undefined. */
    if (*v && !*end && d > -1e15 && d < 1e15 && d == (double)(long long)d)
        out->len = (size_t)snprintf(out->buf, sizeof(out->buf), "%lld", (long long)d);
    else
        text_append(out, v);
}

struct cell {
    int column;
    char type[16];
    bool in_v, in_is, in_t;
    struct text text;
};

struct row_state {
    struct sheet_row scratch;
    long number;
    int last_column;
};

static const char *cell_value(struct cell *c, const struct strings *shared)
{
    if (strcmp(c->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(c->text.buf, &end, 10);
        return *c->text.buf && !*end && i < shared->count ? shared->items[i] : NULL;
    }
    if (strcmp(c->type, "b") == 0)
        return strcmp(c->text.buf, "1") == 0 ? "TRUE" : "FALSE";
    if (strcmp(c->type, "e") == 0)
        return "";
    if (!c->type[0] || strcmp(c->type, "n") == 0) {
        struct text number;
        number_text(c->text.buf, &number);
        c->text = number;
    }
    return c->text.buf;
}

static void start_cell(xmlTextReaderPtr r, struct cell *c, struct row_state *row)
{
    char *ref = attribute(r, "r"), *type = attribute(r, "t");
    c->column = ref ? column_of(ref) : row->last_column + 1;
    row->last_column = c->column;
    snprintf(c->type, sizeof(c->type), "%s", type ? type : "");
    c->text.len = 0;
    c->text.buf[0] = '\0';
    c->in_v = c->in_is = c->in_t = false;
    xmlFree(ref);
    xmlFree(type);
}

static enum sheet_error end_row(struct row_state *row, struct sheet *sheet,
                                const struct sheet_limits *limits)
{
    if (sheet_row_is_blank(&row->scratch))
        return SHEET_OK;
    if (sheet->count >= limits->max_rows)
        return SHEET_TOO_MANY_ROWS;
    struct sheet_row *kept = sheet_add_row(sheet, row->number);
    if (!kept)
        return SHEET_NO_MEMORY;
    memcpy(kept->cells, row->scratch.cells, sizeof(kept->cells));
    return SHEET_OK;
}

static void start_row(xmlTextReaderPtr r, struct row_state *row)
{
    char *number = attribute(r, "r");
    row->number = number ? strtol(number, NULL, 10) : row->number + 1;
    row->last_column = -1;
    for (int i = 0; i < SHEET_COLUMNS; i++)
        row->scratch.cells[i] = "";
    xmlFree(number);
}

/* Handles one node of a worksheet; returns an error or SHEET_OK. */
static enum sheet_error sheet_node(xmlTextReaderPtr r, struct cell *c, struct row_state *row,
                                   const struct strings *shared, struct sheet *sheet,
                                   const struct sheet_limits *limits)
{
    int type = xmlTextReaderNodeType(r);
    bool empty = xmlTextReaderIsEmptyElement(r);
    if (is_element(r, "row")) {
        start_row(r, row);
        return empty ? end_row(row, sheet, limits) : SHEET_OK;
    }
    if (is_end(r, "row"))
        return end_row(row, sheet, limits);
    if (is_element(r, "c")) {
        start_cell(r, c, row);
    } else if (is_end(r, "c")) {
        const char *value = cell_value(c, shared);
        if (c->column >= 0 && c->column < SHEET_COLUMNS && value) {
            row->scratch.cells[c->column] = sheet_cell_copy(sheet, value, strlen(value));
            if (!row->scratch.cells[c->column])
                return SHEET_NO_MEMORY;
        }
    } else if (is_element(r, "v")) {
        c->in_v = !empty;
    } else if (is_end(r, "v")) {
        c->in_v = false;
    } else if (is_element(r, "is")) {
        c->in_is = !empty;
    } else if (is_end(r, "is")) {
        c->in_is = false;
    } else if (is_element(r, "t")) {
        c->in_t = !empty;
    } else if (is_end(r, "t")) {
        c->in_t = false;
    } else if ((c->in_v || (c->in_is && c->in_t)) &&
               (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
        text_append(&c->text, (const char *)xmlTextReaderConstValue(r));
    }
    return SHEET_OK;
}

static enum sheet_error read_rows(const char *xml, size_t len, const struct strings *shared,
                                  struct sheet *sheet, const struct sheet_limits *limits)
{
    enum sheet_error e;
    xmlTextReaderPtr r = open_xml(xml, len, &e);
    if (!r)
        return e;
    static struct cell c;
    struct row_state row = {.number = 0, .last_column = -1};
    while (e == SHEET_OK && next_node(r, &e) == 1)
        e = sheet_node(r, &c, &row, shared, sheet, limits);
    xmlFreeTextReader(r);
    return e;
}

/* Reads the workbook's parts in order: workbook, its relationships, shared strings, sheet. */
static enum sheet_error read_workbook(zip_t *za, const struct sheet_limits *limits,
                                      struct sheet *sheet)
{
    struct budget b = {limits, 0};
    char *xml = NULL;
    size_t len;
    char rel[XLSX_PATH_MAX], path[XLSX_PATH_MAX];
    enum sheet_error e = inflate_entry(za, "xl/workbook.xml", &b, &xml, &len);
    if (e == SHEET_OK)
        e = xml ? first_sheet_rel(xml, len, rel, sizeof(rel)) : SHEET_UNREADABLE;
    free(xml);
    if (e == SHEET_OK)
        e = inflate_entry(za, "xl/_rels/workbook.xml.rels", &b, &xml, &len);
    if (e == SHEET_OK) {
        e = xml ? sheet_path(xml, len, rel, path, sizeof(path)) : SHEET_UNREADABLE;
        free(xml);
    }
    struct strings shared = {0};
    if (e == SHEET_OK)
        e = inflate_entry(za, "xl/sharedStrings.xml", &b, &xml, &len);
    if (e == SHEET_OK && xml) {
        e = read_shared_strings(xml, len, sheet->arena, &shared);
        free(xml);
    }
    if (e == SHEET_OK)
        e = inflate_entry(za, path, &b, &xml, &len);
    if (e == SHEET_OK) {
        e = xml ? read_rows(xml, len, &shared, sheet, limits) : SHEET_UNREADABLE;
        free(xml);
    }
    return e;
}

enum sheet_error xlsx_read(const void *data, size_t len, const struct sheet_limits *limits,
                           struct sheet *sheet)
{
    static bool loader_set;
    if (!loader_set) {
        xmlSetExternalEntityLoader(refuse_external);
        loader_set = true;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        if (src)
            zip_source_free(src);
        return SHEET_UNREADABLE;
    }
    zip_int64_t entries = zip_get_num_entries(za, 0);
    enum sheet_error e = entries < 0                            ? SHEET_UNREADABLE
                         : (zip_uint64_t)entries > limits->max_entries ? SHEET_TOO_MANY_ENTRIES
                                                                : read_workbook(za, limits, sheet);
    zip_discard(za);
    return e;
}
