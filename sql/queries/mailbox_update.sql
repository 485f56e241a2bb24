-- Changes the fields given (NULL: unchanged; $6 and $20 say whether to set the signature and
-- the SMTP username, which may become NULL). $1 team id, $2 mailbox id, $3 owner, $4 address,
-- $5 primary address, $6 set signature, $7 signature, $8 system account, $9 active,
-- $10 leave on server, $11..$15 POP3 host, port, tls, username, sealed password,
-- $16..$19 SMTP host, port, tls, sealed password, $20 set SMTP username, $21 SMTP username.
-- Returns the mailbox as JSON
UPDATE mailboxes b SET
    owner_user_id = coalesce($3::uuid, b.owner_user_id),
    address = coalesce($4, b.address),
    primary_address = coalesce($5, b.primary_address),
    signature = CASE WHEN $6::boolean THEN $7 ELSE b.signature END,
    system_account = coalesce($8::boolean, b.system_account),
    active = coalesce($9::boolean, b.active),
    leave_on_server = coalesce($10::boolean, b.leave_on_server),
    pop3_host = coalesce($11, b.pop3_host),
    pop3_port = coalesce($12::integer, b.pop3_port),
    pop3_tls = coalesce($13, b.pop3_tls),
    pop3_username = coalesce($14, b.pop3_username),
    pop3_password = coalesce($15, b.pop3_password),
    smtp_host = coalesce($16, b.smtp_host),
    smtp_port = coalesce($17::integer, b.smtp_port),
    smtp_tls = coalesce($18, b.smtp_tls),
    smtp_password = coalesce($19, b.smtp_password),
    smtp_username = CASE WHEN $20::boolean THEN $21 ELSE b.smtp_username END,
    updated_at = now()
WHERE b.team_id = $1 AND b.id = $2::uuid
RETURNING mailbox_json(b)
