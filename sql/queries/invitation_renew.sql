-- A new version (and so a new token) with a fresh validity; for pending or lapsed invitations.
-- $1 team id, $2 invitation id, $3 validity in days
UPDATE invitations SET version = version + 1, status = 'pending', sent_at = NULL,
                       expires_at = now() + make_interval(days => $3::integer)
WHERE team_id = $1 AND id = $2 AND status IN ('pending', 'expired')
RETURNING id, version, invitation_json(invitations)
