/* The table of job kinds pli-jobs knows how to run. */
#ifndef PLI_JOB_KINDS_H
#define PLI_JOB_KINDS_H

#include "jobs/job_queue.h"

extern const struct job_kind job_kinds[];
extern const int job_kinds_count;

#endif
