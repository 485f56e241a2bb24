/* The XLSX reader: cells of every kind, row numbers, the first sheet, limits, zip bombs and
 * XML with a document type declaration. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "lib/arena.h"
#include "lib/text_encoding.h"
#include "lib/xlsx_reader.h"
/* The unit binary does not link the API test support library: its generators are built here. */
#include "tests/api/support/fixtures.c"
#include "tests/api/support/fixtures_hostile.c"

static struct arena *arena;
static struct sheet sheet;
static const struct sheet_limits limits = {100, 200, 50u * 1024u * 1024u, 100};

static void setup(void)
{
    arena = arena_new(64u * 1024u * 1024u);
    cr_assert_not_null(arena);
    sheet_init(&sheet, arena);
}

static void teardown(void)
{
    arena_free(arena);
}

TestSuite(xlsx_reader, .init = setup, .fini = teardown);

/* Reads a fixture (then frees it) with these limits. */
static enum sheet_error read_with(struct fixture f, const struct sheet_limits *l)
{
    enum sheet_error e = xlsx_read(f.data, f.len, l, &sheet);
    fixture_free(&f);
    return e;
}

/* A workbook of these rows (the inside of <sheetData>) and optional shared strings. */
static struct fixture book(const char *rows, const char *shared)
{
    size_t len;
    char *xml = fixture_sheet_xml(rows, &len);
    struct fixture f = fixture_workbook(xml, len, shared, shared ? strlen(shared) : 0, 0);
    free(xml);
    return f;
}

#define SST_HEAD "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

Test(xlsx_reader, libreoffice_file_keeps_its_row_numbers_and_cells)
{
    cr_assert_eq(read_with(fixture_read("template-filled.xlsx"), &limits), SHEET_OK);
    static const long numbers[] = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11};
    cr_assert_eq(sheet.count, 10);
    for (size_t i = 0; i < 10; i++)
        cr_assert_eq(sheet.rows[i].number, numbers[i], "row %zu", i);
    cr_assert_str_eq(sheet.rows[0].cells[2], "Prénom");
    cr_assert_str_eq(sheet.rows[2].cells[1], "Lefèvre");
    cr_assert_str_eq(sheet.rows[2].cells[7], "6000", "a number without \".0\"");
    cr_assert_str_eq(sheet.rows[3].cells[4], "Particulière");
}

Test(xlsx_reader, shared_inline_number_boolean_and_error_cells)
{
    const char *rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c>"
                       "<c r=\"B1\" t=\"inlineStr\"><is><t>inline</t></is></c>"
                       "<c r=\"C1\"><v>75001</v></c><c r=\"D1\" t=\"n\"><v>1.5</v></c>"
                       "<c r=\"E1\" t=\"b\"><v>1</v></c><c r=\"F1\" t=\"e\"><v>#N/A</v></c>"
                       "<c r=\"G1\" t=\"str\"><f>A1</f><v>formula</v></c>"
                       "<c r=\"H1\"><v>6.0E3</v></c></row>";
    const char *shared = SST_HEAD "<si><t>zero</t></si><si><r><t>Lef</t></r><r><t>èvre</t></r>"
                                  "<rPh><t>ルフェーヴル</t></rPh></si></sst>";
    cr_assert_eq(read_with(book(rows, shared), &limits), SHEET_OK);
    const char *const *c = sheet.rows[0].cells;
    cr_assert_str_eq(c[0], "Lefèvre", "rich text runs joined, phonetic run aside");
    cr_assert_str_eq(c[1], "inline");
    cr_assert_str_eq(c[2], "75001");
    cr_assert_str_eq(c[3], "1.5");
    cr_assert_str_eq(c[4], "TRUE");
    cr_assert_str_eq(c[5], "");
    cr_assert_str_eq(c[6], "formula");
    cr_assert_str_eq(c[7], "6000");
}

Test(xlsx_reader, numbers_beyond_integers_stay_as_written)
{
    const char *rows = "<row r=\"1\"><c r=\"A1\"><v>1E+300</v></c><c r=\"B1\"><v>-1E+300</v></c>"
                       "<c r=\"C1\"><v>NaN</v></c><c r=\"D1\"><v>1E+15</v></c>"
                       "<c r=\"E1\"><v>999999999999999</v></c></row>";
    cr_assert_eq(read_with(book(rows, NULL), &limits), SHEET_OK);
    const char *const *c = sheet.rows[0].cells;
    cr_assert_str_eq(c[0], "1E+300");
    cr_assert_str_eq(c[1], "-1E+300");
    cr_assert_str_eq(c[2], "NaN");
    cr_assert_str_eq(c[3], "1E+15");
    cr_assert_str_eq(c[4], "999999999999999");
}

