/* XLSX imports: the template filled in by LibreOffice (committed fixture) and workbooks written
 * by libxlsxwriter at test time. */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

#define POSTAL_CODE_NUMERIC (1u << 7) /* column H written as a number */

static struct reply *import_libreoffice(struct groups_fixture *t, bool dry_run)
{
    struct fixture f = fixture_read("template-filled.xlsx");
    struct reply *r = import_fixture(t, &f, XLSX_TYPE, dry_run);
    fixture_free(&f);
    return r;
}

Test(imports_xlsx, libreoffice_file_imports_its_valid_rows)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_libreoffice(&t, false);
    import_expect(r, 9, 5, 1, 3);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 5);
}

Test(imports_xlsx, libreoffice_file_errors_carry_the_sheets_rows_and_columns)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_libreoffice(&t, false);
    /* Row 7 of the sheet is empty: the rows after it keep their own numbers. */
    import_expect_error(r, 8, "A", "invalid_email");
    import_expect_error(r, 9, "E", "required");
    import_expect_error(r, 10, "A", "email_or_address_required");
    reply_free(r);
}

Test(imports_xlsx, libreoffice_numeric_postal_code_gets_its_zero_back)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_libreoffice(&t, false);
    cr_assert_eq(r->status, 200, "%s", r->body);
    reply_free(r);
    json_t *items = groups_list_contacts(&t);
    const json_t *c = groups_contact_named(items, "Lefèvre");
    cr_assert_not_null(c, "%s", json_dumps(items, 0));
    const json_t *address = json_object_get(c, "address");
    cr_assert_str_eq(json_string_value(json_object_get(address, "postal_code")), "06000");
    cr_assert_str_eq(json_string_value(json_object_get(address, "line2")), "Bâtiment B");
    cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "individual");
    const json_t *roux = groups_contact_named(items, "Roux");
    cr_assert_not_null(roux);
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(roux, "address"), "postal_code")),
        "69002");
    json_decref(items);
}

Test(imports_xlsx, libreoffice_file_twice_adds_nothing_the_second_time)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_libreoffice(&t, false);
    import_expect(r, 9, 5, 1, 3);
    reply_free(r);
    r = import_libreoffice(&t, false);
    import_expect(r, 9, 0, 6, 3);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 5);
}

Test(imports_xlsx, libreoffice_dry_run_writes_nothing)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_libreoffice(&t, true);
    import_expect(r, 9, 5, 1, 3);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(imports_xlsx, libxlsxwriter_numeric_postal_code_6000_becomes_06000)
{
    struct groups_fixture t;
    groups_setup(&t);
    const fixture_row rows[] = {
        {"E-mail", "Nom", "Prénom", "Société", "Statut", "Adresse ligne 1", "Adresse ligne 2",
         "Code postal", "Ville", "Pays"},
        {"", "Lefèvre", "Benoît", "", "Particulier", "2 rue Masséna", "", "6000", "Nice", ""},
    };
    struct fixture f = fixture_xlsx(rows, 2, POSTAL_CODE_NUMERIC);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
    json_t *items = groups_list_contacts(&t);
    const json_t *address = json_object_get(json_array_get(items, 0), "address");
    cr_assert_str_eq(json_string_value(json_object_get(address, "postal_code")), "06000");
    cr_assert_str_eq(json_string_value(json_object_get(address, "country")), "FR");
    json_decref(items);
}

Test(imports_xlsx, numeric_postal_code_abroad_keeps_its_digits)
{
    struct groups_fixture t;
    groups_setup(&t);
    const fixture_row rows[] = {
        {"", "Peeters", "Jan", "", "individual", "Rue Neuve 1", "", "1000", "Bruxelles", "BE"},
    };
    struct fixture f = fixture_xlsx(rows, 1, POSTAL_CODE_NUMERIC);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
    json_t *items = groups_list_contacts(&t);
    const json_t *address = json_object_get(json_array_get(items, 0), "address");
    cr_assert_str_eq(json_string_value(json_object_get(address, "postal_code")), "1000");
    json_decref(items);
}

Test(imports_xlsx, error_rows_are_the_sheets_own_numbers)
{
    struct groups_fixture t;
    groups_setup(&t);
    /* Rows 1 to 6 of the sheet, rows 3 and 4 left empty. */
    const fixture_row rows[] = {
        {"Courriel", "Nom", "Prénom", "", "Type"},
        {"a@example.fr", "Durand", "Alice", "", "particulier"},
        {NULL},
        {NULL},
        {"b@example.fr", "Martin", "Chloé", "", "professionnel"},
        {"c@example.fr", "Petit", "David", "", "PRO"},
    };
    struct fixture f = fixture_xlsx(rows, 6, 0);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 3, 1, 0, 2);
    import_expect_error(r, 5, "D", "company_required");
    import_expect_error(r, 6, "D", "company_required");
    reply_free(r);
}

Test(imports_xlsx, a_header_of_the_users_own_labels_is_skipped)
{
    struct groups_fixture t;
    groups_setup(&t);
    const fixture_row rows[] = {
        {"Adresse électronique", "Nom de famille", "Prénom", "Raison sociale", "Qualité"},
        {"a@example.fr", "Durand", "Alice", "", "Particulière"},
    };
    struct fixture f = fixture_xlsx(rows, 2, 0);
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
}

Test(imports_xlsx, a_csv_sent_as_xlsx_is_unreadable)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_read("template-filled.csv");
    struct reply *r = import_fixture(&t, &f, XLSX_TYPE, false);
    fixture_free(&f);
    reply_expect_problem(r, 422, "unreadable_file");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}
