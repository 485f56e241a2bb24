-- $1 job id
UPDATE jobs SET state = 'done', finished_at = now(), leased_until = NULL, last_error = NULL
WHERE id = $1
