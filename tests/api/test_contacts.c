/* Contacts of a group: create, list by pages, update (merging), delete, uniqueness, and who
 * may change them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"

/* The arguments of "s:{s:s, s:s, s:s}": an address in France. */
#define ADDRESS(line1, code, city) "address", "line1", line1, "postal_code", code, "city", city

Test(contacts, create_normalises_the_contact)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(
        &t.admin, "POST", groups_path(&t, "/contacts", path, sizeof(path)),
        "{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "email", "  Alice.Durand@Example.FR ",
        "last_name", " Durand ", "first_name", "Alice", "company", "Cabinet Durand", "status",
        "professional", ADDRESS("2 rue Masséna", "6000", "Nice"));
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "email"), "alice.durand@example.fr");
    cr_assert_str_eq(reply_string(r, "last_name"), "Durand");
    cr_assert_str_eq(reply_string(r, "status"), "professional");
    cr_assert_str_eq(reply_string(r, "address.postal_code"), "06000");
    cr_assert_str_eq(reply_string(r, "address.country"), "FR");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(contacts, foreign_postal_code_keeps_its_digits)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    struct reply *r =
        client_json(&t.admin, "POST", groups_path(&t, "/contacts", path, sizeof(path)),
                    "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "last_name", "Peeters", "first_name",
                    "Jan", "status", "individual", "address", "line1", "Rue Neuve 1", "postal_code",
                    "1000", "city", "Bruxelles", "country", "be");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "address.postal_code"), "1000");
    cr_assert_str_eq(reply_string(r, "address.country"), "BE");
    cr_assert(json_is_null(json_object_get(r->json, "email")), "%s", r->body);
    reply_free(r);
}

Test(contacts, list_pages_with_a_cursor)
{
    struct groups_fixture t;
    groups_setup(&t);
    static const char *const names[] = {"Moreau", "Bernard", "Durand", "Petit", "Adam"};
    for (size_t i = 0; i < 5; i++) {
        char email[64];
        snprintf(email, sizeof(email), "%s@example.fr", names[i]);
        groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", email, "last_name",
                           names[i], "first_name", "X", "status", "individual");
    }
    static const char *const expected[] = {"Adam", "Bernard", "Durand", "Moreau", "Petit"};
    char cursor[GROUPS_ID_MAX] = "", path[GROUPS_PATH_MAX], suffix[160];
    size_t seen = 0;
    for (int page = 0; page < 5; page++) {
        snprintf(suffix, sizeof(suffix), "/contacts?limit=2%s%s", cursor[0] ? "&cursor=" : "",
                 cursor);
        struct reply *r =
            client_send(&t.admin, "GET", groups_path(&t, suffix, path, sizeof(path)), NULL, NULL);
        cr_assert_eq(r->status, 200, "%s", r->body);
        const json_t *items = json_object_get(r->json, "items");
        cr_assert_leq(json_array_size(items), 2, "%s", r->body);
        for (size_t i = 0; i < json_array_size(items); i++, seen++) {
            cr_assert_lt(seen, 5, "%s", r->body);
            cr_assert_str_eq(
                json_string_value(json_object_get(json_array_get(items, i), "last_name")),
                expected[seen], "%s", r->body);
        }
        const char *next = reply_string(r, "next_cursor");
        snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
        reply_free(r);
        if (!cursor[0])
            break;
    }
    cr_assert_eq(seen, 5);
    cr_assert_str_empty(cursor, "the last page has no next cursor");
}

Test(contacts, cursor_of_no_contact_of_the_group_gives_an_empty_page)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "a@example.fr", "last_name",
                       "A", "first_name", "A", "status", "individual");
    char path[GROUPS_PATH_MAX];
    struct reply *r =
        client_send(&t.admin, "GET",
                    groups_path(&t, "/contacts?cursor=0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11", path,
                                sizeof(path)),
                    NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "next_cursor")), "%s", r->body);
    reply_free(r);
}

Test(contacts, bad_cursor_is_422)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_send(
        &t.admin, "GET", groups_path(&t, "/contacts?cursor=nope", path, sizeof(path)), NULL, NULL);
    reply_expect_problem(r, 422, "validation_failed");
    cr_assert_not_null(groups_field_error(r, "cursor"), "%s", r->body);
    reply_free(r);
}

Test(contacts, delete_removes_the_contact)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "e@example.fr",
                       "last_name", "Roux", "first_name", "Emma", "status", "individual");
    struct reply *r = client_send(&t.admin, "DELETE",
                                  groups_contact_path(&t, id, path, sizeof(path)), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
    r = client_send(&t.admin, "DELETE", path, NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(contacts, same_email_twice_in_a_group_is_409)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "dup@example.fr", "last_name",
                       "A", "first_name", "A", "status", "individual");
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(
        &t.admin, "POST", groups_path(&t, "/contacts", path, sizeof(path)), "{s:s, s:s, s:s, s:s}",
        "email", "DUP@example.fr", "last_name", "B", "first_name", "B", "status", "individual");
    reply_expect_problem(r, 409, "contact_exists");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(contacts, same_name_and_address_without_email_is_409)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "last_name", "Lefèvre",
                       "first_name", "Benoît", "status", "individual",
                       ADDRESS("12 rue de la Paix", "75002", "Paris"));
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(
        &t.admin, "POST", groups_path(&t, "/contacts", path, sizeof(path)),
        "{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "last_name", "LEFEVRE", "first_name", "benoit",
        "status", "individual", ADDRESS("12 Rue de la Paix", "75002", "Paris"));
    reply_expect_problem(r, 409, "contact_exists");
    reply_free(r);
}

Test(contacts, same_email_in_two_groups_is_allowed)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "both@example.fr", "last_name",
                       "A", "first_name", "A", "status", "individual");
    groups_new_group(&t.admin, t.team_id, "Autres", t.group_id, sizeof(t.group_id));
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "both@example.fr", "last_name",
                       "A", "first_name", "A", "status", "individual");
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(contacts, member_without_groups_manage_cannot_change_contacts)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "m@example.fr",
                       "last_name", "A", "first_name", "A", "status", "individual");
    struct client member;
    groups_add_member(t.team_id, &member);
    struct reply *r = client_json(&member, "POST", groups_path(&t, "/contacts", path, sizeof(path)),
                                  "{s:s, s:s, s:s, s:s}", "email", "n@example.fr", "last_name", "B",
                                  "first_name", "B", "status", "individual");
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    r = client_json(&member, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}",
                    "last_name", "Changed");
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    r = client_send(&member, "DELETE", path, NULL, NULL);
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
}

Test(contacts, a_contact_is_reached_only_through_its_own_group)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "g@example.fr",
                       "last_name", "A", "first_name", "A", "status", "individual");
    groups_new_group(&t.admin, t.team_id, "Autres", t.group_id, sizeof(t.group_id));
    struct reply *r =
        client_json(&t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}",
                    "last_name", "Changed");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    r = client_send(&t.admin, "DELETE", path, NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}
