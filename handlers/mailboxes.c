/* Archive mailboxes: their settings (passwords sealed, never returned), sharing with colleagues,
 * a test e-mail through their SMTP settings, and a poll on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/authz.h"
#include "handlers/handlers.h"
#include "lib/mail.h"
#include "lib/pop3.h"

static const char *const tls_modes[] = {"none", "starttls", "implicit", NULL};

static const struct json_field server_fields[] = {
    {"host", JSON_FIELD_STRING, true, 1, 253, JSON_FORMAT_NONE, NULL},
    {"port", JSON_FIELD_INTEGER, true, 1, 65535, JSON_FORMAT_NONE, NULL},
    {"tls", JSON_FIELD_STRING, true, 1, 16, JSON_FORMAT_NONE, tls_modes},
    {"username", JSON_FIELD_STRING, false, 1, 254, JSON_FORMAT_NONE, NULL},
    {"password", JSON_FIELD_STRING, false, 1, CRYPTO_SECRET_MAX, JSON_FORMAT_NONE, NULL},
};
#define SERVER_FIELDS (sizeof(server_fields) / sizeof(server_fields[0]))

static const struct json_field create_fields[] = {
    {"owner_user_id", JSON_FIELD_STRING, true, 36, 36, JSON_FORMAT_UUID, NULL},
    {"address", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"primary_address", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"signature", JSON_FIELD_STRING, false, 1, 4000, JSON_FORMAT_TEXT, NULL},
    {"system_account", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"active", JSON_FIELD_BOOL, true, 0, 0, JSON_FORMAT_NONE, NULL},
    {"leave_on_server", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"pop3", JSON_FIELD_OBJECT, true, 0, 0, JSON_FORMAT_NONE, NULL},
    {"smtp", JSON_FIELD_OBJECT, true, 0, 0, JSON_FORMAT_NONE, NULL},
};
const struct body_spec mailboxes_create_body = {create_fields, 9};

static const struct json_field update_fields[] = {
    {"owner_user_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
    {"address", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"primary_address", JSON_FIELD_STRING, false, 3, 254, JSON_FORMAT_EMAIL, NULL},
    {"signature", JSON_FIELD_STRING, false, 1, 4000, JSON_FORMAT_TEXT, NULL},
    {"system_account", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"active", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"leave_on_server", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"pop3", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"smtp", JSON_FIELD_OBJECT, false, 0, 0, JSON_FORMAT_NONE, NULL},
};
const struct body_spec mailboxes_update_body = {update_fields, 9};

static const struct json_field test_fields[] = {
    {"to", JSON_FIELD_STRING, true, 3, 254, JSON_FORMAT_EMAIL, NULL},
};
const struct body_spec mailboxes_test_email_body = {test_fields, 1};

/* A mail server's settings as sent, checked, with the password sealed. */
struct server_settings {
    bool given;
    const char *host, *port, *tls, *username, *sealed;
};

static bool is_loopback(const char *host)
{
    return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "localhost") == 0;
}

/* Reads body[name] into out; on a problem fills the 422 (fields named "pop3.host" etc.). When
 * complete is true (creation) the POP3 password is required. */
static bool read_server(struct ctx *ctx, const char *name, bool complete,
                        struct server_settings *out)
{
    json_t *obj = json_object_get(ctx->req.json, name);
    memset(out, 0, sizeof(*out));
    if (!obj || json_is_null(obj))
        return true;
    struct json_problems inner = {.count = 0}, problems = {.count = 0};
    json_spec_check(obj, server_fields, SERVER_FIELDS, &inner);
    bool pop3 = strcmp(name, "pop3") == 0;
    const char *username = json_string_value(json_object_get(obj, "username"));
    const char *password = json_string_value(json_object_get(obj, "password"));
    if (pop3 && !username)
        json_problems_add(&inner, "username", "required", "is required");
    if (pop3 && complete && !password)
        json_problems_add(&inner, "password", "required", "is required");
    const char *host = json_string_value(json_object_get(obj, "host"));
    const char *tls = json_string_value(json_object_get(obj, "tls"));
    if (host && tls && strcmp(tls, "none") == 0 && !is_loopback(host) &&
        !ctx->app->cfg.mail_allow_plaintext)
        json_problems_add(&inner, "tls", "plaintext_not_allowed",
                          "none (no encryption) is for a server on this machine only");
    for (size_t i = 0; i < inner.count; i++)
        json_problems_add(&problems, arena_printf(ctx->req.arena, "%s.%s", name, inner.items[i].field),
                          inner.items[i].code, inner.items[i].message);
    if (problems.count > 0) {
        problem_set_fields(&ctx->resp, &problems);
        return false;
    }
    out->given = true;
    out->host = host;
    out->port = arena_printf(ctx->req.arena, "%lld",
                             (long long)json_integer_value(json_object_get(obj, "port")));
    out->tls = tls;
    out->username = username;
    if (password) {
        char sealed[CRYPTO_SEALED_CHARS];
        if (!crypto_secret_seal(ctx->app->master_key, password, sealed)) {
            problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, NULL);
            return false;
        }
        out->sealed = arena_strdup(ctx->req.arena, sealed);
    }
    return true;
}

