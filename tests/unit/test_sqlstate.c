/* SQLSTATE classification: what a caller may do about a database error. */
#include <criterion/criterion.h>

#include "db/db.h"

Test(sqlstate, unique_violation_is_a_conflict)
{
    cr_assert_eq(db_classify_sqlstate("23505"), DB_CONFLICT);
}

Test(sqlstate, broken_rules_are_invalid)
{
    cr_assert_eq(db_classify_sqlstate("23503"), DB_INVALID); /* foreign key */
    cr_assert_eq(db_classify_sqlstate("23514"), DB_INVALID); /* check */
    cr_assert_eq(db_classify_sqlstate("23502"), DB_INVALID); /* not null */
    cr_assert_eq(db_classify_sqlstate("22P02"), DB_INVALID); /* invalid text representation */
    cr_assert_eq(db_classify_sqlstate("22001"), DB_INVALID); /* string too long */
}

Test(sqlstate, serialization_failure_and_deadlock_retry)
{
    cr_assert_eq(db_classify_sqlstate("40001"), DB_RETRY);
    cr_assert_eq(db_classify_sqlstate("40P01"), DB_RETRY);
}

Test(sqlstate, connection_trouble_means_unavailable)
{
    cr_assert_eq(db_classify_sqlstate("08006"), DB_UNAVAILABLE);
    cr_assert_eq(db_classify_sqlstate("08001"), DB_UNAVAILABLE);
    cr_assert_eq(db_classify_sqlstate("57P01"), DB_UNAVAILABLE); /* admin shutdown */
    cr_assert_eq(db_classify_sqlstate("57P03"), DB_UNAVAILABLE); /* cannot connect now */
}

Test(sqlstate, no_sqlstate_means_unavailable)
{
    cr_assert_eq(db_classify_sqlstate(NULL), DB_UNAVAILABLE);
    cr_assert_eq(db_classify_sqlstate(""), DB_UNAVAILABLE);
}

Test(sqlstate, anything_else_is_an_error)
{
    cr_assert_eq(db_classify_sqlstate("42P01"), DB_ERROR); /* undefined table: a bug */
    cr_assert_eq(db_classify_sqlstate("42601"), DB_ERROR); /* syntax error */
}