Test(xlsx_reader, cells_without_reference_follow_and_cells_past_j_are_ignored)
{
    const char *rows = "<row r=\"3\"><c t=\"inlineStr\"><is><t>a</t></is></c>"
                       "<c t=\"inlineStr\"><is><t>b</t></is></c>"
                       "<c r=\"J3\" t=\"inlineStr\"><is><t>j</t></is></c>"
                       "<c r=\"K3\" t=\"inlineStr\"><is><t>k</t></is></c></row>"
                       "<row r=\"7\"><c r=\"AA7\" t=\"inlineStr\"><is><t>far</t></is></c></row>";
    cr_assert_eq(read_with(book(rows, NULL), &limits), SHEET_OK);
    cr_assert_eq(sheet.count, 1, "a row with cells past J only is blank");
    cr_assert_eq(sheet.rows[0].number, 3);
    cr_assert_str_eq(sheet.rows[0].cells[0], "a");
    cr_assert_str_eq(sheet.rows[0].cells[1], "b");
    cr_assert_str_eq(sheet.rows[0].cells[9], "j");
}

Test(xlsx_reader, shared_string_index_out_of_range_is_empty)
{
    const char *rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c>"
                       "<c r=\"B1\" t=\"s\"><v>0</v></c></row>";
    cr_assert_eq(read_with(book(rows, SST_HEAD "<si><t>x</t></si></sst>"), &limits), SHEET_OK);
    cr_assert_str_eq(sheet.rows[0].cells[0], "");
    cr_assert_str_eq(sheet.rows[0].cells[1], "x");
}

Test(xlsx_reader, the_first_sheet_listed_is_read_wherever_it_is)
{
    static const char wb[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"B\" sheetId=\"2\" r:id=\"rId7\"/><sheet name=\"A\" sheetId=\"1\" "
        "r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/other.xml\"/></Relationships>";
    size_t l1, l2;
    char *s1 = fixture_sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", &l1);
    char *s2 = fixture_sheet_xml("<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>", &l2);
    const struct fixture_entry entries[] = {
        {"xl/workbook.xml", wb, strlen(wb)},
        {"xl/_rels/workbook.xml.rels", rels, strlen(rels)},
        {"xl/worksheets/sheet1.xml", s1, l1},
        {"xl/worksheets/other.xml", s2, l2},
    };
    struct fixture f = fixture_zip(entries, 4);
    free(s1);
    free(s2);
    cr_assert_eq(read_with(f, &limits), SHEET_OK);
    cr_assert_str_eq(sheet.rows[0].cells[0], "2");
}

Test(xlsx_reader, rows_past_the_limit_are_refused)
{
    const struct sheet_limits two = {2, 200, 1024 * 1024, 100};
    const char *rows = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"/>"
                       "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>"
                       "<row r=\"4\"><c r=\"A4\"><v>4</v></c></row>";
    cr_assert_eq(read_with(book(rows, NULL), &two), SHEET_TOO_MANY_ROWS);
}

Test(xlsx_reader, entries_past_the_limit_are_refused)
{
    const struct sheet_limits five = {100, 5, 1024 * 1024, 100};
    cr_assert_eq(read_with(book("", SST_HEAD "</sst>"), &five), SHEET_TOO_MANY_ENTRIES);
}

Test(xlsx_reader, inflating_past_the_limit_is_refused)
{
    const struct sheet_limits small = {100, 200, 4096, 100};
    cr_assert_eq(read_with(fixture_dense_sheet(8192), &small), SHEET_INFLATED_TOO_LARGE);
}

static zip_t *open_fixture(const struct fixture *f)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(f->data, f->len, 0, &error);
    cr_assert_not_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &error);
    cr_assert_not_null(za);
    return za;
}

/* The bytes the reader inflates from a workbook: its workbook, relations, shared strings and
 * first sheet, as the archive's directory gives their sizes. */
