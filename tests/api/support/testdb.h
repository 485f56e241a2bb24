/* Direct database access for tests that must age or inspect rows. */
#ifndef PLI_TEST_DB_H
#define PLI_TEST_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Runs SQL with text parameters on PLI_DATABASE_URL; fails the test on error. Caller clears. */
PGresult *testdb_exec(const char *sql, int n_params, const char *const *params);
/* Runs SQL expected to return one value and returns it as a long. */
long testdb_long(const char *sql, int n_params, const char *const *params);
/* Runs SQL expected to return one value and copies it into out (size bytes, truncated; "" for
 * NULL); returns out. */
const char *testdb_text(const char *sql, int n_params, const char *const *params, char *out,
                        size_t size);

#endif
