-- Locks a message for a change. $1 mailbox id, $2 message id. Columns: assignee, matter
SELECT assignee_user_id, matter_id FROM messages
WHERE mailbox_id = $1::uuid AND id = $2::uuid FOR UPDATE
