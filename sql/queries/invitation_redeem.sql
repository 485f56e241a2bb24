-- Redeems a token once: only the current token of a pending, unexpired invitation, and only
-- for the account with the invited e-mail. $1 token hash, $2 user id
UPDATE invitations i SET status = 'accepted', accepted_at = now(), accepted_by = $2
FROM invitation_tokens t, users u
WHERE t.token_hash = $1 AND t.invitation_id = i.id AND t.version = i.version
  AND i.status = 'pending' AND i.expires_at > now()
  AND u.id = $2 AND u.email = i.email
RETURNING i.id, i.team_id, i.role_id
