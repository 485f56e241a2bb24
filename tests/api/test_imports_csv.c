/* CSV imports as spreadsheet programs save them: UTF-8 with or without BOM, Windows-1252, and
 * ';', ',' or tab between fields. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

/* '|' stands for the separator. Two contacts: an individual and a professional. */
static const char utf8_rows[] = "E-mail|Nom|Prénom|Société|Statut\r\n"
                                "chloe@example.fr|Lefèvre|Benoît||Particulière\r\n"
                                "david@example.fr|Petit|David|Œuvres & Cie|Professionnel\r\n";
static const char cp1252_rows[] = "E-mail|Nom|Pr\xE9nom|Soci\xE9t\xE9|Statut\r\n"
                                  "chloe@example.fr|Lef\xE8vre|Beno\xEEt||Particuli\xE8re\r\n"
                                  "david@example.fr|Petit|David|\x8Cuvres & Cie|Professionnel\r\n";

/* Imports rows with '|' replaced by separator, behind a BOM when asked. */
static struct reply *import_rows(struct groups_fixture *t, const char *rows, char separator,
                                 bool bom, const char *content_type)
{
    char csv[512];
    size_t n = (size_t)snprintf(csv, sizeof(csv), "%s%s", bom ? "\xEF\xBB\xBF" : "", rows);
    cr_assert_lt(n, sizeof(csv));
    for (char *p = csv; *p; p++)
        if (*p == '|')
            *p = separator;
    return import_bytes(t, csv, n, content_type, false);
}

/* Both contacts arrived whole, accents and all, in UTF-8. */
static void expect_both_contacts(struct groups_fixture *t, struct reply *r)
{
    import_expect(r, 2, 2, 0, 0);
    reply_free(r);
    json_t *items = groups_list_contacts(t);
    const json_t *chloe = groups_contact_named(items, "Lefèvre");
    cr_assert_not_null(chloe, "accented last name lost: %s", json_dumps(items, 0));
    cr_assert_str_eq(json_string_value(json_object_get(chloe, "first_name")), "Benoît");
    cr_assert_str_eq(json_string_value(json_object_get(chloe, "status")), "individual");
    const json_t *david = groups_contact_named(items, "Petit");
    cr_assert_not_null(david);
    cr_assert_str_eq(json_string_value(json_object_get(david, "company")), "Œuvres & Cie");
    cr_assert_str_eq(json_string_value(json_object_get(david, "status")), "professional");
    json_decref(items);
    cr_assert_eq(groups_count_contacts(t->group_id), 2);
}

Test(imports_csv, utf8_with_semicolons)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, utf8_rows, ';', false, CSV_TYPE));
}

Test(imports_csv, utf8_with_commas)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, utf8_rows, ',', false, CSV_TYPE));
}

Test(imports_csv, utf8_with_tabs)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, utf8_rows, '\t', false, CSV_TYPE));
}

Test(imports_csv, utf8_bom_with_semicolons)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, utf8_rows, ';', true, CSV_TYPE));
}

Test(imports_csv, utf8_bom_with_commas)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, utf8_rows, ',', true, "text/csv; charset=utf-8"));
}

Test(imports_csv, windows_1252_with_semicolons)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(&t, import_rows(&t, cp1252_rows, ';', false, CSV_TYPE));
}

Test(imports_csv, windows_1252_with_tabs)
{
    struct groups_fixture t;
    groups_setup(&t);
    expect_both_contacts(
        &t, import_rows(&t, cp1252_rows, '\t', false, "text/csv; charset=windows-1252"));
}

Test(imports_csv, quoted_fields_keep_separators_and_quotes)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r =
        import_text(&t,
                    "E-mail;Nom;Prénom;Société;Statut\r\n"
                    "a@example.fr;\"Dupont; fils\";Jean;\"Le \"\"Bon\"\" Coin\";pro\r\n",
                    false);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
    json_t *items = groups_list_contacts(&t);
    const json_t *c = groups_contact_named(items, "Dupont; fils");
    cr_assert_not_null(c, "%s", json_dumps(items, 0));
    cr_assert_str_eq(json_string_value(json_object_get(c, "company")), "Le \"Bon\" Coin");
    json_decref(items);
}

Test(imports_csv, a_quoted_line_break_stays_in_its_row)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  "E-mail;Nom;Prénom;Société;Statut;Adresse ligne 1;"
                                  "Adresse ligne 2;Code postal;Ville\r\n"
                                  "a@example.fr;Multi;Ligne;;particulier;\"Bât. A\r\nEscalier 2\";;"
                                  "75001;Paris\r\n"
                                  "b@example.fr;Sans;Statut;;\r\n",
                                  false);
    /* The cell on two lines is one spreadsheet row: the next record is row 3. A line break is
     * a control character no address line may hold. */
    import_expect(r, 2, 0, 0, 2);
    import_expect_error(r, 2, "F", "invalid_characters");
    import_expect_error(r, 3, "E", "required");
    reply_free(r);
}

Test(imports_csv, template_filled_in_as_csv)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct fixture f = fixture_read("template-filled.csv");
    struct reply *r = import_fixture(&t, &f, CSV_TYPE, false);
    fixture_free(&f);
    /* Nine data rows (a blank line aside): five new, one repeating row 2, three refused. */
    import_expect(r, 9, 5, 1, 3);
    import_expect_error(r, 8, "A", "invalid_email");
    import_expect_error(r, 9, "E", "required");
    import_expect_error(r, 10, "A", "email_or_address_required");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 5);
}

Test(imports_csv, blank_lines_keep_the_row_numbers)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  "E-mail;Nom;Prénom;Société;Statut\n"
                                  "\n"
                                  ";;;;\n"
                                  "bad-email;Faux;Courriel;;particulier\n",
                                  false);
    import_expect(r, 1, 0, 0, 1);
    import_expect_error(r, 4, "A", "invalid_email");
    reply_free(r);
}
