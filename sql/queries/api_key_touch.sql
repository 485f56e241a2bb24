-- Resolves a live API key and records its use at most once a minute. $1 token hash
WITH live AS (
    SELECT k.id, k.user_id, k.last_used_at FROM api_keys k
    WHERE k.token_hash = $1 AND k.revoked_at IS NULL),
touched AS (
    UPDATE api_keys t SET last_used_at = now()
    FROM live
    WHERE t.id = live.id
      AND (live.last_used_at IS NULL OR live.last_used_at < now() - interval '60 seconds')
    RETURNING t.id)
SELECT live.user_id FROM live
