/* Job retry back-off: 5 s doubling per attempt, capped at an hour. */
#include <criterion/criterion.h>
#include <limits.h>

#include "jobs/job_queue.h"

Test(job_backoff, doubles_from_five_seconds)
{
    cr_assert_eq(job_backoff_seconds(1), 5);
    cr_assert_eq(job_backoff_seconds(2), 10);
    cr_assert_eq(job_backoff_seconds(3), 20);
    cr_assert_eq(job_backoff_seconds(4), 40);
    cr_assert_eq(job_backoff_seconds(10), 2560);
}

Test(job_backoff, capped_at_an_hour)
{
    cr_assert_eq(job_backoff_seconds(11), 3600);
    cr_assert_eq(job_backoff_seconds(12), 3600);
    cr_assert_eq(job_backoff_seconds(100), 3600);
    cr_assert_eq(job_backoff_seconds(INT_MAX), 3600);
}

Test(job_backoff, never_below_five_seconds)
{
    cr_assert_eq(job_backoff_seconds(0), 5);
    cr_assert_eq(job_backoff_seconds(-1), 5);
    cr_assert_eq(job_backoff_seconds(INT_MIN), 5);
}

Test(job_backoff, never_shrinks_as_attempts_grow)
{
    for (int a = 1; a < 200; a++)
        cr_assert_leq(job_backoff_seconds(a), job_backoff_seconds(a + 1), "attempt %d", a);
}

Test(job_backoff, a_handler_may_name_its_own_delay)
{
    struct job job = {.attempts = 3};
    cr_assert_eq(job_retry_delay(&job), job_backoff_seconds(3));
    job.retry_after_seconds = 1800;
    cr_assert_eq(job_retry_delay(&job), 1800);
}
