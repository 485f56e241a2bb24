/* The CSV reader and the text encodings it meets: separators, quotes, line ends, BOM,
 * Windows-1252, blank rows, limits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/csv_reader.h"
#include "lib/text_encoding.h"

static struct arena *arena;
static struct sheet sheet;
static const struct sheet_limits limits = {100, 200, 1024 * 1024, 100};

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

TestSuite(csv_reader, .init = setup, .fini = teardown);

static enum sheet_error read_bytes(const char *data, size_t len)
{
    return csv_read(data, len, &limits, &sheet);
}

/* Reads a text that must be readable. */
static void read_ok(const char *text)
{
    cr_assert_eq(read_bytes(text, strlen(text)), SHEET_OK, "%s", text);
}

Test(csv_reader, semicolons_are_detected)
{
    read_ok("a;b,c;d\n");
    cr_assert_eq(sheet.count, 1);
    cr_assert_str_eq(sheet.rows[0].cells[1], "b,c");
    cr_assert_str_eq(sheet.rows[0].cells[2], "d");
}

Test(csv_reader, commas_are_detected)
{
    read_ok("a,b;c,d\n");
    cr_assert_str_eq(sheet.rows[0].cells[1], "b;c");
    cr_assert_str_eq(sheet.rows[0].cells[2], "d");
}

Test(csv_reader, tabs_are_detected)
{
    read_ok("a\tb,c\td;e\n");
    cr_assert_str_eq(sheet.rows[0].cells[1], "b,c");
    cr_assert_str_eq(sheet.rows[0].cells[2], "d;e");
}

Test(csv_reader, quoted_fields_hold_separators_quotes_and_line_breaks)
{
    read_ok("\"a;1\";\"say \"\"hi\"\"\";\"two\r\nlines\";x\r\nnext;row\r\n");
    cr_assert_eq(sheet.count, 2);
    cr_assert_str_eq(sheet.rows[0].cells[0], "a;1");
    cr_assert_str_eq(sheet.rows[0].cells[1], "say \"hi\"");
    cr_assert_str_eq(sheet.rows[0].cells[2], "two\r\nlines");
    cr_assert_str_eq(sheet.rows[0].cells[3], "x");
    cr_assert_eq(sheet.rows[1].number, 2);
    cr_assert_str_eq(sheet.rows[1].cells[0], "next");
}

Test(csv_reader, lf_crlf_and_cr_end_records)
{
    read_ok("a;1\nb;2\r\nc;3\rd;4");
    cr_assert_eq(sheet.count, 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(sheet.rows[i].number, (long)i + 1);
    cr_assert_str_eq(sheet.rows[3].cells[1], "4", "the last record needs no line end");
}

Test(csv_reader, blank_records_are_skipped_but_numbered)
{
    read_ok("head;er\n\n;;;\n  ; \nlast;row\n");
    cr_assert_eq(sheet.count, 2);
    cr_assert_eq(sheet.rows[1].number, 5);
    cr_assert_str_eq(sheet.rows[1].cells[0], "last");
}

Test(csv_reader, missing_cells_are_empty_and_cells_past_j_are_ignored)
{
    read_ok("a;b\n1;2;3;4;5;6;7;8;9;10;11;12\n");
    cr_assert_str_eq(sheet.rows[0].cells[9], "");
    cr_assert_str_eq(sheet.rows[1].cells[9], "10");
}

Test(csv_reader, utf8_bom_is_dropped)
{
    read_ok("\xEF\xBB\xBF"
            "E-mail;Nom\n");
    cr_assert_str_eq(sheet.rows[0].cells[0], "E-mail");
}

Test(csv_reader, utf8_is_kept_as_is)
{
    read_ok("Lefèvre;Œuvres;€\n");
    cr_assert_str_eq(sheet.rows[0].cells[0], "Lefèvre");
    cr_assert_str_eq(sheet.rows[0].cells[1], "Œuvres");
    cr_assert_str_eq(sheet.rows[0].cells[2], "€");
}

Test(csv_reader, windows_1252_is_converted_to_utf8)
{
    read_ok("Lef\xE8vre;\x8Cuvres;\x80;Particuli\xE8re\n");
    cr_assert_str_eq(sheet.rows[0].cells[0], "Lefèvre");
    cr_assert_str_eq(sheet.rows[0].cells[1], "Œuvres");
    cr_assert_str_eq(sheet.rows[0].cells[2], "€");
    cr_assert_str_eq(sheet.rows[0].cells[3], "Particulière");
}

Test(csv_reader, nul_bytes_are_unreadable)
{
    static const char data[] = "a;b\n\0\0;c\n";
    cr_assert_eq(read_bytes(data, sizeof(data) - 1), SHEET_UNREADABLE);
}

Test(csv_reader, rows_past_the_limit_are_refused)
{
    const struct sheet_limits two = {2, 200, 1024, 100};
    const char *text = "a;1\nb;2\nc;3\n";
    cr_assert_eq(csv_read(text, strlen(text), &two, &sheet), SHEET_TOO_MANY_ROWS);
}

Test(csv_reader, blank_rows_do_not_count_against_the_limit)
{
    const struct sheet_limits two = {2, 200, 1024, 100};
    const char *text = "a;1\n\n;;\n\nb;2\n\n";
    cr_assert_eq(csv_read(text, strlen(text), &two, &sheet), SHEET_OK);
    cr_assert_eq(sheet.count, 2);
}

Test(csv_reader, an_unclosed_quote_runs_to_the_end)
{
    read_ok("a;\"b\nc");
    cr_assert_eq(sheet.count, 1);
    cr_assert_str_eq(sheet.rows[0].cells[1], "b\nc");
}

Test(csv_reader, a_long_cell_is_cut_to_sheet_cell_max_at_a_character_boundary)
{
    char text[4096] = "a";
    for (int i = 0; i < 1500; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", "é");
    snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", ";next\n");
    read_ok(text);
    const char *cell = sheet.rows[0].cells[0];
    cr_assert_leq(strlen(cell), SHEET_CELL_MAX, "%zu bytes kept", strlen(cell));
    cr_assert(text_is_utf8(cell, strlen(cell)), "the cut split a character (%zu bytes)",
              strlen(cell));
    cr_assert_str_eq(sheet.rows[0].cells[1], "next");
}

Test(text_encoding, utf8_validation)
{
    cr_assert(text_is_utf8("Lefèvre €", strlen("Lefèvre €")));
    cr_assert_not(text_is_utf8("Lef\xE8vre", 8), "Windows-1252 is not UTF-8");
    cr_assert_not(text_is_utf8("\xC0\xAF", 2), "overlong form");
    cr_assert_not(text_is_utf8("\xED\xA0\x80", 3), "surrogate");
    cr_assert_not(text_is_utf8("\xE2\x82", 2), "truncated sequence");
}

Test(text_encoding, windows_1252_holes_become_replacement_characters)
{
    struct arena *a = arena_new(4096);
    size_t len;
    char *out = text_cp1252_to_utf8(a,
                                    "\x81"
                                    "A\xFF",
                                    3, &len);
    cr_assert_str_eq(out, "\xEF\xBF\xBD"
                          "A\xC3\xBF");
    cr_assert_eq(len, 6);
    arena_free(a);
}

Test(text_encoding, bom_length)
{
    cr_assert_eq(text_bom_length("\xEF\xBB\xBFx", 4), 3);
    cr_assert_eq(text_bom_length("\xEF\xBB", 2), 0);
    cr_assert_eq(text_bom_length("abc", 3), 0);
}
