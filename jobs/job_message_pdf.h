/* The PDF archive of each archived e-mail, made by pli-jobs after the message is stored. */
#ifndef PLI_JOB_MESSAGE_PDF_H
#define PLI_JOB_MESSAGE_PDF_H

#include "jobs/job_queue.h"

/* Renders and stores the PDF of payload {message_id}; done when it exists already. */
enum job_result job_message_pdf(struct db *db, const struct job_env *env, struct job *job);

#endif
