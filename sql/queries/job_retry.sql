-- $1 job id, $2 delay in seconds, $3 error
UPDATE jobs SET state = 'queued', run_at = now() + make_interval(secs => $2::integer),
                leased_until = NULL, last_error = $3
WHERE id = $1
