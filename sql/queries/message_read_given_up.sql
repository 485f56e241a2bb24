-- Gives up reading a message that failed too many times; its original stays archived.
-- $1 message id, $2 error
UPDATE messages SET read_state = 'read', parse_error = $2
WHERE id = $1::uuid AND read_state = 'pending'
