/* What an import does with each row: status words, header detection, refused rows with their
 * spreadsheet row and column, duplicates, dry runs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

#define HEADER                                                                                     \
    "E-mail;Nom;Prénom;Société;Statut;Adresse ligne 1;Adresse ligne 2;Code postal;"             \
    "Ville;Pays\r\n"

/* Imports a header and one row, and checks that row 2 is refused on column/code. */
static void expect_row_refused(const char *row, const char *column, const char *code)
{
    struct groups_fixture t;
    groups_setup(&t);
    char csv[1024];
    snprintf(csv, sizeof(csv), HEADER "%s\r\n", row);
    struct reply *r = import_text(&t, csv, false);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "imported")), 0, "%s", r->body);
    import_expect_error(r, 2, column, code);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_rows, missing_status_is_refused_on_column_e)
{
    expect_row_refused("a@example.fr;Durand;Alice;;;;;;;", "E", "required");
}

Test(import_rows, unknown_status_is_refused_on_column_e)
{
    expect_row_refused("a@example.fr;Durand;Alice;;freelance;;;;;", "E", "invalid_status");
}

Test(import_rows, bad_email_is_refused_on_column_a)
{
    expect_row_refused("alice(at)example.fr;Durand;Alice;;particulier;;;;;", "A", "invalid_email");
}

Test(import_rows, no_email_and_no_address_is_refused_on_column_a)
{
    expect_row_refused(";Durand;Alice;;particulier;;;;;", "A", "email_or_address_required");
}

Test(import_rows, incomplete_address_is_refused_on_its_column)
{
    expect_row_refused(";Durand;Alice;;particulier;;;75001;Paris;", "F", "address_incomplete");
}

Test(import_rows, professional_without_company_is_refused_on_column_d)
{
    expect_row_refused("a@example.fr;Durand;Alice;;professionnel;;;;;", "D", "company_required");
}

Test(import_rows, bad_french_postal_code_is_refused_on_column_h)
{
    expect_row_refused(";Durand;Alice;;particulier;1 rue X;;750;Paris;FR", "H",
                       "invalid_postal_code");
}

Test(import_rows, status_words_in_french_or_english_any_case_and_accents)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  HEADER "a@example.fr;A;A;Société A;Professionnel;;;;;\r\n"
                                         "b@example.fr;B;B;;PARTICULIER;;;;;\r\n"
                                         "c@example.fr;C;C;Société C;pro;;;;;\r\n"
                                         "d@example.fr;D;D;;individual;;;;;\r\n"
                                         "e@example.fr;E;E;;Particulière;;;;;\r\n",
                                  false);
    import_expect(r, 5, 5, 0, 0);
    reply_free(r);
    static const char *const expected[][2] = {{"A", "professional"},
                                              {"B", "individual"},
                                              {"C", "professional"},
                                              {"D", "individual"},
                                              {"E", "individual"}};
    json_t *items = groups_list_contacts(&t);
    for (size_t i = 0; i < 5; i++) {
        const json_t *c = groups_contact_named(items, expected[i][0]);
        cr_assert_not_null(c, "%s missing", expected[i][0]);
        cr_assert_str_eq(json_string_value(json_object_get(c, "status")), expected[i][1],
                         "contact %s", expected[i][0]);
    }
    json_decref(items);
}

Test(import_rows, a_header_of_the_users_own_labels_is_skipped)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r =
        import_text(&t,
                    "Courriel;Nom de famille;Prénom usuel;Entreprise;Type de client\r\n"
                    "a@example.fr;Durand;Alice;;particulier\r\n",
                    false);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
}

Test(import_rows, a_file_without_header_imports_its_first_row)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  "a@example.fr;Durand;Alice;;particulier\r\n"
                                  "bad-email;Martin;Chloé;;particulier\r\n",
                                  false);
    import_expect(r, 2, 1, 0, 1);
    import_expect_error(r, 2, "A", "invalid_email");
    reply_free(r);
}

Test(import_rows, repeated_rows_in_a_file_count_as_duplicates)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n"
                                         "A@EXAMPLE.FR;Durand;Alice;;particulier;;;;;\r\n"
                                         ";Lefèvre;Benoît;;particulier;12 rue X;;06000;Nice;\r\n"
                                         ";LEFEVRE;benoit;;particulier;12 rue X;;6000;Nice;FR\r\n",
                                  false);
    import_expect(r, 4, 2, 2, 0);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 2);
}

Test(import_rows, names_differing_only_by_accented_capitals_are_duplicates)
{
    struct groups_fixture t;
    groups_setup(&t);
    /* Contacts without e-mail are told apart regardless of case and accents. */
    struct reply *r =
        import_text(&t,
                    HEADER ";Le Gall;Loïc;;particulier;1 rue de Siam;;29200;Brest;\r\n"
                           ";LE GALL;LOÏC;;particulier;1 RUE DE SIAM;;29200;Brest;\r\n",
                    false);
    import_expect(r, 2, 1, 1, 0);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(import_rows, importing_the_same_file_twice_adds_nothing_the_second_time)
{
    struct groups_fixture t;
    groups_setup(&t);
    const char *csv = HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n"
                             ";Lefèvre;Benoît;;particulier;12 rue X;;06000;Nice;\r\n";
    struct reply *r = import_text(&t, csv, false);
    import_expect(r, 2, 2, 0, 0);
    reply_free(r);
    r = import_text(&t, csv, false);
    import_expect(r, 2, 0, 2, 0);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 2);
}

Test(import_rows, dry_run_writes_nothing)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = import_text(&t,
                                  HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n"
                                         "bad;Martin;Chloé;;particulier;;;;;\r\n",
                                  true);
    import_expect(r, 2, 1, 0, 1);
    cr_assert(json_is_true(json_object_get(r->json, "dry_run")), "%s", r->body);
    import_expect_error(r, 3, "A", "invalid_email");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_rows, dry_run_counts_contacts_the_group_has_as_duplicates)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "a@example.fr", "last_name",
                       "Durand", "first_name", "Alice", "status", "individual");
    struct reply *r = import_text(&t,
                                  HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n"
                                         "b@example.fr;Martin;Chloé;;particulier;;;;;\r\n",
                                  true);
    import_expect(r, 2, 1, 1, 0);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(import_rows, dry_run_must_be_true_or_false)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    const char *csv = HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n";
    struct reply *r = imports_upload(&t.admin, "POST",
                                     groups_path(&t, "/imports?dry_run=yes", path, sizeof(path)),
                                     csv, strlen(csv), CSV_TYPE);
    reply_expect_problem(r, 422, "validation_failed");
    const json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "field")), "dry_run", "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "not_allowed", "%s", r->body);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}

Test(import_rows, imported_contacts_are_counted_by_the_group)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r =
        import_text(&t, HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n", false);
    import_expect(r, 1, 1, 0, 0);
    reply_free(r);
    char path[GROUPS_PATH_MAX];
    r = client_send(&t.admin, "GET", groups_path(&t, "", path, sizeof(path)), NULL, NULL);
    cr_assert_eq(json_integer_value(json_object_get(r->json, "contact_count")), 1, "%s", r->body);
    reply_free(r);
}

Test(import_rows, member_without_groups_manage_cannot_import)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct client member;
    groups_add_member(t.team_id, &member);
    char path[GROUPS_PATH_MAX];
    const char *csv = HEADER "a@example.fr;Durand;Alice;;particulier;;;;;\r\n";
    struct reply *r =
        imports_upload(&member, "POST", groups_path(&t, "/imports", path, sizeof(path)), csv,
                       strlen(csv), CSV_TYPE);
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
}
