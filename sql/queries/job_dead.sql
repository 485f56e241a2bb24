-- Gives up on a job after its last attempt; it stays for an operator to read. $1 job id, $2 error
UPDATE jobs SET state = 'dead', finished_at = now(), leased_until = NULL, last_error = $2
WHERE id = $1
