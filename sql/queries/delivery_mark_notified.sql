-- Notes when the recipient was notified (the answer deadline follows from it).
-- $1 delivery id, $2 notification time
UPDATE deliveries SET notified_at = $2::timestamptz WHERE id = $1::uuid
