/* proof_pdf: renders a proof's PDF once it is written, and keeps it for downloads. */
#ifndef PLI_JOB_PROOF_PDF_H
#define PLI_JOB_PROOF_PDF_H

#include "jobs/job_queue.h"

/* Renders the PDF of the payload's proof (lib/proof_pdf.c) unless it has one, stores it as a
 * blob and records it in proof_pdfs. */
enum job_result job_proof_pdf(struct db *db, const struct job_env *env, struct job *job);

#endif
