#include "support/letters.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/maildir.h"
#include "support/testdb.h"

const char *lt_path(const char *fmt, ...)
{
    static char buffers[8][1024];
    static unsigned next;
    char *out = buffers[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, sizeof(buffers[0]), fmt, ap);
    va_end(ap);
    return out;
}

const char *lt_str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

void lt_admin(struct lt_user *u, char team[LT_ID_MAX])
{
    client_init(&u->c);
    snprintf(u->id, sizeof(u->id), "%s", client_signup(&u->c, u->email, sizeof(u->email)));
    struct reply *r = client_json(&u->c, "POST", "/api/v1/teams", "{s:s, s:s}", "name",
                                  "Cabinet Lettres", "kind", "firm");
    cr_assert_eq(r->status, 201, "create team: %ld %s", r->status, r->body);
    snprintf(team, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    cr_assert(team[0], "no team id: %s", r->body);
    reply_free(r);
}

void lt_payment_method(struct client *admin, const char *team)
{
    struct reply *r = client_json(admin, "PUT", lt_path("/api/v1/teams/%s/payment-method", team),
                                  "{s:s, s:s, s:s, s:s, s:i, s:i}", "provider", "stripe", "token",
                                  "pm_card_visa_test", "brand", "visa", "last4", "4242",
                                  "exp_month", 12, "exp_year", 2099);
    cr_assert(r->status == 200 || r->status == 201, "payment method: %ld %s", r->status, r->body);
    reply_free(r);
}

void lt_role(struct client *admin, const char *team, const char *name,
             const char *const *permissions, char role[LT_ID_MAX])
{
    json_t *list = json_array();
    for (const char *const *p = permissions; p && *p; p++)
        json_array_append_new(list, json_string(*p));
    struct reply *r = client_json(admin, "POST", lt_path("/api/v1/teams/%s/roles", team),
                                  "{s:s, s:o}", "name", name, "permissions", list);
    cr_assert_eq(r->status, 201, "create role: %ld %s", r->status, r->body);
    snprintf(role, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    reply_free(r);
}

void lt_join(struct client *admin, const char *team, const char *role_id, struct lt_user *m)
{
    client_init(&m->c);
    client_unique_email(m->email, sizeof(m->email), "letters");
    const char *path = lt_path("/api/v1/teams/%s/invitations", team);
    struct reply *r = role_id ? client_json(admin, "POST", path, "{s:[s], s:s}", "emails", m->email,
                                            "role_id", role_id)
                              : client_json(admin, "POST", path, "{s:[s]}", "emails", m->email);
    cr_assert_eq(r->status, 200, "invite: %ld %s", r->status, r->body);
    json_t *result = json_array_get(json_object_get(r->json, "results"), 0);
    cr_assert_str_eq(lt_str(result, "status"), "invited", "%s", r->body);
    char needle[160], marker[600], token[256];
    /* The Message-ID names the invitation and its version. */
    snprintf(needle, sizeof(needle), "invitation-%s-v1@", lt_str(result, "invitation_id"));
    reply_free(r);
    char *text = maildir_wait_for(m->email, needle, LT_MAIL_WAIT_MS);
    cr_assert_not_null(text, "no invitation e-mail reached %s", m->email);
    snprintf(marker, sizeof(marker), "%s/invitations/", client_base_url());
    int found = maildir_extract_token(text, marker, token, sizeof(token));
    cr_assert(found, "no link %s in the e-mail to %s:\n%s", marker, m->email, text);
    free(text);
    r = client_json(&m->c, "POST", lt_path("/api/v1/invitations/%s/signup", token),
                    "{s:s, s:s, s:s}", "password", CLIENT_PASSWORD, "first_name", "Louise",
                    "last_name", "Bernard");
    cr_assert_eq(r->status, 201, "signup through the link: %ld %s", r->status, r->body);
    snprintf(m->id, sizeof(m->id), "%s", lt_str(json_object_get(r->json, "user"), "id"));
    cr_assert(m->id[0] && m->c.session[0], "no user or session: %s", r->body);
    reply_free(r);
}

void lt_join_validator(struct client *admin, const char *team, struct lt_user *m)
{
    static const char *const permissions[] = {"letters.send", "letters.validate", NULL};
    char role[LT_ID_MAX];
    lt_role(admin, team, "Validator", permissions, role);
    lt_join(admin, team, role, m);
}

void lt_reauth(struct client *c)
{
    struct reply *r =
        client_json(c, "POST", "/api/v1/auth/reauth", "{s:s}", "password", CLIENT_PASSWORD);
    cr_assert_eq(r->status, 204, "reauth: %ld %s", r->status, r->body);
    reply_free(r);
}

json_t *lt_email_recipient(const char *last_name, const char *email)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "email", email, "last_name", last_name, "first_name",
                     "Paul", "status", "individual");
}

