/* One PostgreSQL connection with every statement of sql/queries prepared, called by name. */
#ifndef PLI_DB_H
#define PLI_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "sql_statements.h"

/* What went wrong, classified once from the SQLSTATE so that callers never read libpq text. */
enum db_status {
    DB_OK,
    DB_CONFLICT,    /* 23505 unique violation */
    DB_INVALID,     /* 23503, 23514, 23502, class 22: the data broke a rule */
    DB_RETRY,       /* 40001, 40P01: serialization failure or deadlock */
    DB_UNAVAILABLE, /* no connection, class 08, 57P0x: the database is away */
    DB_ERROR,       /* anything else: a bug */
    DB__MAX
};

struct db;

/* Creates a connection holder and tries to connect; never fails on a down database. */
struct db *db_open(const char *url, const char *application_name);
/* From now on adds one (atomically) to counters[status] for each failed call: a statement or
 * a transaction command that failed, or a connection that could not be made (DB_UNAVAILABLE).
 * counters holds DB__MAX entries and may live in memory shared between processes. */
void db_count_failures(struct db *db, uint64_t *counters);
/* Closes the connection and frees the holder. */
void db_close(struct db *db);
/* Connects (and prepares every statement) if not connected; false while unavailable. */
bool db_ensure(struct db *db);
/* The raw connection, for LISTEN/NOTIFY loops; NULL when not connected. */
PGconn *db_conn(struct db *db);
/* Runs a prepared statement with text parameters (NULL for SQL NULL). On DB_OK *out holds
 * the result (freed with the arena when one is given, else by the caller with PQclear). Outside a
 * transaction a lost connection is re-established and the statement retried once. */
enum db_status db_exec(struct db *db, struct arena *arena, enum sql_statement stmt, int n_params,
                       const char *const *params, PGresult **out);
/* Same, with lengths and formats per parameter (format 1: binary, e.g. bytea content). */
enum db_status db_exec_binary(struct db *db, struct arena *arena, enum sql_statement stmt,
                              int n_params, const char *const *params, const int *lengths,
                              const int *formats, PGresult **out);
/* Runs a statement with text parameters whose result comes in binary format: a bytea column
 * arrives as its raw bytes (no hex doubling), a text column as its UTF-8 bytes. */
enum db_status db_exec_binary_result(struct db *db, struct arena *arena, enum sql_statement stmt,
                                     int n_params, const char *const *params, PGresult **out);
/* Runs fn inside BEGIN/COMMIT; rolls back unless fn returns DB_OK. Retried once from the start
 * on a serialization failure, a deadlock, or a connection lost before COMMIT was sent. */
enum db_status db_transaction(struct db *db, enum db_status (*fn)(struct db *db, void *ctx),
                              void *ctx);
/* The SQLSTATE of the last failure ("" when none), for logs. */
const char *db_last_sqlstate(const struct db *db);
/* Classifies a SQLSTATE. */
enum db_status db_classify_sqlstate(const char *sqlstate);

#endif
