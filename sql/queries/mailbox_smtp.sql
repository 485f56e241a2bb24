-- The SMTP settings of a mailbox. $1 team id, $2 mailbox id. Columns: host, port, tls,
-- username, sealed password, address, owner's name
SELECT b.smtp_host, b.smtp_port, b.smtp_tls, b.smtp_username, b.smtp_password, b.address,
       u.first_name || ' ' || u.last_name
FROM mailboxes b JOIN users u ON u.id = b.owner_user_id
WHERE b.team_id = $1 AND b.id = $2::uuid