json_t *lt_postal_recipient(const char *last_name, const char *line1)
{
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "last_name", last_name,
                     "first_name", "Anne", "status", "individual", "address", "line1", line1,
                     "postal_code", "75001", "city", "Paris", "country", "FR");
}

void lt_group(struct client *admin, const char *team, const char *name, char group[LT_ID_MAX])
{
    struct reply *r =
        client_json(admin, "POST", lt_path("/api/v1/teams/%s/groups", team), "{s:s}", "name", name);
    cr_assert_eq(r->status, 201, "create group: %ld %s", r->status, r->body);
    snprintf(group, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    reply_free(r);
}

void lt_group_add(struct client *admin, const char *team, const char *group, json_t *contact)
{
    char *text = json_dumps(contact, JSON_COMPACT);
    json_decref(contact);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r =
        client_send(admin, "POST", lt_path("/api/v1/teams/%s/groups/%s/contacts", team, group),
                    text, json_type);
    cr_assert_eq(r->status, 201, "add contact %s: %ld %s", text, r->status, r->body);
    free(text);
    reply_free(r);
}

static void group_of_email_contacts(struct client *admin, const char *team, int n,
                                    const char *prefix, char group[LT_ID_MAX])
{
    lt_group(admin, team, prefix, group);
    for (int i = 0; i < n; i++) {
        char name[64], email[160];
        snprintf(name, sizeof(name), "%s%02d", prefix, i);
        client_unique_email(email, sizeof(email), name);
        lt_group_add(admin, team, group, lt_email_recipient(name, email));
    }
}

struct reply *lt_create(struct client *c, const char *team, json_t *body, const char *key)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char idem[400];
    snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key ? key : "");
    const char *headers[] = {"Content-Type: application/json", key ? idem : NULL, NULL};
    struct reply *r =
        client_send(c, "POST", lt_path("/api/v1/teams/%s/letters", team), text, headers);
    free(text);
    return r;
}

void lt_draft(struct client *c, const char *team, const char *kind, const char *subject,
              char letter[LT_ID_MAX])
{
    char email[160];
    client_unique_email(email, sizeof(email), "recipient");
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:[o]}", "kind", kind, "subject", subject, "body",
                  "Madame, Monsieur,", "recipients", lt_email_recipient("Durand", email));
    struct reply *r = lt_create(c, team, body, NULL);
    cr_assert_eq(r->status, 201, "create draft: %ld %s", r->status, r->body);
    snprintf(letter, LT_ID_MAX, "%s", lt_str(r->json, "id"));
    reply_free(r);
}

struct reply *lt_action(struct client *c, const char *team, const char *letter, const char *action)
{
    return client_send(c, "POST", lt_path("/api/v1/teams/%s/letters/%s/%s", team, letter, action),
                       NULL, NULL);
}

struct reply *lt_reject(struct client *c, const char *team, const char *letter, const char *reason)
{
    return client_json(c, "POST", lt_path("/api/v1/teams/%s/letters/%s/reject", team, letter),
                       "{s:s}", "reason", reason);
}

struct reply *lt_get(struct client *c, const char *team, const char *letter)
{
    return client_send(c, "GET", lt_path("/api/v1/teams/%s/letters/%s", team, letter), NULL, NULL);
}

const char *lt_db_text(const char *sql, const char *param, char *out, size_t size)
{
    const char *params[] = {param};
    PGresult *r = testdb_exec(sql, 1, params);
    cr_assert_eq(PQntuples(r), 1, "%d rows for %s in: %s", PQntuples(r), param, sql);
    snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return out;
}

const char *lt_db_status(const char *letter, char out[32])
{
    return lt_db_text("SELECT status FROM letters WHERE id = $1", letter, out, 32);
}

