/* The committed fixtures, zip archives, minimal workbooks and libxlsxwriter workbooks of
 * fixtures.h. */
#include "fixtures.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

const fixture_row fixture_template_header = {
    "E-mail",          "Nom",         "Prénom", "Société", "Statut", "Adresse ligne 1",
    "Adresse ligne 2", "Code postal", "Ville",  "Pays",
};

void fixture_free(struct fixture *f)
{
    free(f->data);
    f->data = NULL;
    f->len = 0;
}

static struct fixture read_path(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    cr_assert_gt(n, 0, "%s is empty", path);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    struct fixture out = {malloc((size_t)n), (size_t)n};
    cr_assert_not_null(out.data);
    cr_assert_eq(fread(out.data, 1, out.len, f), out.len, "short read of %s", path);
    fclose(f);
    return out;
}

struct fixture fixture_read(const char *name)
{
    const char *dir = getenv("PLI_TEST_FIXTURES");
    cr_assert(dir && *dir, "PLI_TEST_FIXTURES is not set");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return read_path(path);
}

struct fixture fixture_zip(const struct fixture_entry *entries, size_t n)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &error);
    cr_assert_not_null(out);
    zip_source_keep(out);
    zip_t *za = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    cr_assert_not_null(za, "zip: %s", zip_error_strerror(&error));
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, entries[i].data, entries[i].len, 0);
        cr_assert_not_null(s);
        cr_assert_geq(zip_file_add(za, entries[i].name, s, ZIP_FL_ENC_UTF_8), 0, "zip add %s: %s",
                      entries[i].name, zip_strerror(za));
    }
    cr_assert_eq(zip_close(za), 0, "zip close: %s", zip_strerror(za));
    cr_assert_eq(zip_source_open(out), 0);
    cr_assert_eq(zip_source_seek(out, 0, SEEK_END), 0);
    zip_int64_t size = zip_source_tell(out);
    cr_assert_gt(size, 0);
    cr_assert_eq(zip_source_seek(out, 0, SEEK_SET), 0);
    struct fixture f = {malloc((size_t)size), (size_t)size};
    cr_assert_not_null(f.data);
    cr_assert_eq(zip_source_read(out, f.data, (zip_uint64_t)size), size);
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    return f;
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "</Types>";
static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Destinataires\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

struct fixture fixture_workbook(const char *sheet_xml, size_t sheet_len, const char *shared_xml,
                                size_t shared_len, size_t padding)
{
    size_t n = 0, max = 6 + padding;
    struct fixture_entry *e = calloc(max, sizeof(*e));
    char(*names)[64] = calloc(padding ? padding : 1, sizeof(*names));
    cr_assert(e && names);
    e[n++] = (struct fixture_entry){"[Content_Types].xml", content_types, strlen(content_types)};
    e[n++] = (struct fixture_entry){"_rels/.rels", root_rels, strlen(root_rels)};
    e[n++] = (struct fixture_entry){"xl/workbook.xml", workbook, strlen(workbook)};
    e[n++] =
        (struct fixture_entry){"xl/_rels/workbook.xml.rels", workbook_rels, strlen(workbook_rels)};
    e[n++] = (struct fixture_entry){"xl/worksheets/sheet1.xml", sheet_xml, sheet_len};
    if (shared_xml)
        e[n++] = (struct fixture_entry){"xl/sharedStrings.xml", shared_xml, shared_len};
    for (size_t i = 0; i < padding; i++) {
        snprintf(names[i], sizeof(names[i]), "docProps/extra%zu.xml", i);
        e[n++] = (struct fixture_entry){names[i], "<x/>", 4};
    }
    struct fixture f = fixture_zip(e, n);
    free(names);
    free(e);
    return f;
}

char *fixture_sheet_xml(const char *rows_xml, size_t *len)
{
    size_t n = strlen(FIXTURE_SHEET_HEAD) + strlen(rows_xml) + strlen(FIXTURE_SHEET_TAIL);
    char *xml = malloc(n + 1);
    cr_assert_not_null(xml);
    snprintf(xml, n + 1, "%s%s%s", FIXTURE_SHEET_HEAD, rows_xml, FIXTURE_SHEET_TAIL);
    *len = n;
    return xml;
}

struct fixture fixture_xlsx(const fixture_row *rows, size_t n, unsigned numeric_columns)
{
    char path[] = "/tmp/pli-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    cr_assert_not_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Destinataires");
    for (size_t r = 0; r < n; r++) {
        for (int col = 0; col < FIXTURE_COLUMNS; col++) {
            const char *v = rows[r][col];
            if (!v || !*v)
                continue;
            char *end;
            double d = strtod(v, &end);
            if ((numeric_columns & (1u << col)) && !*end)
                worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)col, d, NULL);
            else
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)col, v, NULL);
        }
    }
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    struct fixture f = read_path(path);
    unlink(path);
    return f;
}

/* Row i (from 0) of generated data: a distinct, valid individual with a Paris address. */
static void generated_row(size_t i, char *email, size_t email_size, char *last, size_t last_size)
{
    snprintf(email, email_size, "contact%zu@example.fr", i);
    snprintf(last, last_size, "Nom%zu", i);
}

struct fixture fixture_xlsx_generated(size_t n)
{
    fixture_row *rows = calloc(n + 1, sizeof(*rows));
    char(*emails)[48] = calloc(n + 1, sizeof(*emails));
    char(*lasts)[32] = calloc(n + 1, sizeof(*lasts));
    cr_assert(rows && emails && lasts);
    memcpy(rows[0], fixture_template_header, sizeof(fixture_row));
    for (size_t i = 0; i < n; i++) {
        generated_row(i, emails[i], sizeof(emails[i]), lasts[i], sizeof(lasts[i]));
        fixture_row row = {emails[i],         lasts[i], "Prénom", "",      "particulier",
                           "1 rue de Rivoli", "",       "75001",  "Paris", "FR"};
        memcpy(rows[i + 1], row, sizeof(row));
    }
    struct fixture f = fixture_xlsx((const fixture_row *)rows, n + 1, 0);
    free(lasts);
    free(emails);
    free(rows);
    return f;
}

struct fixture fixture_csv_generated(size_t n)
{
    size_t cap = 256 + n * 128, len = 0;
    char *csv = malloc(cap);
    cr_assert_not_null(csv);
    len += (size_t)snprintf(csv, cap,
                            "E-mail;Nom;Prénom;Société;Statut;Adresse ligne 1;"
                            "Adresse ligne 2;Code postal;Ville;Pays\r\n");
    for (size_t i = 0; i < n; i++) {
        char email[48], last[32];
        generated_row(i, email, sizeof(email), last, sizeof(last));
        len += (size_t)snprintf(csv + len, cap - len,
                                "%s;%s;Prénom;;particulier;1 rue de Rivoli;;75001;Paris;FR\r\n",
                                email, last);
        cr_assert_lt(len, cap);
    }
    return (struct fixture){(unsigned char *)csv, len};
}
