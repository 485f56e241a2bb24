#include "db/migrate.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"

/* Any constant shared by every pli process that migrates; taken for the whole run. */
#define MIGRATE_LOCK_KEY "7243911"

static bool run(PGconn *conn, const char *sql, int n, const char *const *params)
{
    PGresult *r = n ? PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0) : PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "pli migrate: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

/* Returns 1 when recorded with the same checksum, 0 when not recorded, -1 on error. */
static int recorded(PGconn *conn, const char *name, const char *checksum)
{
    const char *params[] = {name};
    PGresult *r = PQexecParams(conn, "SELECT checksum FROM schema_migrations WHERE name = $1", 1,
                               NULL, params, NULL, NULL, 0);
    int result = -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "pli migrate: %s", PQresultErrorMessage(r));
    } else if (PQntuples(r) == 0) {
        result = 0;
    } else if (strcmp(PQgetvalue(r, 0, 0), checksum) == 0) {
        result = 1;
    } else {
        fprintf(stderr, "pli migrate: %s was changed after it was applied\n", name);
    }
    PQclear(r);
    return result;
}

static bool apply(PGconn *conn, const struct db_migration *m, const char *checksum)
{
    const char *params[] = {m->name, checksum};
    if (!run(conn, "BEGIN", 0, NULL))
        return false;
    bool ok = run(conn, m->sql, 0, NULL) &&
              run(conn, "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", 2,
                  params) &&
              run(conn, "COMMIT", 0, NULL);
    if (!ok)
        run(conn, "ROLLBACK", 0, NULL);
    return ok;
}

static bool migrate_all(PGconn *conn)
{
    if (!run(conn,
             "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, "
             "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
             0, NULL))
        return false;
    unsigned applied = 0;
    for (unsigned i = 0; i < db_migrations_count; i++) {
        const struct db_migration *m = &db_migrations[i];
        char checksum[65];
        crypto_sha256_hex(m->sql, strlen(m->sql), checksum);
        int state = recorded(conn, m->name, checksum);
        if (state < 0)
            return false;
        if (state == 1)
            continue;
        if (!apply(conn, m, checksum)) {
            fprintf(stderr, "pli migrate: %s failed; nothing of it was kept\n", m->name);
            return false;
        }
        printf("applied %s\n", m->name);
        applied++;
    }
    printf("%u migration(s) applied, %u in total\n", applied, db_migrations_count);
    return true;
}

/* The role named in a connection string, or NULL when it names none (the default then). */
static char *role_of(const char *url)
{
    PQconninfoOption *options = PQconninfoParse(url, NULL);
    char *role = NULL;
    for (PQconninfoOption *o = options; o && o->keyword; o++)
        if (strcmp(o->keyword, "user") == 0 && o->val && *o->val)
            role = strdup(o->val);
    PQconninfoFree(options);
    return role;
}

/* Gives the application's role row access when it is not the role migrating. */
static bool grant_application_role(PGconn *conn, const char *app_url)
{
    char *app = role_of(app_url);
    if (!app)
        return true;
    const char *params[] = {app};
    PGresult *r = PQexecParams(conn, "SELECT current_user = $1", 1, NULL, params, NULL, NULL, 0);
    bool same = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    bool ok = same || run(conn, "SELECT grant_application_role($1)", 1, params);
    if (ok && !same)
        printf("granted row access to the application role %s\n", app);
    free(app);
    return ok;
}

bool db_migrate(const char *admin_url, const char *app_url)
{
    const char *keys[] = {"dbname", "application_name", "connect_timeout", NULL};
    const char *values[] = {admin_url, "pli-migrate", "10", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pli migrate: cannot connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return false;
    }
    bool ok = run(conn, "SET client_min_messages = warning", 0, NULL) &&
              run(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", 0, NULL);
    if (ok) {
        ok = migrate_all(conn) && grant_application_role(conn, app_url);
        run(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, NULL);
    }
    PQfinish(conn);
    return ok;
}