static const char *bool_text(struct ctx *ctx, const char *field)
{
    json_t *v = json_object_get(ctx->req.json, field);
    return json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : NULL;
}

/* Only the owner-to-be itself or a holder of mailboxes.manage sets a mailbox up for someone. */
static bool may_set_up_for(struct ctx *ctx, const char *owner)
{
    if (!owner || strcmp(owner, ctx->req.who.user_id) == 0 ||
        authz_has(ctx, PERM_MAILBOXES_MANAGE))
        return true;
    problem_set_ext(&ctx->resp, PROBLEM_FORBIDDEN,
                    "Setting up another member's mailbox needs the permission mailboxes.manage",
                    json_pack("{s:s}", "required", "mailboxes.manage"));
    return false;
}

struct change {
    struct ctx *ctx;
    struct server_settings pop3, smtp;
    bool missing, not_member;
    const char *json;
};

static enum db_status owner_is_member(struct change *c, struct db *db, const char *owner)
{
    if (!owner)
        return DB_OK;
    const char *params[] = {c->ctx->req.who.team_id, owner};
    PGresult *r;
    enum db_status st = db_exec(db, c->ctx->req.arena, SQL_TEAM_MEMBER_EXISTS, 2, params, &r);
    if (st == DB_OK && PQntuples(r) == 0) {
        c->not_member = true;
        return DB_INVALID;
    }
    return st;
}

static enum db_status create_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    const char *owner = ctx_body_string(ctx, "owner_user_id");
    enum db_status st = owner_is_member(c, db, owner);
    if (st != DB_OK)
        return st;
    const char *system = bool_text(ctx, "system_account"), *leave = bool_text(ctx, "leave_on_server");
    const char *params[] = {ctx->req.who.team_id,
                            owner,
                            ctx_email(ctx, ctx_body_string(ctx, "address")),
                            ctx_email(ctx, ctx_body_string(ctx, "primary_address")),
                            ctx_body_string(ctx, "signature"),
                            system ? system : "false",
                            bool_text(ctx, "active"),
                            leave ? leave : "true",
                            c->pop3.host,
                            c->pop3.port,
                            c->pop3.tls,
                            c->pop3.username,
                            c->pop3.sealed,
                            c->smtp.host,
                            c->smtp.port,
                            c->smtp.tls,
                            c->smtp.username,
                            c->smtp.sealed};
    PGresult *r;
    if ((st = db_exec(db, ctx->req.arena, SQL_MAILBOX_CREATE, 18, params, &r)) != DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 1);
    return audit_record(ctx, "mailbox.created", PQgetvalue(r, 0, 0), NULL, c->json);
}

/* Answers the outcome of a mailbox change. */
static void answer_change(struct ctx *ctx, const struct change *c, enum db_status st, int status)
{
    if (c->missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such mailbox");
    else if (c->not_member)
        ctx_field_problem(ctx, "owner_user_id", "not_a_member", "is not a member of the team");
    else if (st == DB_CONFLICT)
        problem_set(&ctx->resp, PROBLEM_MAILBOX_CONFLICT, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, status, c->json);
}

void mailboxes_create(struct ctx *ctx)
{
    struct change c = {.ctx = ctx};
    if (!may_set_up_for(ctx, ctx_body_string(ctx, "owner_user_id")) ||
        !read_server(ctx, "pop3", true, &c.pop3) || !read_server(ctx, "smtp", true, &c.smtp))
        return;
    enum db_status st = db_transaction(ctx->app->db, create_tx, &c);
    answer_change(ctx, &c, st, 201);
}

/* Loads the mailbox of the path as the caller sees it; 404 when it does not. Columns of
 * SQL_MAILBOX_GET: JSON, reads messages, manages it. */
static PGresult *visible_mailbox(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.who.user_id,
                            authz_has(ctx, PERM_MAILBOXES_MANAGE) ? "true" : "false"};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MAILBOX_GET, 4, params, &r))
        return NULL;
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such mailbox");
        return NULL;
    }
    return r;
}

