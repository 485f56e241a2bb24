-- The mailbox a team's system e-mails go through, when it set one. $1 team id. Columns: SMTP
-- host, port, tls, username, sealed password, address, team name
SELECT b.smtp_host, b.smtp_port, b.smtp_tls, b.smtp_username, b.smtp_password, b.address, t.name
FROM mailboxes b JOIN teams t ON t.id = b.team_id
WHERE b.team_id = $1::uuid AND b.system_account AND b.active
