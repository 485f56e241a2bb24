#include "jobs/job_kinds.h"

#include "jobs/job_invitation_email.h"
#include "jobs/job_maintenance.h"

const struct job_kind job_kinds[] = {
    {"purge_expired", job_purge_expired},
    {"invitation_email", job_invitation_email},
};

const int job_kinds_count = sizeof(job_kinds) / sizeof(job_kinds[0]);
