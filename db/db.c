#include "db/db.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

struct db {
    char *url;
    char *application_name;
    PGconn *conn;
    bool in_transaction;
    char last_sqlstate[6];
    uint64_t *failures; /* DB__MAX counters, or NULL */
};

void db_count_failures(struct db *db, uint64_t *counters)
{
    db->failures = counters;
}

static void count_failure(struct db *db, enum db_status status)
{
    if (db->failures && status != DB_OK)
        __atomic_fetch_add(&db->failures[status], 1, __ATOMIC_RELAXED);
}

enum db_status db_classify_sqlstate(const char *s)
{
    if (!s || strlen(s) != 5)
        return DB_UNAVAILABLE; /* libpq sets no SQLSTATE when the connection is gone */
    if (!strcmp(s, "23505"))
        return DB_CONFLICT;
    if (!strcmp(s, "23503") || !strcmp(s, "23514") || !strcmp(s, "23502") ||
        !strncmp(s, "22", 2))
        return DB_INVALID;
    if (!strcmp(s, "40001") || !strcmp(s, "40P01"))
        return DB_RETRY;
    if (!strncmp(s, "08", 2) || !strncmp(s, "57P0", 4))
        return DB_UNAVAILABLE;
    return DB_ERROR;
}

static void disconnect(struct db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    db->conn = NULL;
    db->in_transaction = false;
}

static bool prepare_all(struct db *db)
{
    for (int i = 0; i < SQL__MAX; i++) {
        PGresult *r = PQprepare(db->conn, sql_statement_names[i], sql_statement_texts[i], 0, NULL);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            log_error("db: cannot prepare %s: %s", sql_statement_names[i],
                      PQresultErrorMessage(r));
        PQclear(r);
        if (!ok)
            return false;
    }
    return true;
}

bool db_ensure(struct db *db)
{
    if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
        return true;
    disconnect(db);
    const char *keys[] = {"dbname", "application_name", "connect_timeout", "options", NULL};
    const char *values[] = {db->url, db->application_name, "3",
                            "-c statement_timeout=15000 -c lock_timeout=5000 -c TimeZone=UTC", NULL};
    db->conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        log_warn("db: cannot connect: %s", PQerrorMessage(db->conn));
        disconnect(db);
        count_failure(db, DB_UNAVAILABLE);
        return false;
    }
    if (!prepare_all(db)) {
        disconnect(db);
        count_failure(db, DB_ERROR);
        return false;
    }
    return true;
}

struct db *db_open(const char *url, const char *application_name)
{
    struct db *db = calloc(1, sizeof(*db));
    if (!db)
        return NULL;
    db->url = strdup(url);
    db->application_name = strdup(application_name);
    if (!db->url || !db->application_name) {
        db_close(db);
        return NULL;
    }
    db_ensure(db);
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    disconnect(db);
    free(db->url);
    free(db->application_name);
    free(db);
}

PGconn *db_conn(struct db *db)
{
    return db->conn;
}

const char *db_last_sqlstate(const struct db *db)
{
    return db->last_sqlstate;
}

static void pgresult_clear(void *p)
{
    PQclear(p);
}

static enum db_status exec_once(struct db *db, enum sql_statement stmt, int n_params,
                                const char *const *params, const int *lengths,
                                const int *formats, int result_format, PGresult **out)
{
    *out = NULL;
    if (!db_ensure(db))
        return DB_UNAVAILABLE;
    PGresult *r = PQexecPrepared(db->conn, sql_statement_names[stmt], n_params, params, lengths,
                                 formats, result_format);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        *out = r;
        return DB_OK;
    }
    const char *sqlstate = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    snprintf(db->last_sqlstate, sizeof(db->last_sqlstate), "%s", sqlstate ? sqlstate : "");
    enum db_status status = db_classify_sqlstate(sqlstate);
    if (PQstatus(db->conn) != CONNECTION_OK)
        status = DB_UNAVAILABLE;
    if (status == DB_ERROR || status == DB_UNAVAILABLE)
        log_error("db: %s failed (%s): %s", sql_statement_names[stmt],
                  sqlstate ? sqlstate : "no sqlstate", PQresultErrorMessage(r));
    PQclear(r);
    count_failure(db, status);
    if (status == DB_UNAVAILABLE)
        disconnect(db);
    return status;
}

enum db_status db_exec(struct db *db, struct arena *arena, enum sql_statement stmt, int n_params,
                       const char *const *params, PGresult **out)
{
    return db_exec_binary(db, arena, stmt, n_params, params, NULL, NULL, out);
}

static enum db_status exec_retrying(struct db *db, struct arena *arena, enum sql_statement stmt,
                                    int n_params, const char *const *params, const int *lengths,
                                    const int *formats, int result_format, PGresult **out)
{
    db->last_sqlstate[0] = '\0';
    bool was_connected = db->conn != NULL;
    bool in_tx = db->in_transaction;
    enum db_status status =
        exec_once(db, stmt, n_params, params, lengths, formats, result_format, out);
    if (status == DB_UNAVAILABLE && was_connected && !in_tx)
        status = exec_once(db, stmt, n_params, params, lengths, formats, result_format, out);
    if (status == DB_OK && arena)
        arena_defer(arena, pgresult_clear, *out);
    return status;
}

enum db_status db_exec_binary(struct db *db, struct arena *arena, enum sql_statement stmt,
                              int n_params, const char *const *params, const int *lengths,
                              const int *formats, PGresult **out)
{
    return exec_retrying(db, arena, stmt, n_params, params, lengths, formats, 0, out);
}

enum db_status db_exec_binary_result(struct db *db, struct arena *arena, enum sql_statement stmt,
                                     int n_params, const char *const *params, PGresult **out)
{
    return exec_retrying(db, arena, stmt, n_params, params, NULL, NULL, 1, out);
}

static enum db_status run_plain(struct db *db, const char *sql)
{
    if (!db_ensure(db))
        return DB_UNAVAILABLE;
    PGresult *r = PQexec(db->conn, sql);
    enum db_status status = DB_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *sqlstate = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        status = PQstatus(db->conn) != CONNECTION_OK ? DB_UNAVAILABLE
                                                     : db_classify_sqlstate(sqlstate);
        snprintf(db->last_sqlstate, sizeof(db->last_sqlstate), "%s", sqlstate ? sqlstate : "");
        log_error("db: %s failed: %s", sql, PQresultErrorMessage(r));
    }
    PQclear(r);
    count_failure(db, status);
    if (status == DB_UNAVAILABLE)
        disconnect(db);
    return status;
}

static enum db_status transaction_once(struct db *db,
                                       enum db_status (*fn)(struct db *db, void *ctx), void *ctx,
                                       bool *commit_sent)
{
    enum db_status status = run_plain(db, "BEGIN");
    if (status != DB_OK)
        return status;
    db->in_transaction = true;
    status = fn(db, ctx);
    if (status != DB_OK) {
        if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
            run_plain(db, "ROLLBACK");
        db->in_transaction = false;
        return status;
    }
    *commit_sent = true;
    status = run_plain(db, "COMMIT");
    db->in_transaction = false;
    return status;
}

enum db_status db_transaction(struct db *db, enum db_status (*fn)(struct db *db, void *ctx),
                              void *ctx)
{
    bool commit_sent = false;
    enum db_status status = transaction_once(db, fn, ctx, &commit_sent);
    bool retry = status == DB_RETRY || (status == DB_UNAVAILABLE && !commit_sent);
    if (retry) {
        commit_sent = false;
        status = transaction_once(db, fn, ctx, &commit_sent);
    }
    return status;
}
