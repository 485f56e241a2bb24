-- $1 team id, $2 owner, $3 address, $4 primary address, $5 signature, $6 system account,
-- $7 active, $8 leave on server, $9..$13 POP3 host, port, tls, username, sealed password,
-- $14..$18 SMTP host, port, tls, username, sealed password. Returns the id and the mailbox as JSON
INSERT INTO mailboxes (team_id, owner_user_id, address, primary_address, signature,
                       system_account, active, leave_on_server, pop3_host, pop3_port, pop3_tls,
                       pop3_username, pop3_password, smtp_host, smtp_port, smtp_tls,
                       smtp_username, smtp_password)
VALUES ($1, $2, $3, $4, $5, $6::boolean, $7::boolean, $8::boolean, $9, $10::integer, $11, $12,
        $13, $14, $15::integer, $16, $17, $18)
RETURNING id, mailbox_json(mailboxes)
