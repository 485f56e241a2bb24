-- Logs one attempt to deliver a message and what follows from it ($5): 'delivered', 'retry'
-- (the message stays pending), 'failed' (the last attempt failed) or 'gone' (the endpoint
-- answered 410: it is disabled, the message failed, and its other pending messages are
-- cancelled). A message cancelled meanwhile stays cancelled. $1 message id, $2 HTTP status or
-- NULL, $3 error or NULL, $4 duration in milliseconds, $5 outcome. Returns the attempt number.
WITH message AS (
    UPDATE webhook_messages SET
        attempts = attempts + 1,
        status = CASE WHEN status <> 'pending' THEN status
                      WHEN $5 = 'delivered' THEN 'delivered'
                      WHEN $5 IN ('failed', 'gone') THEN 'failed'
                      ELSE 'pending' END,
        finished_at = CASE WHEN status = 'pending' AND $5 <> 'retry' THEN now()
                           ELSE finished_at END
    WHERE id = $1
    RETURNING id, team_id, endpoint_id, attempts),
attempt AS (
    INSERT INTO webhook_attempts (team_id, endpoint_id, message_id, attempt, attempted_at,
                                  http_status, error, duration_ms)
    SELECT m.team_id, m.endpoint_id, m.id, m.attempts,
           statement_timestamp() - make_interval(secs => $4::integer / 1000.0),
           $2::integer, $3::text, $4::integer
    FROM message m
    RETURNING attempt),
disabled AS (
    UPDATE webhook_endpoints e SET status = 'disabled', disabled_at = now(),
                                   disabled_reason = 'gone'
    WHERE $5 = 'gone' AND e.id = (SELECT endpoint_id FROM message) AND e.status = 'active'
    RETURNING e.id),
cancelled AS (
    UPDATE webhook_messages m SET status = 'cancelled', finished_at = now()
    WHERE $5 = 'gone' AND m.endpoint_id = (SELECT endpoint_id FROM message)
      AND m.status = 'pending' AND m.id <> $1
    RETURNING m.id)
SELECT a.attempt, (SELECT count(*) FROM disabled), (SELECT count(*) FROM cancelled)
FROM attempt a
