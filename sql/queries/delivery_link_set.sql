-- Stores the hash of a delivery's link token. $1 delivery id, $2 token hash, $3 days it works
UPDATE deliveries SET token_hash = $2, link_expires_at = now() + make_interval(days => $3::integer)
WHERE id = $1::uuid
