#include "support/testdb.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static PGconn *connection(void)
{
    static PGconn *conn;
    if (conn && PQstatus(conn) == CONNECTION_OK)
        return conn;
    if (conn)
        PQfinish(conn);
    const char *url = getenv("PLI_DATABASE_URL");
    cr_assert_not_null(url, "PLI_DATABASE_URL is not set");
    conn = PQconnectdb(url);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "test db: %s", PQerrorMessage(conn));
    return conn;
}

PGresult *testdb_exec(const char *sql, int n_params, const char *const *params)
{
    PGresult *r = PQexecParams(connection(), sql, n_params, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "test db: %s: %s", sql,
              PQresultErrorMessage(r));
    return r;
}

long testdb_long(const char *sql, int n_params, const char *const *params)
{
    PGresult *r = testdb_exec(sql, n_params, params);
    cr_assert_eq(PQntuples(r), 1, "test db: %s returned %d rows", sql, PQntuples(r));
    long v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

const char *testdb_text(const char *sql, int n_params, const char *const *params, char *out,
                        size_t size)
{
    PGresult *r = testdb_exec(sql, n_params, params);
    cr_assert_eq(PQntuples(r), 1, "test db: %s returned %d rows", sql, PQntuples(r));
    snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return out;
}