bool mailboxes_readable(struct ctx *ctx)
{
    PGresult *r = visible_mailbox(ctx);
    if (r && strcmp(PQgetvalue(r, 0, 1), "t") != 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such mailbox");
        return false;
    }
    return r != NULL;
}

/* True when the caller manages the mailbox of the path (its owner or mailboxes.manage). */
static bool managed(struct ctx *ctx)
{
    PGresult *r = visible_mailbox(ctx);
    if (!r)
        return false;
    if (strcmp(PQgetvalue(r, 0, 2), "t") == 0)
        return true;
    return may_set_up_for(ctx, "");
}

void mailboxes_list(struct ctx *ctx)
{
    const char *params[] = {ctx->req.who.team_id, ctx->req.who.user_id,
                            authz_has(ctx, PERM_MAILBOXES_MANAGE) ? "true" : "false"};
    ctx_answer_items(ctx, SQL_MAILBOX_LIST, 3, params);
}

void mailboxes_get(struct ctx *ctx)
{
    PGresult *r = visible_mailbox(ctx);
    if (r)
        ctx_answer_json_text(ctx, 200, PQgetvalue(r, 0, 0));
}

static enum db_status update_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    const char *id[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MAILBOX_LOCK, 2, id, &r);
    if (st != DB_OK)
        return st;
    c->missing = PQntuples(r) == 0;
    if (c->missing)
        return DB_INVALID;
    const char *before = PQgetvalue(r, 0, 0);
    const char *owner = ctx_body_string(ctx, "owner_user_id");
    if ((st = owner_is_member(c, db, owner)) != DB_OK)
        return st;
    json_t *smtp = json_object_get(ctx->req.json, "smtp");
    const char *params[] = {id[0],
                            id[1],
                            owner,
                            ctx_email(ctx, ctx_body_string(ctx, "address")),
                            ctx_email(ctx, ctx_body_string(ctx, "primary_address")),
                            json_object_get(ctx->req.json, "signature") ? "true" : "false",
                            ctx_body_string(ctx, "signature"),
                            bool_text(ctx, "system_account"),
                            bool_text(ctx, "active"),
                            bool_text(ctx, "leave_on_server"),
                            c->pop3.host,
                            c->pop3.given ? c->pop3.port : NULL,
                            c->pop3.tls,
                            c->pop3.username,
                            c->pop3.sealed,
                            c->smtp.host,
                            c->smtp.given ? c->smtp.port : NULL,
                            c->smtp.tls,
                            c->smtp.sealed,
                            c->smtp.given && json_object_get(smtp, "username") ? "true" : "false",
                            c->smtp.username};
    if ((st = db_exec(db, ctx->req.arena, SQL_MAILBOX_UPDATE, 21, params, &r)) != DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 0);
    return audit_record(ctx, "mailbox.updated", id[1], before, c->json);
}

void mailboxes_update(struct ctx *ctx)
{
    struct change c = {.ctx = ctx};
    if (!managed(ctx) || !may_set_up_for(ctx, ctx_body_string(ctx, "owner_user_id")) ||
        !read_server(ctx, "pop3", false, &c.pop3) || !read_server(ctx, "smtp", false, &c.smtp))
        return;
    enum db_status st = db_transaction(ctx->app->db, update_tx, &c);
    answer_change(ctx, &c, st, 200);
}

static enum db_status delete_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    const char *id[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MAILBOX_DELETE, 2, id, &r);
    if (st != DB_OK)
        return st;
    c->missing = PQntuples(r) == 0; /* it archived messages: keep it */
    if (c->missing)
        return DB_INVALID;
    return audit_record(ctx, "mailbox.deleted", id[1], PQgetvalue(r, 0, 0), NULL);
}

void mailboxes_delete(struct ctx *ctx)
{
    if (!managed(ctx))
        return;
    struct change c = {.ctx = ctx};
    enum db_status st = db_transaction(ctx->app->db, delete_tx, &c);
    if (c.missing)
        problem_set(&ctx->resp, PROBLEM_MAILBOX_NOT_EMPTY, NULL);
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        response_empty(&ctx->resp, 204);
}

/* Columns of SQL_MAILBOX_SMTP. */
enum { SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER, SMTP_PASSWORD, SMTP_ADDRESS, SMTP_NAME };

