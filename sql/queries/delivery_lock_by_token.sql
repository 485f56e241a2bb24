-- Locks the delivery a recipient's link leads to, for an answer. $1 token hash. Columns: id,
-- status, channel, whether the answer deadline has passed, code version, whether that code is
-- still open, failed attempts on it
SELECT d.id, d.status, d.channel,
       d.notified_at IS NOT NULL AND delivery_deadline(d.notified_at) <= now(),
       d.code_version, d.code_expires_at > now(), d.code_attempts
FROM deliveries d
WHERE d.token_hash = $1 AND d.link_expires_at > now()
FOR UPDATE
