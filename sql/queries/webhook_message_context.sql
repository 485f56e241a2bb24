-- What pli-jobs needs to deliver a webhook message. $1 message id. Columns: the message's status,
-- the endpoint's URL, its sealed secret, the body, whether the endpoint still takes messages
-- (active, not deleted), the attempts made so far
SELECT m.status, e.url, e.secret_sealed, m.body,
       e.status = 'active' AND e.deleted_at IS NULL, m.attempts
FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
WHERE m.id = $1
