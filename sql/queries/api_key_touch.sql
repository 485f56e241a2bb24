-- Resolves a live API key and records its use. $1 token hash
UPDATE api_keys SET last_used_at = now()
WHERE token_hash = $1 AND revoked_at IS NULL
RETURNING user_id
