/* Files an import refuses as a whole: too many rows, too large, wrong type, not a spreadsheet.
 * Nothing is written when a file is refused. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

#define MAX_ROWS 10000
#define MAX_BYTES (10L * 1024 * 1024)

Test(import_limits, csv_of_more_than_10000_data_rows_is_refused)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_csv_generated(MAX_ROWS + 1);
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "too_many_rows");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, csv_of_10001_rows_without_header_is_refused)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_csv_generated(MAX_ROWS + 1);
    const char *first_row = memchr(f.data, '\n', f.len);
    cr_assert_not_null(first_row);
    size_t skip = (size_t)(first_row + 1 - (const char *)f.data);
    struct reply *r = import_bytes(&t, f.data + skip, f.len - skip, CSV_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "too_many_rows");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, xlsx_of_more_than_10000_data_rows_is_refused)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_xlsx_generated(MAX_ROWS + 1);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "too_many_rows");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, exactly_10000_data_rows_are_read)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_xlsx_generated(MAX_ROWS);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, true);
    fixture_free(&f);
    import_expect(r, MAX_ROWS, MAX_ROWS, 0, 0);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

/* A valid one-row CSV padded to `size` bytes with a column right of J (which imports ignore). */
static struct fixture padded_csv(size_t size)
{
    const char *head = "a@example.fr;Durand;Alice;;particulier;;;;;;";
    struct fixture f = {malloc(size), size};
    cr_assert_not_null(f.data);
    memset(f.data, 'x', size);
    memcpy(f.data, head, strlen(head));
    f.data[size - 1] = '\n';
    return f;
}

Test(import_limits, body_over_10_mib_is_413)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = padded_csv((size_t)MAX_BYTES + 1);
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 413, "payload_too_large");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, body_of_exactly_10_mib_is_read)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = padded_csv((size_t)MAX_BYTES);
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
}

Test(import_limits, ten_mib_of_empty_rows_reads_as_no_rows)
{
    struct groups_fixture t;
    groups_setup(&t);
    /* What spreadsheet programs write for formatted but empty rows, up to the size limit. */
    struct fixture f = {malloc((size_t)MAX_BYTES), (size_t)MAX_BYTES};
    cr_assert_not_null(f.data);
    for (size_t i = 0; i + 10 <= f.len; i += 10)
        memcpy(f.data + i, ";;;;;;;;;\n", 10);
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    import_expect(r, 0, 0, 0, 0);
    reply_free(r);
}

Test(import_limits, json_content_type_is_415)
{
    struct groups_fixture t;
    groups_setup(&t);
    const char *csv = "a@example.fr;Durand;Alice;;particulier\r\n";
    struct reply *r = import_bytes(&t, csv, strlen(csv), "application/json", false);
    reply_expect_problem(r, 415, "unsupported_media_type");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, legacy_excel_label_on_an_xlsx_file_reads_the_xlsx)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_read("template-filled.xlsx");
    struct reply *r = import_fixture(&t, &f, "application/vnd.ms-excel", false);
    fixture_free(&f);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_gt(groups_count_contacts(t.group_id), 0);
    reply_free(r);
}

Test(import_limits, legacy_excel_label_on_a_csv_file_reads_the_csv)
{
    struct groups_fixture t;
    groups_setup(&t);
    const char *csv = "a@example.fr;Durand;Alice;;particulier\r\n";
    struct reply *r = import_bytes(&t, csv, strlen(csv), "application/vnd.ms-excel", false);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(import_limits, old_binary_xls_workbook_is_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old workbook";
    struct reply *r = import_bytes(&t, xls, sizeof(xls) - 1, "application/vnd.ms-excel", false);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, missing_content_type_is_415)
{
    struct groups_fixture t;
    groups_setup(&t);
    const char *csv = "a@example.fr;Durand;Alice;;particulier\r\n";
    struct reply *r = import_bytes(&t, csv, strlen(csv), NULL, false);
    reply_expect_problem(r, 415, "unsupported_media_type");
    reply_free(r);
}

Test(import_limits, garbage_bytes_as_xlsx_are_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    unsigned char garbage[4096];
    uint32_t x = 0x9E3779B9u;
    for (size_t i = 0; i < sizeof(garbage); i++) {
        x = x * 1664525u + 1013904223u;
        garbage[i] = (unsigned char)(x >> 24);
    }
    memcpy(garbage, "PK\x03\x04", 4); /* even with a zip signature */
    struct reply *r = import_bytes(&t, garbage, sizeof(garbage), XLSX_TYPE, false);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, binary_bytes_as_csv_are_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_read("template-filled.xlsx");
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_limits, empty_body_is_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_bytes(&t, "", 0, CSV_TYPE, false);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
}

Test(import_limits, workbook_without_a_sheet_is_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    const struct fixture_entry only[] = {{"xl/workbook.xml", "<workbook/>", 11}};
    struct fixture f = fixture_zip(only, 1);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
}
