/* The messages of an archive mailbox, for its owner and the colleagues it is shared with: the
 * list with its filters, one message as JSON, as its archived PDF or as the original, and how
 * the team handles it (assignee, status, pause, archive, matter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"

static const char *const folders[] = {"inbox", "sent", "archived", NULL};
static const char *const statuses[] = {"new", "in_progress", "done", NULL};

static const struct json_field update_fields[] = {
    {"assignee_user_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
    {"status", JSON_FIELD_STRING, false, 1, 16, JSON_FORMAT_NONE, statuses},
    {"paused_until", JSON_FIELD_STRING, false, 20, 40, JSON_FORMAT_DATETIME, NULL},
    {"archived", JSON_FIELD_BOOL, false, 0, 0, JSON_FORMAT_NONE, NULL},
    {"matter_id", JSON_FIELD_STRING, false, 36, 36, JSON_FORMAT_UUID, NULL},
};
const struct body_spec messages_update_body = {update_fields, 5};

static bool one_of(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* A filter that names a user or a matter: an id, or "none". */
static bool id_or_none(const char *s)
{
    return !s || strcmp(s, "none") == 0 || json_is_uuid(s);
}

void messages_list(struct ctx *ctx)
{
    struct ctx_page page;
    if (!mailboxes_readable(ctx) || !ctx_page(ctx, &page))
        return;
    const char *folder = request_query(&ctx->req, "folder");
    const char *status = request_query(&ctx->req, "status");
    const char *assignee = request_query(&ctx->req, "assignee");
    const char *paused = request_query(&ctx->req, "paused");
    const char *matter = request_query(&ctx->req, "matter");
    const char *field = folder && !one_of(folders, folder)       ? "folder"
                        : status && !one_of(statuses, status)    ? "status"
                        : !id_or_none(assignee)                  ? "assignee"
                        : paused && strcmp(paused, "true") != 0 &&
                                  strcmp(paused, "false") != 0   ? "paused"
                        : !id_or_none(matter)                    ? "matter"
                                                                 : NULL;
    if (field) {
        ctx_field_problem(ctx, field, "not_allowed", "is not one of the values this filter takes");
        return;
    }
    const char *params[] = {ctx->req.path_params[1], folder, status, assignee, paused, matter,
                            page.cursor, page.size};
    PGresult *r;
    if (ctx_exec(ctx, SQL_MESSAGE_LIST, 8, params, &r))
        ctx_answer_page(ctx, r);
}

/* Answers the archived PDF or the original bytes of the message. */
static void answer_file(struct ctx *ctx, bool pdf)
{
    const char *params[] = {ctx->req.path_params[1], ctx->req.path_params[2], pdf ? "pdf" : "raw"};
    PGresult *r;
    enum db_status st = db_exec_binary_result(ctx->app->db, ctx->req.arena, SQL_MESSAGE_FILE, 3,
                                              params, &r);
    if (st != DB_OK) {
        problem_set_db(&ctx->resp, st);
        return;
    }
    if (PQntuples(r) == 0) {
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such message");
        return;
    }
    if (PQgetisnull(r, 0, 1)) {
        bool kept = strcmp(PQgetvalue(r, 0, 0), "true") == 0;
        problem_set(&ctx->resp, pdf && kept ? PROBLEM_MESSAGE_PDF_PENDING : PROBLEM_MESSAGE_NOT_KEPT,
                    NULL);
        return;
    }
    const char *subject = PQgetvalue(r, 0, 2);
    response_attachment(&ctx->resp, pdf ? "application/pdf" : "message/rfc822",
                        arena_printf(ctx->req.arena, "%.80s.%s", *subject ? subject : "message",
                                     pdf ? "pdf" : "eml"),
                        PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1));
}

void messages_get(struct ctx *ctx)
{
    if (!mailboxes_readable(ctx))
        return;
    const char *accept = request_param(&ctx->req, "HTTP_ACCEPT");
    if (accept && strstr(accept, "application/pdf")) {
        answer_file(ctx, true);
        return;
    }
    if (accept && strstr(accept, "message/rfc822")) {
        answer_file(ctx, false);
        return;
    }
    const char *params[] = {ctx->req.path_params[1], ctx->req.path_params[2]};
    PGresult *r;
    if (ctx_exec(ctx, SQL_MESSAGE_GET, 2, params, &r))
        ctx_answer_row(ctx, 200, r, "No such message");
}