char *lt_pdf(const char *text)
{
    char page[400];
    snprintf(page, sizeof(page), "BT /F1 12 Tf 72 720 Td (%s) Tj ET", text);
    char contents[480];
    snprintf(contents, sizeof(contents), "<< /Length %zu >>\nstream\n%s\nendstream", strlen(page),
             page);
    const char *objects[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                             "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                             " /Resources << /Font << /F1 5 0 R >> >> >>",
                             contents, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    size_t size = 4096, n = 0, offsets[5];
    char *out = malloc(size);
    cr_assert_not_null(out);
    n += (size_t)snprintf(out, size, "%%PDF-1.4\n");
    for (int i = 0; i < 5; i++) {
        offsets[i] = n;
        n += (size_t)snprintf(out + n, size - n, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    size_t xref = n;
    n += (size_t)snprintf(out + n, size - n, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        n += (size_t)snprintf(out + n, size - n, "%010zu 00000 n \n", offsets[i]);
    snprintf(out + n, size - n, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
             xref);
    return out;
}

struct reply *lt_attach(struct client *c, const char *team, const char *letter, const char *body,
                        const char *content_type)
{
    char type[200];
    snprintf(type, sizeof(type), "Content-Type: %s", content_type ? content_type : "");
    const char *headers[] = {"X-Filename: courrier.pdf", content_type ? type : NULL, NULL};
    return client_send(c, "POST", lt_path("/api/v1/teams/%s/letters/%s/attachments", team, letter),
                       body, headers);
}

void lt_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

unsigned char *lt_base64_decode(const char *text, size_t *len)
{
    cr_assert_not_null(text, "no base64 text");
    size_t cap = strlen(text) + 1;
    unsigned char *out = malloc(cap);
    cr_assert_not_null(out);
    int rc = sodium_base642bin(out, cap, text, strlen(text), NULL, len, NULL,
                               sodium_base64_VARIANT_ORIGINAL);
    cr_assert_eq(rc, 0, "not standard base64: %.80s", text);
    out[*len] = '\0';
    return out;
}

char *lt_base64_encode(const void *data, size_t len)
{
    size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *text = malloc(size);
    cr_assert_not_null(text);
    sodium_bin2base64(text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
    return text;
}

void lt_field_problem(const struct reply *r, const char *field, const char *code)
{
    reply_expect_problem(r, 422, "validation_failed");
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r->json, "errors"), i, e) {
        if (strcmp(lt_str(e, "field"), field) == 0 && strcmp(lt_str(e, "code"), code) == 0)
            return;
    }
    cr_assert_fail("no error %s on field %s: %s", code, field, r->body);
}

json_t *lt_keys(void)
{
    struct client anyone;
    client_init(&anyone);
    struct reply *r = client_send(&anyone, "GET", "/api/v1/keys", NULL, NULL);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *keys = json_incref(r->json);
    reply_free(r);
    return keys;
}

void lt_scene(struct lt_scene *s)
{
    lt_admin(&s->admin, s->team);
    lt_payment_method(&s->admin.c, s->team);
    lt_join(&s->admin.c, s->team, NULL, &s->member);
    s->letter[0] = '\0';
}

void lt_pending_letter(struct lt_scene *s, int group_size, int attachments)
{
    char group[LT_ID_MAX], first[160], second[160];
    group_of_email_contacts(&s->admin.c, s->team, group_size, "Groupe", group);
    client_unique_email(first, sizeof(first), "adhoc1");
    client_unique_email(second, sizeof(second), "adhoc2");
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:[o, o], s:[s]}", "kind", "lre", "subject",
                  "Convocation à l'assemblée générale", "body", "Madame, Monsieur,", "reference",
                  "AG-2024", "recipients", lt_email_recipient("Lefèvre", first),
                  lt_email_recipient("Moreau", second), "group_ids", group);
    struct reply *r = lt_create(&s->member.c, s->team, body, NULL);
    cr_assert_eq(r->status, 201, "create: %ld %s", r->status, r->body);
    snprintf(s->letter, sizeof(s->letter), "%s", lt_str(r->json, "id"));
    reply_free(r);
    for (int i = 0; i < attachments; i++) {
        char text[64];
        snprintf(text, sizeof(text), "Piece jointe %d", i + 1);
        char *pdf = lt_pdf(text);
        r = lt_attach(&s->member.c, s->team, s->letter, pdf, "application/pdf");
        cr_assert_eq(r->status, 201, "attach: %ld %s", r->status, r->body);
        reply_free(r);
        free(pdf);
    }
    r = lt_action(&s->member.c, s->team, s->letter, "submit");
    cr_assert_eq(r->status, 200, "submit: %ld %s", r->status, r->body);
    cr_assert_str_eq(lt_str(r->json, "status"), "pending_validation", "%s", r->body);
    reply_free(r);
}

json_t *lt_validated_letter(struct lt_scene *s, int group_size, int attachments)
{
    lt_pending_letter(s, group_size, attachments);
    lt_reauth(&s->admin.c);
    struct reply *r = lt_action(&s->admin.c, s->team, s->letter, "validate");
    cr_assert_eq(r->status, 200, "validate: %ld %s", r->status, r->body);
    reply_free(r);
    r = lt_get(&s->admin.c, s->team, s->letter);
    cr_assert_eq(r->status, 200, "%s", r->body);
    json_t *letter = json_incref(r->json);
    reply_free(r);
    return letter;
}
