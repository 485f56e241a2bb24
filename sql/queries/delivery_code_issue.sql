-- Opens a new one-time code for a delivery and queues its e-mail. $1 delivery id, $2 seconds
-- it stays valid. Returns the new version and the expiry
WITH issued AS (
    UPDATE deliveries SET code_version = code_version + 1, code_attempts = 0,
                          code_expires_at = now() + make_interval(secs => $2::integer)
    WHERE id = $1::uuid
    RETURNING id, code_version, code_expires_at),
job AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    SELECT 'delivery_code', json_build_object('delivery_id', id, 'version', code_version),
           'delivery_code:' || id::text || ':' || code_version::text
    FROM issued)
SELECT code_version, rfc3339(code_expires_at) FROM issued
