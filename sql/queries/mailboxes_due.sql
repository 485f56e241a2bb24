-- Queues a poll of every active mailbox not polled for $1 seconds (one per mailbox and
-- minute). Returns how many were queued
WITH due AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    SELECT 'mailbox_poll', jsonb_build_object('mailbox_id', b.id),
           'mailbox_poll:' || b.id || ':' || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')
    FROM mailboxes b
    WHERE b.active AND (b.last_polled_at IS NULL
                        OR b.last_polled_at <= now() - make_interval(secs => $1::integer))
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id)
SELECT count(*) FROM due
