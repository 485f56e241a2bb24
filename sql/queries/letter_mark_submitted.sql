-- A draft leaves for validation. $1 letter id, $2 submitter. Returns when (RFC 3339).
UPDATE letters SET status = 'pending_validation', submitted_at = now(), submitted_by = $2
WHERE id = $1 AND status = 'draft'
RETURNING to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
