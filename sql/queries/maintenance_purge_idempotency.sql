-- Forgets stored answers after a day.
DELETE FROM idempotency_keys WHERE created_at < now() - interval '1 day'
