#include "support/teams.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/maildir.h"
#include "support/testdb.h"

const char *const teams_all_permissions[] = {
    "letters.send",   "letters.validate", "letters.view_all", "groups.manage",
    "members.manage", "billing.view",     "settings.manage",  "mailboxes.manage",
    "documents.view", "clients.manage",   "webhooks.manage", NULL};

size_t teams_permission_count(void)
{
    size_t n = 0;
    while (teams_all_permissions[n])
        n++;
    return n;
}

const char *tpath(const char *fmt, ...)
{
    static char buffers[8][512];
    static unsigned next;
    char *out = buffers[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, sizeof(buffers[0]), fmt, ap);
    va_end(ap);
    return out;
}

void teams_user(struct teams_user *u)
{
    client_init(&u->c);
    const char *id = client_signup(&u->c, u->email, sizeof(u->email));
    snprintf(u->id, sizeof(u->id), "%s", id);
}

void teams_admin(struct teams_user *u, char team[TEAMS_ID_MAX])
{
    teams_user(u);
    struct reply *r = client_json(&u->c, "POST", "/api/v1/teams", "{s:s, s:s}", "name",
                                  "Cabinet Durand", "kind", "firm");
    cr_assert_eq(r->status, 201, "create team: %ld %s", r->status, r->body);
    snprintf(team, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void teams_role(struct client *admin, const char *team, const char *name,
                const char *const *permissions, char role[TEAMS_ID_MAX])
{
    json_t *list = json_array();
    for (const char *const *p = permissions; p && *p; p++)
        json_array_append_new(list, json_string(*p));
    struct reply *r = client_json(admin, "POST", tpath("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:o}", "name", name, "permissions", list);
    cr_assert_eq(r->status, 201, "create role: %ld %s", r->status, r->body);
    snprintf(role, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void teams_builtin_role(struct client *admin, const char *team, const char *builtin,
                        char role[TEAMS_ID_MAX])
{
    struct reply *r = client_send(admin, "GET", tpath("/api/v1/teams/%s/roles", team), NULL,
                                  NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    role[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach (json_object_get(r->json, "items"), i, item)
        if (strcmp(teams_str(item, "builtin"), builtin) == 0)
            snprintf(role, TEAMS_ID_MAX, "%s", teams_str(item, "id"));
    cr_assert(role[0], "no built-in role %s in %s", builtin, r->body);
    reply_free(r);
}

void teams_invite(struct client *inviter, const char *team, const char *email,
                  const char *role_id, char invitation[TEAMS_ID_MAX])
{
    const char *path = tpath("/api/v1/teams/%s/invitations", team);
    struct reply *r = role_id ? client_json(inviter, "POST", path, "{s:[s], s:s}", "emails",
                                            email, "role_id", role_id)
                              : client_json(inviter, "POST", path, "{s:[s]}", "emails", email);
    cr_assert_eq(r->status, 200, "invite: %ld %s", r->status, r->body);
    json_t *result = json_array_get(json_object_get(r->json, "results"), 0);
    cr_assert_str_eq(teams_str(result, "status"), "invited", "%s", r->body);
    snprintf(invitation, TEAMS_ID_MAX, "%s", teams_str(result, "invitation_id"));
    reply_free(r);
}

void teams_wait_token(const char *email, const char *invitation, int version,
                      char token[TEAMS_TOKEN_MAX])
{
    char needle[160], marker[600];
    /* The Message-ID names the invitation and its version: this e-mail and no older one. */
    snprintf(needle, sizeof(needle), "invitation-%s-v%d@", invitation, version);
    char *text = maildir_wait_for(email, needle, TEAMS_MAIL_WAIT_MS);
    cr_assert_not_null(text, "no invitation e-mail (v%d) reached %s", version, email);
    snprintf(marker, sizeof(marker), "%s/invitations/", client_base_url());
    int found = maildir_extract_token(text, marker, token, TEAMS_TOKEN_MAX);
    cr_assert(found, "the e-mail to %s has no link starting with %s:\n%s", email, marker, text);
    free(text);
}

void teams_join(struct client *admin, const char *team, const char *role_id,
                struct teams_user *m)
{
    char invitation[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    client_init(&m->c);
    client_unique_email(m->email, sizeof(m->email), "member");
    teams_invite(admin, team, m->email, role_id, invitation);
    teams_wait_token(m->email, invitation, 1, token);
    struct reply *r = client_json(&m->c, "POST", tpath("/api/v1/invitations/%s/signup", token),
                                  "{s:s, s:s, s:s}", "password", CLIENT_PASSWORD, "first_name",
                                  "Louise", "last_name", "Bernard");
    cr_assert_eq(r->status, 201, "signup through the link: %ld %s", r->status, r->body);
    snprintf(m->id, sizeof(m->id), "%s", teams_str(json_object_get(r->json, "user"), "id"));
    cr_assert(m->id[0] && m->c.session[0], "no user or session: %s", r->body);
    reply_free(r);
}

void teams_expire(const char *invitation)
{
    const char *params[] = {invitation};
    PGresult *r = testdb_exec("UPDATE invitations SET expires_at = now() - interval '1 minute' "
                              "WHERE id = $1",
                              1, params);
    cr_assert_str_eq(PQcmdTuples(r), "1", "no invitation %s to age", invitation);
    PQclear(r);
}

void teams_assert_problem(const struct reply *r, long status, const char *code)
{
    cr_assert_eq(r->status, status, "expected %ld %s, got %ld: %s", status, code, r->status,
                 r->body);
    cr_assert_str_eq(reply_code(r), code, "%s", r->body);
    char *type = reply_header(r, "Content-Type");
    cr_assert(type && strncmp(type, "application/problem+json", 24) == 0, "Content-Type: %s",
              type ? type : "(none)");
    free(type);
}

void teams_assert_field_problem(const struct reply *r, const char *field, const char *code)
{
    teams_assert_problem(r, 422, "validation_failed");
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r->json, "errors"), i, e)
        if (strcmp(teams_str(e, "field"), field) == 0 && strcmp(teams_str(e, "code"), code) == 0)
            return;
    cr_assert_fail("no error %s on field %s: %s", code, field, r->body);
}

void teams_assert_forbidden(const struct reply *r, const char *required)
{
    teams_assert_problem(r, 403, "forbidden");
    cr_assert_str_eq(teams_str(r->json, "required"), required, "%s", r->body);
}

const char *teams_str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

int teams_array_has(const json_t *array, const char *s)
{
    size_t i;
    json_t *item;
    json_array_foreach (array, i, item)
        if (json_is_string(item) && strcmp(json_string_value(item), s) == 0)
            return 1;
    return 0;
}
