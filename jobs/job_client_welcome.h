/* The welcome e-mail of a new client user, sent on behalf of the matter's cascade sender. */
#ifndef PLI_JOB_CLIENT_WELCOME_H
#define PLI_JOB_CLIENT_WELCOME_H

#include "jobs/job_queue.h"

/* Sends the welcome e-mail of payload {client_user_id, version, team_id,
 * matter_id} (skipped when the welcome was sent again since): from the sender
 * chosen when the client user was created, who is also in copy; with the sign-in details and,
 * while the account has no password, the link to set it. */
enum job_result job_client_welcome(struct db *db, const struct job_env *env, struct job *job);

#endif