struct change {
    struct ctx *ctx;
    bool missing;
    const char *bad_field;
    const char *json;
};

/* Checks, when the body names them, that the assignee reads the mailbox and that the matter is
 * the team's. */
static enum db_status check_targets(struct change *c, struct db *db)
{
    struct ctx *ctx = c->ctx;
    const char *assignee = ctx_body_string(ctx, "assignee_user_id");
    const char *matter = ctx_body_string(ctx, "matter_id");
    PGresult *r;
    enum db_status st;
    if (assignee) {
        const char *params[] = {ctx->req.path_params[1], assignee};
        if ((st = db_exec(db, ctx->req.arena, SQL_MAILBOX_READER, 2, params, &r)) != DB_OK)
            return st;
        if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
            c->bad_field = "assignee_user_id";
            return DB_INVALID;
        }
    }
    if (matter) {
        const char *params[] = {ctx->req.who.team_id, matter};
        if ((st = db_exec(db, ctx->req.arena, SQL_MATTER_OF_TEAM, 2, params, &r)) != DB_OK)
            return st;
        if (PQntuples(r) == 0) {
            c->bad_field = "matter_id";
            return DB_INVALID;
        }
    }
    return DB_OK;
}

/* A new assignee or matter tells the office (messages). */
static enum db_status tell(struct ctx *ctx, struct db *db, const char *what)
{
    const char *params[] = {ctx->req.path_params[2], what};
    PGresult *r;
    return db_exec(db, ctx->req.arena, SQL_MESSAGE_NOTIFY, 2, params, &r);
}

static enum db_status update_tx(struct db *db, void *p)
{
    struct change *c = p;
    struct ctx *ctx = c->ctx;
    const char *id[] = {ctx->req.path_params[1], ctx->req.path_params[2]};
    PGresult *r;
    enum db_status st = db_exec(db, ctx->req.arena, SQL_MESSAGE_LOCK, 2, id, &r);
    if (st != DB_OK)
        return st;
    c->missing = PQntuples(r) == 0;
    if (c->missing)
        return DB_INVALID;
    if ((st = check_targets(c, db)) != DB_OK)
        return st;
    json_t *body = ctx->req.json;
    const char *assignee = ctx_body_string(ctx, "assignee_user_id");
    const char *matter = ctx_body_string(ctx, "matter_id");
    bool set_assignee = json_object_get(body, "assignee_user_id") != NULL;
    bool set_matter = json_object_get(body, "matter_id") != NULL;
    bool new_assignee = assignee && (PQgetisnull(r, 0, 0) || strcmp(PQgetvalue(r, 0, 0), assignee));
    bool new_matter = matter && (PQgetisnull(r, 0, 1) || strcmp(PQgetvalue(r, 0, 1), matter));
    json_t *archived = json_object_get(body, "archived");
    const char *params[] = {id[0],
                            id[1],
                            set_assignee ? "true" : "false",
                            assignee,
                            ctx_body_string(ctx, "status"),
                            json_object_get(body, "paused_until") ? "true" : "false",
                            ctx_body_string(ctx, "paused_until"),
                            set_matter ? "true" : "false",
                            matter,
                            json_is_boolean(archived) ? (json_is_true(archived) ? "true" : "false")
                                                      : NULL};
    if ((st = db_exec(db, ctx->req.arena, SQL_MESSAGE_UPDATE, 10, params, &r)) != DB_OK)
        return st;
    c->json = PQgetvalue(r, 0, 0);
    if (new_matter && (st = tell(ctx, db, "classé")) != DB_OK)
        return st;
    if (new_assignee && (st = tell(ctx, db, "attribué")) != DB_OK)
        return st;
    return DB_OK;
}

void messages_update(struct ctx *ctx)
{
    if (!mailboxes_readable(ctx))
        return;
    struct change c = {.ctx = ctx};
    enum db_status st = db_transaction(ctx->app->db, update_tx, &c);
    if (c.missing)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such message");
    else if (c.bad_field)
        ctx_field_problem(ctx, c.bad_field, "unknown",
                          strcmp(c.bad_field, "matter_id") == 0
                              ? "is not one of the team's matters"
                              : "is not a colleague who reads this mailbox");
    else if (st != DB_OK)
        problem_set_db(&ctx->resp, st);
    else
        ctx_answer_json_text(ctx, 200, c.json);
}
