-- Counts a wrong one-time code. $1 delivery id
UPDATE deliveries SET code_attempts = code_attempts + 1 WHERE id = $1::uuid
