/* Hostile XLSX files, all generated at test time: zip bombs, archives of too many entries,
 * XML entity bombs and external entities. Each is refused with its own code and nothing is
 * written. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

#define MIB (1024u * 1024u)

/* Imports f as XLSX and expects a 422 with this code and an untouched group. */
static void expect_refused(struct fixture f, const char *code)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, code);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

/* A workbook with n entries in all. */
static struct fixture workbook_of(size_t n)
{
    size_t len;
    char *sheet = fixture_sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a@example.fr"
                                    "</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Durand</t>"
                                    "</is></c><c r=\"C1\" t=\"inlineStr\"><is><t>Alice</t></is>"
                                    "</c><c r=\"E1\" t=\"inlineStr\"><is><t>particulier</t></is>"
                                    "</c></row>",
                                    &len);
    struct fixture f = fixture_workbook(sheet, len, NULL, 0, n - 5);
    free(sheet);
    return f;
}

Test(import_attacks, zip_bomb_of_60_mib_of_spaces_is_refused)
{
    struct fixture f = fixture_spaces_sheet(60u * MIB);
    cr_assert_lt(f.len, MIB, "the bomb should be small: %zu bytes", f.len);
    /* Its one entry deflates about 1000:1: the ratio check stops it long before 50 MiB. */
    expect_refused(f, "suspicious_compression");
}

Test(import_attacks, sheet_past_64_kib_inflating_over_100_times_is_refused)
{
    expect_refused(fixture_spaces_sheet(70u * 1024u), "suspicious_compression");
}

Test(import_attacks, sheet_under_64_kib_is_not_held_to_the_ratio)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_spaces_sheet(60u * 1024u);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 0, 0, 0, 0);
    reply_free(r);
}

Test(import_attacks, sheet_inflating_past_50_mib_is_refused)
{
    struct fixture f = fixture_dense_sheet(52u * MIB);
    /* Under the body limit and under the ratio: only the inflated size can stop it. */
    cr_assert_lt(f.len, 10u * MIB, "%zu bytes", f.len);
    cr_assert_gt(f.len * 100u, 52u * MIB, "deflates too well: %zu bytes", f.len);
    expect_refused(f, "inflated_too_large");
}

Test(import_attacks, archive_of_201_entries_is_refused)
{
    expect_refused(workbook_of(201), "too_many_entries");
}

Test(import_attacks, archive_of_200_entries_is_read)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = workbook_of(200);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
}

Test(import_attacks, billion_laughs_in_shared_strings_is_refused)
{
    expect_refused(fixture_entity_bomb(), "dtd_refused");
}

Test(import_attacks, external_entity_on_etc_passwd_is_refused)
{
    expect_refused(fixture_xxe(), "dtd_refused");
}

Test(import_attacks, external_entity_in_utf16_is_refused)
{
    expect_refused(fixture_xxe_utf16(), "dtd_refused");
}

Test(import_attacks, server_still_answers_after_the_bombs)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture bomb = fixture_spaces_sheet(60u * MIB);
    for (int i = 0; i < 4; i++) {
        struct reply *r = import_fixture(&t, &bomb, XLSX_TYPE, false);
        reply_expect_problem(r, 422, "suspicious_compression");
        reply_free(r);
    }
    fixture_free(&bomb);
    struct reply *r = import_text(&t, "a@example.fr;Durand;Alice;;particulier\r\n", false);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
}
