#include "jobs/job_transition.h"

#include <stdio.h>

struct transition_tx {
    const struct job_env *env;
    struct job_transition *t;
};

static enum db_status transition_tx(struct db *db, void *arg)
{
    struct transition_tx *x = arg;
    struct job_transition *t = x->t;
    enum db_status st = delivery_record(db, &x->env->key, &t->event, &t->outcome);
    if (st != DB_OK || !t->outcome.found || t->follow_up == SQL__MAX ||
        !(t->outcome.applied || t->follow_up_always))
        return st;
    PGresult *r;
    st = db_exec(db, NULL, t->follow_up, t->n_params, t->params, &r);
    if (st == DB_OK)
        PQclear(r);
    return st;
}

enum job_result job_transition_run(struct db *db, const struct job_env *env, struct job *job,
                                   struct job_transition *t)
{
    struct transition_tx x = {env, t};
    enum db_status st = db_transaction(db, transition_tx, &x);
    if (st == DB_OK)
        return JOB_DONE;
    snprintf(job->error, sizeof(job->error), "delivery %s: database error (%s)",
             t->event.delivery_id, db_last_sqlstate(db));
    return JOB_RETRY;
}
