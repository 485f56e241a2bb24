-- Locks a letter for a change of status. $1 team id, $2 letter id. Returns its status, sender,
-- kind, subject, body hash, reference, and who submitted it and when (RFC 3339).
SELECT status, sender_id, kind, subject, body_sha256, coalesce(reference, ''),
       submitted_by, to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
FROM letters WHERE team_id = $1 AND id = $2
FOR UPDATE
