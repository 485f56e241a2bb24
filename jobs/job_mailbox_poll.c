#include "jobs/job_mailbox_poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/blob_store.h"
#include "jobs/job_counters.h"
#include "lib/log.h"
#include "lib/mime_message.h"
#include "lib/pop3.h"

/* Columns of SQL_MAILBOX_POLL_CONTEXT. */
enum { CTX_TEAM, CTX_ACTIVE, CTX_LEAVE, CTX_PRIMARY, CTX_HOST, CTX_PORT, CTX_TLS, CTX_USER,
       CTX_PASSWORD };

/* Room for the copies of one parsed message: its text and attachments, decoded. */
#define PARSE_ARENA_OVERHEAD (4u * 1024u * 1024u)

struct poll {
    struct db *db;
    const struct job_env *env;
    const char *mailbox, *team, *primary;
    bool leave_on_server;
    struct pop3_session *session;
    long archived, failed;
};

static json_t *addresses_json(const struct mime_address *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i].address));
    return a;
}

static json_t *strings_json(const char *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

/* A message being read: its id, its raw bytes and what was read from them. */
struct reading {
    struct poll *poll;
    const char *id;
    const struct mime_message *m; /* NULL when it could not be parsed */
    const char *parse_error;
};

/* The attachments as the message row lists them; PDF attachments are kept in the blob store as
 * they are. */
static enum db_status attachments_json(struct reading *a, json_t **out)
{
    *out = json_array();
    for (size_t i = 0; a->m && i < a->m->n_attachments; i++) {
        const struct mime_attachment *f = &a->m->attachments[i];
        char sha256[65] = "";
        if (strcmp(f->content_type, "application/pdf") == 0) {
            enum db_status st = blob_store_put(a->poll->db, f->data, f->len, sha256);
            if (st != DB_OK)
                return st;
        }
        json_array_append_new(*out, json_pack("{s:s, s:s, s:I, s:s?, s:b}", "filename",
                                              f->filename, "content_type", f->content_type,
                                              "size", (json_int_t)f->len, "sha256",
                                              sha256[0] ? sha256 : NULL, "forwarded",
                                              f->forwarded));
    }
    return DB_OK;
}

static char *dump(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    return s;
}

static enum db_status read_done_tx(struct db *db, void *p)
{
    struct reading *a = p;
    json_t *attachments;
    enum db_status st = attachments_json(a, &attachments);
    if (st != DB_OK) {
        json_decref(attachments);
        return st;
    }
    const struct mime_message *m = a->m;
    bool sent = m && m->from.address && strcmp(m->from.address, a->poll->primary) == 0;
    char *to = dump(m ? addresses_json(m->to, m->n_to) : json_array());
    char *cc = dump(m ? addresses_json(m->cc, m->n_cc) : json_array());
    char *refs = dump(m ? strings_json(m->references, m->n_references) : json_array());
    char *files = dump(attachments);
    const char *params[] = {a->id,
                            a->parse_error,
                            sent ? "sent" : "inbox",
                            m ? m->subject : NULL,
                            m ? m->from.address : NULL,
                            m ? m->from.name : NULL,
                            to,
                            cc,
                            m ? m->date : NULL,
                            m ? m->message_id : NULL,
                            m ? m->in_reply_to : NULL,
                            refs,
                            m ? m->text : NULL,
                            m && m->text_from_html ? "true" : "false",
                            files};
    PGresult *r;
    st = db_exec(db, NULL, SQL_MESSAGE_READ_DONE, 15, params, &r);
    free(to);
    free(cc);
    free(refs);
    free(files);
    if (st == DB_OK)
        PQclear(r);
    return st;
}

/* Reads an archived message with GMime and stores what was read; a message GMime cannot read
 * stays archived raw and flagged. */
static enum db_status read_message(struct poll *poll, const char *id, const char *raw,
                                   size_t len)
{
    struct reading a = {.poll = poll, .id = id};
    char error[160];
    static struct mime_message parsed;
    struct arena *arena = arena_new(3 * len + PARSE_ARENA_OVERHEAD);
    if (arena && mime_message_parse(raw, len, arena, &parsed, error, sizeof(error)))
        a.m = &parsed;
    else
        a.parse_error = arena ? error : "out of memory while reading the message";
    enum db_status st = db_transaction(poll->db, read_done_tx, &a);
    if (st == DB_INVALID && a.m) {
        /* What was read could not be stored: keep the raw message, flagged, rather than lose it. */
        a.m = NULL;
        a.parse_error = "read, but what was read could not be stored; the original is kept";
        st = db_transaction(poll->db, read_done_tx, &a);
    }
    if (arena)
        arena_free(arena);
    return st;
}

/* A message to archive raw: its unique id and bytes; id receives the new message's id. */
struct raw_message {
    struct poll *poll;
    const char *uidl, *raw;
    size_t len;
    bool too_large;
    char id[40];
};

static enum db_status store_raw_tx(struct db *db, void *p)
{
    struct raw_message *m = p;
    char sha256[65] = "", size[32];
    enum db_status st;
    if (!m->too_large &&
        (st = blob_store_put(db, (const unsigned char *)m->raw, m->len, sha256)) != DB_OK)
        return st;
    snprintf(size, sizeof(size), "%zu", m->len);
    const char *params[] = {m->poll->team, m->poll->mailbox, m->uidl, sha256[0] ? sha256 : NULL,
                            size, m->too_large ? "too large to archive: left on the server" : NULL};
    PGresult *r;
    if ((st = db_exec(db, NULL, SQL_MESSAGE_STORE_RAW, 6, params, &r)) != DB_OK)
        return st;
    m->id[0] = '\0';
    if (PQntuples(r) > 0)
        snprintf(m->id, sizeof(m->id), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return DB_OK;
}

/* Archives one message: its raw bytes first, committed, then what GMime reads of them. */
static enum db_status archive(struct poll *poll, const char *uidl, const char *raw, size_t len,
                              bool too_large)
{
    struct raw_message m = {.poll = poll, .uidl = uidl, .raw = raw, .len = len,
                            .too_large = too_large};
    enum db_status st = db_transaction(poll->db, store_raw_tx, &m);
    if (st != DB_OK || !m.id[0] || too_large)
        return st;
    poll->archived++;
    return read_message(poll, m.id, raw, len);
}

/* The most times the reading of one message is started; one that keeps failing (pli-jobs
 * stopped while reading it) is given up, its original kept. */
#define READ_ATTEMPTS_MAX 3

/* Finishes the readings an earlier poll left (pli-jobs stopped in between). */
static bool read_again(struct poll *poll, char *error, size_t error_size)
{
    const char *params[] = {poll->mailbox};
    PGresult *r;
    if (db_exec_binary_result(poll->db, NULL, SQL_MESSAGE_READ_AGAIN, 1, params, &r) != DB_OK) {
        snprintf(error, error_size, "database unavailable");
        return false;
    }
    enum db_status st = DB_OK;
    for (int i = 0; i < PQntuples(r) && st == DB_OK; i++) {
        const char *id = PQgetvalue(r, i, 0);
        if (strtol(PQgetvalue(r, i, 1), NULL, 10) > READ_ATTEMPTS_MAX) {
            const char *give_up[] = {id, "could not be read after several attempts; the "
                                         "original is kept"};
            PGresult *g;
            if ((st = db_exec(poll->db, NULL, SQL_MESSAGE_READ_GIVEN_UP, 2, give_up, &g)) == DB_OK)
                PQclear(g);
        } else {
            st = read_message(poll, id, PQgetvalue(r, i, 2), (size_t)PQgetlength(r, i, 2));
        }
    }
    PQclear(r);
    if (st != DB_OK)
        snprintf(error, error_size, "could not finish reading archived messages");
    return st == DB_OK;
}

/* Takes the messages not archived yet (up to the batch), and deletes from the server what is
 * archived when the mailbox does not leave messages there. Returns false when the poll must be
 * tried again; *more tells that messages are left for another run. */
static bool take(struct poll *poll, const struct pop3_entry *entries, size_t n, bool *more,
                 char *error, size_t error_size)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ids, json_string(entries[i].uidl));
    char *ids_text = dump(ids);
    const char *params[] = {poll->mailbox, ids_text};
    PGresult *known;
    enum db_status st = db_exec(poll->db, NULL, SQL_MAILBOX_KNOWN_UIDLS, 2, params, &known);
    free(ids_text);
    if (st != DB_OK) {
        snprintf(error, error_size, "database unavailable");
        return false;
    }
    long budget = poll->env->cfg->pop3_batch;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        int row = -1;
        for (int k = 0; k < PQntuples(known) && row < 0; k++)
            if (strcmp(PQgetvalue(known, k, 0), entries[i].uidl) == 0)
                row = k;
        bool kept_whole = row >= 0 && strcmp(PQgetvalue(known, row, 1), "t") == 0;
        if (row < 0) {
            if (budget-- <= 0) {
                *more = true;
                break;
            }
            char *raw = NULL;
            size_t len = 0;
            bool too_large = false;
            if (!pop3_retrieve(poll->session, entries[i].number,
                               (size_t)poll->env->cfg->pop3_message_max_bytes, &raw, &len,
                               &too_large, error, error_size) &&
                !too_large) {
                ok = false;
                break;
            }
            if (too_large) /* its size is known to be above the cap, no more */
                len = (size_t)poll->env->cfg->pop3_message_max_bytes + 1;
            st = archive(poll, entries[i].uidl, raw, len, too_large);
            free(raw);
            if (st != DB_OK && st != DB_CONFLICT) {
                snprintf(error, error_size, "could not archive message %s", entries[i].uidl);
                ok = false;
                break;
            }
            kept_whole = !too_large;
        }
        /* Only what is archived whole leaves the server; the deletion is final at QUIT. */
        if (!poll->leave_on_server && kept_whole &&
            !pop3_delete(poll->session, entries[i].number, error, error_size))
            ok = false;
    }
    PQclear(known);
    return ok;
}

