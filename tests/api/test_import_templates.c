/* The templates people download to fill in: an XLSX checked with libzip and libxml2, and a CSV
 * that spreadsheet programs open in French locales. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static struct reply *download(struct client *c, const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/imports/%s", name);
    struct reply *r = client_send(c, "GET", path, NULL, NULL);
    cr_assert_eq(r->status, 200, "%s: %ld %s", name, r->status, r->body);
    return r;
}

/* The text of one entry of the downloaded template (malloc'd, NUL-terminated); NULL when the
 * archive has no such entry. */
static char *template_entry_or_null(const char *name, size_t *len)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = download(&c, "template.xlsx");
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(r->body, r->body_len, 0, &error);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error) : NULL;
    cr_assert_not_null(za, "template.xlsx is not a zip: %s", zip_error_strerror(&error));
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0) {
        zip_discard(za);
        zip_error_fini(&error);
        reply_free(r);
        return NULL;
    }
    char *text = malloc(st.size + 1);
    zip_file_t *f = zip_fopen(za, name, 0);
    cr_assert(text && f);
    cr_assert_eq(zip_fread(f, text, st.size), (zip_int64_t)st.size);
    text[st.size] = '\0';
    zip_fclose(f);
    zip_discard(za);
    zip_error_fini(&error);
    reply_free(r);
    *len = st.size;
    return text;
}

static char *template_entry(const char *name, size_t *len)
{
    char *text = template_entry_or_null(name, len);
    cr_assert_not_null(text, "template.xlsx has no %s", name);
    return text;
}

/* Evaluates an XPath (prefix "x" for the spreadsheet namespace) as a string. */
static char *xpath_string(const char *xml, size_t len, const char *expr)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "x", BAD_CAST MAIN_NS);
    xmlXPathObjectPtr v = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    cr_assert_not_null(v, "bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(v);
    char *out = strdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(v);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return out;
}

Test(import_templates, xlsx_template_is_a_workbook_with_a_first_sheet)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = download(&c, "template.xlsx");
    char *type = reply_header(r, "Content-Type");
    cr_assert_str_eq(type, XLSX_TYPE);
    free(type);
    char *disposition = reply_header(r, "Content-Disposition");
    cr_assert_not_null(disposition);
    cr_assert_str_eq(disposition, "attachment; filename=\"modele-destinataires.xlsx\"");
    free(disposition);
    reply_free(r);
    size_t len;
    char *sheet = template_entry("xl/worksheets/sheet1.xml", &len);
    cr_assert_gt(len, 0);
    free(sheet);
}

Test(import_templates, xlsx_template_has_the_header_labels)
{
    size_t shared_len = 0, sheet_len;
    char *sheet = template_entry("xl/worksheets/sheet1.xml", &sheet_len);
    char *shared = template_entry_or_null("xl/sharedStrings.xml", &shared_len);
    for (int col = 0; col < FIXTURE_COLUMNS; col++) {
        const char *label = fixture_template_header[col];
        char expr[256];
        snprintf(expr, sizeof(expr), "count(//x:si[x:t = '%s']) + count(//x:is[x:t = '%s'])", label,
                 label);
        char *in_shared = shared ? xpath_string(shared, shared_len, expr) : strdup("0");
        char *in_sheet = xpath_string(sheet, sheet_len, expr);
        cr_assert(strcmp(in_shared, "0") != 0 || strcmp(in_sheet, "0") != 0, "label %s missing",
                  label);
        free(in_sheet);
        free(in_shared);
    }
    char *first = xpath_string(sheet, sheet_len, "string(//x:sheetData/x:row[1]/@r)");
    cr_assert_str_eq(first, "1");
    free(first);
    free(shared);
    free(sheet);
}

Test(import_templates, xlsx_template_sheet_is_destinataires_with_its_header_frozen)
{
    size_t book_len, sheet_len;
    char *book = template_entry("xl/workbook.xml", &book_len);
    char *name = xpath_string(book, book_len, "string(//x:sheets/x:sheet[1]/@name)");
    cr_assert_str_eq(name, "Destinataires");
    char *sheet = template_entry("xl/worksheets/sheet1.xml", &sheet_len);
    char *state = xpath_string(sheet, sheet_len, "string(//x:pane[@ySplit = '1']/@state)");
    cr_assert_str_eq(state, "frozen");
    free(state);
    free(sheet);
    free(name);
    free(book);
}

