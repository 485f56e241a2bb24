#include "support/groups.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testdb.h"

void groups_new_team(struct client *c, char *team_id, size_t size)
{
    struct reply *r = client_json(c, "POST", "/api/v1/teams", "{s:s, s:s}", "name",
                                  "Cabinet de test", "kind", "firm");
    cr_assert_eq(r->status, 201, "create team: %ld %s", r->status, r->body);
    const char *id = reply_string(r, "id");
    cr_assert_not_null(id, "create team: %s", r->body);
    snprintf(team_id, size, "%s", id);
    reply_free(r);
}

void groups_new_group(struct client *c, const char *team_id, const char *name, char *group_id,
                      size_t size)
{
    char path[GROUPS_PATH_MAX];
    snprintf(path, sizeof(path), "/api/v1/teams/%s/groups", team_id);
    struct reply *r = client_json(c, "POST", path, "{s:s}", "name", name);
    cr_assert_eq(r->status, 201, "create group: %ld %s", r->status, r->body);
    const char *id = reply_string(r, "id");
    cr_assert_not_null(id, "create group: %s", r->body);
    snprintf(group_id, size, "%s", id);
    reply_free(r);
}

void groups_setup(struct groups_fixture *t)
{
    client_init(&t->admin);
    client_signup(&t->admin, NULL, 0);
    groups_new_team(&t->admin, t->team_id, sizeof(t->team_id));
    groups_new_group(&t->admin, t->team_id, "Clients", t->group_id, sizeof(t->group_id));
}

void groups_add_member(const char *team_id, struct client *member)
{
    char user_id[GROUPS_ID_MAX];
    client_init(member);
    snprintf(user_id, sizeof(user_id), "%s", client_signup(member, NULL, 0));
    const char *params[] = {team_id, user_id};
    PGresult *r = testdb_exec("INSERT INTO memberships (team_id, user_id, role_id) "
                              "SELECT $1, $2, id FROM roles WHERE team_id = $1 AND builtin = "
                              "'member' RETURNING role_id",
                              2, params);
    cr_assert_eq(PQntuples(r), 1, "the team has no member role");
    PQclear(r);
}

const char *groups_path(const struct groups_fixture *t, const char *suffix, char *out, size_t size)
{
    snprintf(out, size, "/api/v1/teams/%s/groups/%s%s", t->team_id, t->group_id, suffix);
    return out;
}

const char *groups_contact_path(const struct groups_fixture *t, const char *contact_id, char *out,
                                size_t size)
{
    snprintf(out, size, "/api/v1/teams/%s/groups/%s/contacts/%s", t->team_id, t->group_id,
             contact_id);
    return out;
}

long groups_count_contacts(const char *group_id)
{
    const char *params[] = {group_id};
    return testdb_long("SELECT count(*) FROM contacts WHERE group_id = $1", 1, params);
}

json_t *groups_list_contacts(struct groups_fixture *t)
{
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_send(
        &t->admin, "GET", groups_path(t, "/contacts?limit=200", path, sizeof(path)), NULL, NULL);
    cr_assert_eq(r->status, 200, "list contacts: %ld %s", r->status, r->body);
    json_t *items = json_incref(json_object_get(r->json, "items"));
    cr_assert(json_is_array(items), "%s", r->body);
    reply_free(r);
    return items;
}

const json_t *groups_contact_named(const json_t *items, const char *last_name)
{
    size_t i;
    const json_t *c;
    json_array_foreach((json_t *)items, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "last_name"));
        if (name && strcmp(name, last_name) == 0)
            return c;
    }
    return NULL;
}

void groups_add_contact(struct groups_fixture *t, char *id, size_t id_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    cr_assert_not_null(v, "bad json_pack format in test");
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    char path[GROUPS_PATH_MAX];
    struct reply *r = client_send(&t->admin, "POST",
                                  groups_path(t, "/contacts", path, sizeof(path)), text, json_type);
    free(text);
    cr_assert_eq(r->status, 201, "create contact: %ld %s", r->status, r->body);
    const char *new_id = reply_string(r, "id");
    cr_assert_not_null(new_id, "%s", r->body);
    if (id)
        snprintf(id, id_size, "%s", new_id);
    reply_free(r);
}

const json_t *groups_field_error(const struct reply *r, const char *field)
{
    size_t i;
    const json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (f && strcmp(f, field) == 0)
            return e;
    }
    return NULL;
}
