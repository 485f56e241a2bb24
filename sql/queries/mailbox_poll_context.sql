-- What a poll needs. $1 mailbox id. Columns: team id, active, leave on server, primary
-- address, POP3 host, port, tls, username, sealed password
SELECT team_id, active, leave_on_server, primary_address, pop3_host, pop3_port, pop3_tls,
       pop3_username, pop3_password
FROM mailboxes WHERE id = $1::uuid
