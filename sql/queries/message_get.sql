-- $1 mailbox id, $2 message id. Returns the message as JSON
SELECT message_json(g) FROM messages g WHERE g.mailbox_id = $1::uuid AND g.id = $2::uuid
