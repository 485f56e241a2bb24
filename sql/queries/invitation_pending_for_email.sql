-- The pending invitation of an e-mail, and whether it is still valid. $1 team id, $2 email
SELECT id, expires_at > now() FROM invitations
WHERE team_id = $1 AND email = $2 AND status = 'pending'
