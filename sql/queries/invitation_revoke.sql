-- $1 team id, $2 invitation id
UPDATE invitations SET status = 'revoked', revoked_at = now()
WHERE team_id = $1 AND id = $2 AND status = 'pending'
RETURNING invitation_json(invitations)
