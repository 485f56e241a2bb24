/* Changing a contact: the members sent replace the stored ones, then the whole contact is
 * checked again (docs/openapi.yaml, updateContact). */
#include <criterion/criterion.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"

/* The arguments of "s:{s:s, s:s, s:s}": an address in France. */
#define ADDRESS(line1, code, city) "address", "line1", line1, "postal_code", code, "city", city

Test(contact_updates, patch_merges_into_the_stored_contact)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "email",
                       "chloe@example.fr", "last_name", "Martin", "first_name", "Chloé", "status",
                       "individual", ADDRESS("3 place Bellecour", "69002", "Lyon"));
    struct reply *r =
        client_json(&t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}",
                    "first_name", "Chloë");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "first_name"), "Chloë");
    cr_assert_str_eq(reply_string(r, "email"), "chloe@example.fr");
    cr_assert_str_eq(reply_string(r, "status"), "individual");
    cr_assert_str_eq(reply_string(r, "address.city"), "Lyon");
    reply_free(r);
}

Test(contact_updates, patch_breaking_a_rule_is_422_and_changes_nothing)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "d@example.fr",
                       "last_name", "Petit", "first_name", "David", "status", "individual");
    struct reply *r =
        client_json(&t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}",
                    "status", "professional");
    reply_expect_problem(r, 422, "validation_failed");
    const json_t *e = groups_field_error(r, "company");
    cr_assert_not_null(e, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "company_required");
    reply_free(r);
    json_t *items = groups_list_contacts(&t);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "status")),
                     "individual");
    json_decref(items);
}

Test(contact_updates, patch_to_an_email_the_group_has_is_409)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "one@example.fr", "last_name",
                       "A", "first_name", "A", "status", "individual");
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "two@example.fr",
                       "last_name", "B", "first_name", "B", "status", "individual");
    struct reply *r =
        client_json(&t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}",
                    "email", "one@example.fr");
    reply_expect_problem(r, 409, "contact_exists");
    reply_free(r);
}

Test(contact_updates, a_new_address_replaces_the_whole_address)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}}",
                       "last_name", "Peeters", "first_name", "Jan", "status", "individual",
                       "address", "line1", "Rue Neuve 1", "line2", "Boîte 3", "postal_code", "1000",
                       "city", "Bruxelles", "country", "BE");
    struct reply *r =
        client_json(&t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)),
                    "{s:{s:s, s:s, s:s}}", ADDRESS("2 rue Masséna", "6000", "Nice"));
    cr_assert_eq(r->status, 200, "%s", r->body);
    const json_t *address = json_object_get(r->json, "address");
    cr_assert(json_is_null(json_object_get(address, "line2")), "line2 left out is removed: %s",
              r->body);
    cr_assert_str_eq(json_string_value(json_object_get(address, "country")), "FR", "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(address, "postal_code")), "06000");
    reply_free(r);
}

Test(contact_updates, null_clears_the_email_of_a_contact_with_an_address)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "email",
                       "anne@example.fr", "last_name", "Leroy", "first_name", "Anne", "status",
                       "individual", ADDRESS("12 rue des Lilas", "06000", "Nice"));
    struct reply *r = client_json(
        &t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:n}", "email");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert(json_is_null(json_object_get(r->json, "email")), "%s", r->body);
    reply_free(r);
}

Test(contact_updates, removing_the_only_way_to_reach_a_contact_is_422)
{
    struct groups_fixture t;
    groups_setup(&t);
    char id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_add_contact(&t, id, sizeof(id), "{s:s, s:s, s:s, s:s}", "email", "paul@example.fr",
                       "last_name", "Martin", "first_name", "Paul", "status", "individual");
    struct reply *r = client_json(
        &t.admin, "PATCH", groups_contact_path(&t, id, path, sizeof(path)), "{s:s}", "email", "");
    reply_expect_problem(r, 422, "validation_failed");
    const json_t *e = groups_field_error(r, "email");
    cr_assert_not_null(e, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "email_or_address_required");
    reply_free(r);
}

Test(contact_updates, unknown_contact_is_404)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(
        &t.admin, "PATCH",
        groups_contact_path(&t, "0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11", path, sizeof(path)),
        "{s:s}", "last_name", "X");
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}