/* Polls with the settings of row r; false (error filled) when it must be tried again. */
static bool poll_mailbox(struct poll *poll, const PGresult *r, bool *more, char *error,
                         size_t error_size)
{
    char password[CRYPTO_SECRET_MAX + 1];
    enum pop3_tls tls;
    if (!crypto_secret_open(poll->env->master_key, PQgetvalue(r, 0, CTX_PASSWORD), password) ||
        !pop3_tls_parse(PQgetvalue(r, 0, CTX_TLS), &tls)) {
        snprintf(error, error_size, "the stored POP3 password cannot be opened with this key");
        return false;
    }
    struct pop3_server server = {PQgetvalue(r, 0, CTX_HOST),
                                 (int)strtol(PQgetvalue(r, 0, CTX_PORT), NULL, 10), tls,
                                 PQgetvalue(r, 0, CTX_USER), password,
                                 poll->env->cfg->pop3_ca_file};
    poll->session = pop3_open(&server);
    sodium_memzero(password, sizeof(password));
    if (!poll->session) {
        snprintf(error, error_size, "libcurl could not start");
        return false;
    }
    struct pop3_entry *entries = NULL;
    size_t n = 0;
    bool ok = read_again(poll, error, error_size) &&
              pop3_list(poll->session, &entries, &n, error, error_size) &&
              take(poll, entries, n, more, error, error_size);
    free(entries);
    pop3_close(poll->session); /* QUIT: deletions become final after the archive committed */
    return ok;
}

