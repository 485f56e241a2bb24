-- What the invitation e-mail says. $1 invitation id. Returns the e-mail, the current version,
-- whether it can still be accepted, the team's name, the inviter's name and the expiry date.
SELECT i.email, i.version, i.status = 'pending' AND i.expires_at > now(), tm.name,
       u.first_name || ' ' || u.last_name, to_char(i.expires_at, 'DD/MM/YYYY')
FROM invitations i
JOIN teams tm ON tm.id = i.team_id
JOIN users u ON u.id = i.invited_by
WHERE i.id = $1
