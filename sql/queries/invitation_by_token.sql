-- What a token leads to. $1 token hash. Returns the invitation id, team id, e-mail, whether the
-- token is the current one, the status as read now, the team's name, and the existing account
-- of that e-mail (id, first name, last name) if any.
SELECT i.id, i.team_id, i.email, t.version = i.version,
       CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired' ELSE i.status END,
       tm.name, u.id, u.first_name, u.last_name, tm.kind
FROM invitation_tokens t
JOIN invitations i ON i.id = t.invitation_id
JOIN teams tm ON tm.id = i.team_id
LEFT JOIN users u ON u.email = i.email
WHERE t.token_hash = $1