static size_t inflated_size(const struct fixture *f)
{
    static const char *const read[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                       "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
    zip_t *za = open_fixture(f);
    size_t total = 0;
    for (size_t i = 0; i < sizeof(read) / sizeof(read[0]); i++) {
        zip_stat_t st;
        if (zip_stat(za, read[i], 0, &st) == 0)
            total += (size_t)st.size;
    }
    zip_close(za);
    return total;
}

Test(xlsx_reader, inflating_exactly_the_limit_is_read_one_byte_more_is_not)
{
    struct fixture f = fixture_dense_sheet(8192);
    size_t total = inflated_size(&f);
    const struct sheet_limits at = {100, 200, total, 100}, under = {100, 200, total - 1, 100};
    cr_assert_neq(xlsx_read(f.data, f.len, &at, &sheet), SHEET_INFLATED_TOO_LARGE);
    sheet_init(&sheet, arena);
    cr_assert_eq(read_with(f, &under), SHEET_INFLATED_TOO_LARGE);
}

Test(xlsx_reader, an_entry_inflating_exactly_the_ratio_is_read_more_is_not)
{
    struct fixture f = fixture_spaces_sheet(XLSX_RATIO_FLOOR + 4096);
    zip_t *za = open_fixture(&f);
    zip_stat_t st;
    cr_assert_eq(zip_stat(za, "xl/worksheets/sheet1.xml", 0, &st), 0);
    zip_close(za);
    unsigned ratio = (unsigned)(st.size / st.comp_size);
    const struct sheet_limits at = {100, 200, 50u * 1024u * 1024u, ratio},
                              under = {100, 200, 50u * 1024u * 1024u, ratio - 1};
    cr_assert_eq(xlsx_read(f.data, f.len, &at, &sheet), SHEET_OK);
    sheet_init(&sheet, arena);
    cr_assert_eq(read_with(f, &under), SHEET_RATIO_TOO_HIGH);
}

Test(xlsx_reader, an_entry_past_64_kib_inflating_over_the_ratio_is_refused)
{
    cr_assert_eq(read_with(fixture_spaces_sheet(XLSX_RATIO_FLOOR + 4096), &limits),
                 SHEET_RATIO_TOO_HIGH);
}

Test(xlsx_reader, an_entry_under_64_kib_is_not_held_to_the_ratio)
{
    cr_assert_eq(read_with(fixture_spaces_sheet(XLSX_RATIO_FLOOR - 2048), &limits), SHEET_OK);
    cr_assert_eq(sheet.count, 0);
}

Test(xlsx_reader, entity_bomb_is_refused)
{
    cr_assert_eq(read_with(fixture_entity_bomb(), &limits), SHEET_DTD_REFUSED);
}

Test(xlsx_reader, external_entity_is_refused)
{
    cr_assert_eq(read_with(fixture_xxe(), &limits), SHEET_DTD_REFUSED);
}

Test(xlsx_reader, external_entity_in_utf16_is_refused)
{
    cr_assert_eq(read_with(fixture_xxe_utf16(), &limits), SHEET_DTD_REFUSED);
}

Test(xlsx_reader, garbage_is_unreadable)
{
    static const char garbage[] = "PK\x03\x04 this is not an archive";
    cr_assert_eq(xlsx_read(garbage, sizeof(garbage) - 1, &limits, &sheet), SHEET_UNREADABLE);
}

Test(xlsx_reader, a_zip_without_workbook_is_unreadable)
{
    const struct fixture_entry only[] = {{"hello.txt", "hello", 5}};
    cr_assert_eq(read_with(fixture_zip(only, 1), &limits), SHEET_UNREADABLE);
}

Test(xlsx_reader, malformed_sheet_xml_is_unreadable)
{
    const char *bad = "<worksheet><sheetData><row r=\"1\"><c><v>1</v></row></sheetData>";
    cr_assert_eq(read_with(fixture_workbook(bad, strlen(bad), NULL, 0, 0), &limits),
                 SHEET_UNREADABLE);
}

Test(xlsx_reader, a_long_cell_is_cut_to_sheet_cell_max_at_a_character_boundary)
{
    char rows[4096] = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a";
    for (int i = 0; i < 1200; i++)
        snprintf(rows + strlen(rows), sizeof(rows) - strlen(rows), "%s", "é");
    snprintf(rows + strlen(rows), sizeof(rows) - strlen(rows), "%s", "</t></is></c></row>");
    cr_assert_eq(read_with(book(rows, NULL), &limits), SHEET_OK);
    const char *cell = sheet.rows[0].cells[0];
    cr_assert_leq(strlen(cell), SHEET_CELL_MAX);
    cr_assert(text_is_utf8(cell, strlen(cell)), "the cut split a character (%zu bytes)",
              strlen(cell));
}
