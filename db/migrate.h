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

/* Applies every migration not yet recorded, each in its own transaction, connected with
 * admin_url (the schema's owner); prints what it does. A recorded migration whose text changed
 * is an error. When app_url names another role, that role then gets row access only (see
 * sql/migrations/0007_application_role.sql). Returns false on any failure. */
bool db_migrate(const char *admin_url, const char *app_url);

#endif
