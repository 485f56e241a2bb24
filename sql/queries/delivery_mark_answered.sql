-- Notes when the recipient answered. $1 delivery id
UPDATE deliveries SET answered_at = now() WHERE id = $1::uuid