void mailboxes_test_email(struct ctx *ctx)
{
    if (!managed(ctx))
        return;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1]};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_MAILBOX_SMTP, 2, params, &r))
        return;
    char password[CRYPTO_SECRET_MAX + 1] = "";
    bool with_password = !PQgetisnull(r, 0, SMTP_PASSWORD);
    if (with_password &&
        !crypto_secret_open(ctx->app->master_key, PQgetvalue(r, 0, SMTP_PASSWORD), password)) {
        problem_set(&ctx->resp, PROBLEM_INTERNAL_ERROR, "The stored password cannot be opened");
        return;
    }
    const char *tls = PQgetvalue(r, 0, SMTP_TLS);
    struct mail_server server = {
        .url = arena_printf(ctx->req.arena, "%s://%s:%s",
                            strcmp(tls, "implicit") == 0 ? "smtps" : "smtp",
                            PQgetvalue(r, 0, SMTP_HOST), PQgetvalue(r, 0, SMTP_PORT)),
        .username = PQgetisnull(r, 0, SMTP_USER) ? NULL : PQgetvalue(r, 0, SMTP_USER),
        .password = with_password ? password : NULL,
        .starttls = strcmp(tls, "starttls") == 0,
        .ca_file = ctx->app->cfg.pop3_ca_file,
    };
    char id[CRYPTO_TOKEN_CHARS + 1], error[512] = "";
    crypto_token_new(id);
    const char *address = PQgetvalue(r, 0, SMTP_ADDRESS);
    struct mail_message msg = {
        .from_address = address,
        .from_name = PQgetvalue(r, 0, SMTP_NAME),
        .to = ctx_email(ctx, ctx_body_string(ctx, "to")),
        .subject = "Message de test de votre boîte d'archive",
        .message_id = arena_printf(ctx->req.arena, "test-%s@%s", id, strrchr(address, '@') + 1),
        .text = "Ce message confirme que l'envoi depuis votre boîte d'archive fonctionne.\n",
    };
    enum mail_result sent = mail_send(&server, &msg, error, sizeof(error));
    sodium_memzero(password, sizeof(password));
    response_json(&ctx->resp, 200,
                  json_pack("{s:b, s:s}", "sent", sent == MAIL_SENT, "detail",
                            sent == MAIL_SENT ? "The server accepted the message" : error));
}

void mailboxes_poll(struct ctx *ctx)
{
    if (!mailboxes_readable(ctx))
        return;
    const char *payload =
        arena_printf(ctx->req.arena, "{\"mailbox_id\":\"%s\"}", ctx->req.path_params[1]);
    const char *params[] = {"mailbox_poll", payload};
    PGresult *r;
    if (ctx_exec(ctx, SQL_JOB_ENQUEUE, 2, params, &r))
        response_json(&ctx->resp, 202, json_pack("{s:b}", "queued", 1));
}

struct grant {
    struct ctx *ctx;
    bool put, missing;
};

static enum db_status grant_tx(struct db *db, void *p)
{
    struct grant *g = p;
    struct ctx *ctx = g->ctx;
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1], ctx->req.path_params[2],
                            ctx->req.who.user_id};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena,
                                g->put ? SQL_MAILBOX_GRANT_PUT : SQL_MAILBOX_GRANT_DELETE,
                                g->put ? 4 : 3, params, &r);
    if (st != DB_OK)
        return st;
    g->missing = PQntuples(r) == 0;
    if (g->missing)
        return DB_INVALID;
    const char *grant = arena_printf(ctx->req.arena, "{\"mailbox_id\":\"%s\",\"user_id\":\"%s\"}",
                                     params[1], params[2]);
    return audit_record(ctx, g->put ? "mailbox.shared" : "mailbox.unshared", params[1],
                        g->put ? NULL : grant, g->put ? grant : NULL);
}

/* Shares or stops sharing (put) the mailbox with the member of the path. */
static void change_grant(struct ctx *ctx, bool put)
{
    if (!managed(ctx))
        return;
    struct grant g = {ctx, put, false};
    enum db_status st = db_transaction(ctx->app->db, grant_tx, &g);
    if (g.missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, put ? "No such member" : "No such grant");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        response_empty(&ctx->resp, 204);
}

void mailboxes_grant(struct ctx *ctx)
{
    change_grant(ctx, true);
}

void mailboxes_revoke(struct ctx *ctx)
{
    change_grant(ctx, false);
}
