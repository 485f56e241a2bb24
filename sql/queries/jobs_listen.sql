-- pli-jobs is woken by the trigger on jobs.
LISTEN pli_jobs