enum job_result job_mailbox_poll(struct db *db, const struct job_env *env, struct job *job)
{
    const char *id = json_string_value(json_object_get(job->payload, "mailbox_id"));
    if (!id) {
        snprintf(job->error, sizeof(job->error), "payload lacks mailbox_id");
        return JOB_FAILED;
    }
    const char *params[] = {id};
    PGresult *r, *lock;
    if (db_exec(db, NULL, SQL_MAILBOX_POLL_CONTEXT, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    if (PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, CTX_ACTIVE), "t") != 0) {
        PQclear(r);
        return JOB_DONE; /* deleted or switched off since */
    }
    if (db_exec(db, NULL, SQL_MAILBOX_POLL_LOCK, 1, params, &lock) != DB_OK) {
        PQclear(r);
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    bool mine = strcmp(PQgetvalue(lock, 0, 0), "t") == 0;
    PQclear(lock);
    if (!mine) { /* another runner is polling this mailbox right now */
        PQclear(r);
        return JOB_DONE;
    }
    struct poll poll = {.db = db,
                        .env = env,
                        .mailbox = id,
                        .team = PQgetvalue(r, 0, CTX_TEAM),
                        .primary = PQgetvalue(r, 0, CTX_PRIMARY),
                        .leave_on_server = strcmp(PQgetvalue(r, 0, CTX_LEAVE), "t") == 0};
    bool more = false;
    bool ok = poll_mailbox(&poll, r, &more, job->error, sizeof(job->error));
    const char *done[] = {id, ok ? NULL : job->error};
    PGresult *d;
    if (db_exec(db, NULL, SQL_MAILBOX_POLL_DONE, 2, done, &d) == DB_OK)
        PQclear(d);
    if (db_exec(db, NULL, SQL_MAILBOX_POLL_UNLOCK, 1, params, &d) == DB_OK)
        PQclear(d);
    log_info("mailbox %s: %ld message(s) archived%s%s", id, poll.archived, ok ? "" : "; ",
             ok ? "" : job->error);
    job_counter_add(db, METRIC_POP3_POLLS, ok ? "done" : "failed", 1);
    job_counter_add(db, METRIC_POP3_MESSAGES_ARCHIVED, NULL, poll.archived);
    PQclear(r);
    if (ok && more) { /* the batch is taken: the rest comes in the next run, right away */
        char payload[96];
        snprintf(payload, sizeof(payload), "{\"mailbox_id\":\"%s\"}", id);
        const char *again[] = {"mailbox_poll", payload};
        if (db_exec(db, NULL, SQL_JOB_ENQUEUE, 2, again, &d) == DB_OK)
            PQclear(d);
    }
    return ok ? JOB_DONE : JOB_RETRY;
}

enum job_result job_poll_mailboxes(struct db *db, const struct job_env *env, struct job *job)
{
    char seconds[24];
    snprintf(seconds, sizeof(seconds), "%ld", env->cfg->pop3_poll_seconds);
    const char *params[] = {seconds};
    PGresult *r;
    if (db_exec(db, NULL, SQL_MAILBOXES_DUE, 1, params, &r) != DB_OK) {
        snprintf(job->error, sizeof(job->error), "database unavailable");
        return JOB_RETRY;
    }
    PQclear(r);
    return JOB_DONE;
}