Test(import_templates, xlsx_template_offers_the_two_statuses_in_column_e)
{
    size_t len;
    char *sheet = template_entry("xl/worksheets/sheet1.xml", &len);
    char *type =
        xpath_string(sheet, len, "string(//x:dataValidation[starts-with(@sqref,'E')]/@type)");
    cr_assert_str_eq(type, "list");
    char *list =
        xpath_string(sheet, len, "string(//x:dataValidation[starts-with(@sqref,'E')]/x:formula1)");
    cr_assert(strstr(list, "professionnel") && strstr(list, "particulier"), "%s", list);
    free(list);
    free(type);
    free(sheet);
}

Test(import_templates, xlsx_template_formats_column_h_as_text)
{
    size_t sheet_len, styles_len;
    char *sheet = template_entry("xl/worksheets/sheet1.xml", &sheet_len);
    char *styles = template_entry("xl/styles.xml", &styles_len);
    char *style =
        xpath_string(sheet, sheet_len, "string(//x:cols/x:col[@min <= 8 and @max >= 8]/@style)");
    cr_assert(*style, "column H has no style");
    char expr[256];
    snprintf(expr, sizeof(expr), "string(//x:cellXfs/x:xf[%ld]/@numFmtId)", strtol(style, NULL, 10) + 1);
    char *format = xpath_string(styles, styles_len, expr);
    /* 49 is the built-in text format "@"; a custom one must say "@" itself. */
    snprintf(expr, sizeof(expr), "string(//x:numFmt[@numFmtId = '%s']/@formatCode)", format);
    char *code = xpath_string(styles, styles_len, expr);
    cr_assert(strcmp(format, "49") == 0 || strcmp(code, "@") == 0,
              "column H uses number format %s (%s)", format, code);
    free(code);
    free(format);
    free(style);
    free(styles);
    free(sheet);
}

Test(import_templates, csv_template_has_a_bom_and_semicolons)
{
    struct client c;
    client_init(&c);
    client_signup(&c, NULL, 0);
    struct reply *r = download(&c, "template.csv");
    char *type = reply_header(r, "Content-Type");
    cr_assert_not_null(type);
    cr_assert_str_eq(type, "text/csv; charset=utf-8");
    free(type);
    cr_assert(r->body_len > 3 && memcmp(r->body, "\xEF\xBB\xBF", 3) == 0, "no UTF-8 BOM");
    const char *labels = "E-mail;Nom;Prénom;Société;Statut;Adresse ligne 1;";
    cr_assert(strncmp(r->body + 3, labels, strlen(labels)) == 0, "%s", r->body);
    size_t semicolons = 0;
    for (const char *p = r->body; *p && *p != '\n'; p++)
        semicolons += *p == ';';
    cr_assert_eq(semicolons, 9, "ten columns: %s", r->body);
    cr_assert(r->body_len > 2 && strcmp(r->body + r->body_len - 2, "\r\n") == 0, "ends with CRLF");
    reply_free(r);
}

Test(import_templates, untouched_xlsx_template_imports_no_rows)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = download(&t.admin, "template.xlsx");
    struct reply *imported = import_bytes(&t, r->body, r->body_len, XLSX_TYPE, false);
    reply_free(r);
    import_expect(imported, 0, 0, 0, 0);
    reply_free(imported);
}

Test(import_templates, untouched_csv_template_imports_no_rows)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = download(&t.admin, "template.csv");
    struct reply *imported = import_bytes(&t, r->body, r->body_len, CSV_TYPE, false);
    reply_free(r);
    import_expect(imported, 0, 0, 0, 0);
    reply_free(imported);
}

Test(import_templates, templates_need_a_signed_in_user)
{
    struct client anonymous;
    client_init(&anonymous);
    struct reply *r = client_send(&anonymous, "GET", "/api/v1/imports/template.xlsx", NULL, NULL);
    reply_expect_problem(r, 401, "unauthenticated");
    reply_free(r);
}
