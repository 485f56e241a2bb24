-- Cancels a message still pending whose endpoint no longer takes messages. $1 message id
UPDATE webhook_messages SET status = 'cancelled', finished_at = now()
WHERE id = $1 AND status = 'pending'
RETURNING id
