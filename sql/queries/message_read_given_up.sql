-- Gives up reading a message that failed too many times; its original stays archived, and its
-- PDF shows what is known. $1 message id, $2 error
WITH given_up AS (
    UPDATE messages SET read_state = 'read', parse_error = $2
    WHERE id = $1::uuid AND read_state = 'pending'
    RETURNING id)
INSERT INTO jobs (kind, payload)
SELECT 'message_pdf', jsonb_build_object('message_id', g.id) FROM given_up g
