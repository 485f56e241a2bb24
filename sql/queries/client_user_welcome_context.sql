-- What the welcome e-mail says. $1 client user id. Columns: e-mail, first name, last name,
-- whether a password is still to be set, expiry date, office, matter reference, matter name,
-- sender address, sender name, welcome version
SELECT c.email, u.first_name, u.last_name, c.status = 'invited' AND c.expires_at > now(),
       to_char(c.expires_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY'), t.name, m.reference,
       m.name, c.sender_address, c.sender_name, c.welcome_version
FROM client_users c
JOIN users u ON u.id = c.user_id
JOIN teams t ON t.id = c.team_id
JOIN matters m ON m.id = c.matter_id
WHERE c.id = $1
