/* Recipient groups: create, list, read, rename, delete, and who may do what. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support/client.h"
#include "support/groups.h"
#include "support/imports.h"

static struct reply *list_groups(struct client *c, const char *team_id)
{
    char path[GROUPS_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", team_id);
    return client_send(c, "GET", path, NULL, NULL);
}

Test(groups, created_group_is_listed_and_read)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct reply *r = list_groups(&t.admin, t.team_id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    const json_t *items = json_object_get(r->json, "items");
    cr_assert_eq(json_array_size(items), 1, "%s", r->body);
    const json_t *g = json_array_get(items, 0);
    cr_assert_str_eq(json_string_value(json_object_get(g, "id")), t.group_id);
    cr_assert_str_eq(json_string_value(json_object_get(g, "name")), "Clients");
    cr_assert_eq(json_integer_value(json_object_get(g, "contact_count")), 0);
    reply_free(r);

    char path[GROUPS_PATH_MAX];
    r = client_send(&t.admin, "GET", groups_path(&t, "", path, sizeof(path)), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "name"), "Clients");
    reply_free(r);
}

Test(groups, name_taken_in_any_case_is_409)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", t.team_id);
    struct reply *r = client_json(&t.admin, "POST", path, "{s:s}", "name", "CLIENTS");
    reply_expect_problem(r, 409, "group_name_taken");
    reply_free(r);
}

Test(groups, same_name_in_another_team_is_allowed)
{
    struct groups_fixture a;
    groups_setup(&a);
    struct client other;
    client_init(&other);
    client_signup(&other, NULL, 0);
    char team_id[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_new_team(&other, team_id, sizeof(team_id));
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", team_id);
    struct reply *r = client_json(&other, "POST", path, "{s:s}", "name", "Clients");
    cr_assert_eq(r->status, 201, "%s", r->body);
    cr_assert_str_neq(reply_string(r, "id"), a.group_id);
    reply_free(r);
}

Test(groups, rename_to_a_taken_name_is_409)
{
    struct groups_fixture t;
    groups_setup(&t);
    char other[GROUPS_ID_MAX], path[GROUPS_PATH_MAX];
    groups_new_group(&t.admin, t.team_id, "Fournisseurs", other, sizeof(other));
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups/%s", t.team_id, other);
    struct reply *r = client_json(&t.admin, "PATCH", path, "{s:s}", "name", "clients");
    reply_expect_problem(r, 409, "group_name_taken");
    reply_free(r);
}

Test(groups, rename_changes_the_name)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(&t.admin, "PATCH", groups_path(&t, "", path, sizeof(path)),
                                  "{s:s}", "name", "Clients 2027");
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_str_eq(reply_string(r, "name"), "Clients 2027");
    reply_free(r);
}

Test(groups, empty_name_is_422)
{
    struct groups_fixture t;
    groups_setup(&t);
    char path[GROUPS_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", t.team_id);
    struct reply *r = client_json(&t.admin, "POST", path, "{s:s}", "name", "");
    reply_expect_problem(r, 422, "validation_failed");
    cr_assert_not_null(groups_field_error(r, "name"), "%s", r->body);
    reply_free(r);
}

Test(groups, delete_removes_the_group_and_its_contacts)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "a@example.fr", "last_name",
                       "A", "first_name", "B", "status", "individual");
    cr_assert_eq(groups_count_contacts(t.group_id), 1);
    char path[GROUPS_PATH_MAX];
    struct reply *r =
        client_send(&t.admin, "DELETE", groups_path(&t, "", path, sizeof(path)), NULL, NULL);
    cr_assert_eq(r->status, 204, "%s", r->body);
    reply_free(r);
    cr_assert_eq(groups_count_contacts(t.group_id), 0);
    r = client_send(&t.admin, "GET", path, NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(groups, unknown_group_is_404)
{
    struct groups_fixture t;
    groups_setup(&t);
    snprintf(t.group_id, sizeof(t.group_id), "0b9e6c3e-7d0a-4c39-9a52-2f6f0b7a1c11");
    char path[GROUPS_PATH_MAX];
    struct reply *r =
        client_send(&t.admin, "GET", groups_path(&t, "/contacts", path, sizeof(path)), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(groups, member_without_groups_manage_can_list_groups_and_contacts)
{
    struct groups_fixture t;
    groups_setup(&t);
    groups_add_contact(&t, NULL, 0, "{s:s, s:s, s:s, s:s}", "email", "a@example.fr", "last_name",
                       "A", "first_name", "B", "status", "individual");
    struct client member;
    groups_add_member(t.team_id, &member);
    struct reply *r = list_groups(&member, t.team_id);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    reply_free(r);
    char path[GROUPS_PATH_MAX];
    r = client_send(&member, "GET", groups_path(&t, "/contacts", path, sizeof(path)), NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 1, "%s", r->body);
    reply_free(r);
}

Test(groups, member_without_groups_manage_cannot_create_a_group)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct client member;
    groups_add_member(t.team_id, &member);
    char path[GROUPS_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", t.team_id);
    struct reply *r = client_json(&member, "POST", path, "{s:s}", "name", "Mine");
    reply_expect_problem(r, 403, "forbidden");
    cr_assert_str_eq(reply_string(r, "required"), "groups.manage", "%s", r->body);
    reply_free(r);
}

Test(groups, member_without_groups_manage_cannot_rename_or_delete_a_group)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct client member;
    groups_add_member(t.team_id, &member);
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_json(&member, "PATCH", groups_path(&t, "", path, sizeof(path)),
                                  "{s:s}", "name", "Renamed");
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    r = client_send(&member, "DELETE", path, NULL, NULL);
    reply_expect_problem(r, 403, "forbidden");
    reply_free(r);
    r = client_send(&t.admin, "GET", path, NULL, NULL);
    cr_assert_str_eq(reply_string(r, "name"), "Clients", "%s", r->body);
    reply_free(r);
}

Test(groups, someone_outside_the_team_gets_404)
{
    struct groups_fixture t;
    groups_setup(&t);
    struct client outsider;
    client_init(&outsider);
    client_signup(&outsider, NULL, 0);
    struct reply *r = list_groups(&outsider, t.team_id);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    char path[GROUPS_PATH_MAX];
    r = client_send(&outsider, "GET", groups_path(&t, "/contacts", path, sizeof(path)), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
}

Test(groups, a_group_of_another_team_is_404_through_ones_own_team)
{
    struct groups_fixture a, b;
    groups_setup(&a);
    groups_setup(&b);
    /* b's administrator names a's group under b's team. */
    snprintf(b.group_id, sizeof(b.group_id), "%s", a.group_id);
    char path[GROUPS_PATH_MAX];
    struct reply *r =
        client_send(&b.admin, "GET", groups_path(&b, "", path, sizeof(path)), NULL, NULL);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    r = import_text(&b, "a@example.fr;A;B;;particulier\r\n", false);
    reply_expect_problem(r, 404, "not_found");
    reply_free(r);
    cr_assert_eq(groups_count_contacts(a.group_id), 0);
}
