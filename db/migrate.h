/* Forward-only schema migrations from sql/migrations, applied in order under an advisory lock. */
#ifndef PLI_MIGRATE_H
#define PLI_MIGRATE_H

#include <stdbool.h>

struct db_migration {
    const char *name; /* file name without .sql, e.g. 0001_accounts */
    const char *sql;
};

extern const struct db_migration db_migrations[];
extern const unsigned db_migrations_count;

/* Applies every migration not yet recorded, each in its own transaction; prints what it does.
 * A recorded migration whose text changed is an error. Returns false on any failure. */
bool db_migrate(const char *database_url);

#endif
