-- Whether a one-time code e-mail is still worth sending. $1 delivery id. Columns: the
-- recipient's e-mail, the current code version, whether that code is still open
SELECT r.email, d.code_version, d.status = 'notified' AND d.code_expires_at > now()
FROM deliveries d JOIN letter_recipients r ON r.id = d.recipient_id
WHERE d.id = $1::uuid
