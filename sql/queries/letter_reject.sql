-- $1 team id, $2 letter id, $3 rejecting user, $4 reason
UPDATE letters SET status = 'rejected', rejected_at = now(), rejected_by = $3,
                   rejection_reason = $4
WHERE team_id = $1 AND id = $2 AND status = 'pending_validation'
RETURNING id
