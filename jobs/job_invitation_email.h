/* The invitation e-mail: French text and HTML with the link that lets the invitee join. */
#ifndef PLI_JOB_INVITATION_EMAIL_H
#define PLI_JOB_INVITATION_EMAIL_H

#include "jobs/job_queue.h"

/* Sends the e-mail of payload {invitation_id, version}; a withdrawn, accepted or superseded
 * invitation is skipped. */
enum job_result job_invitation_email(struct db *db, const struct job_env *env, struct job *job);

#endif
