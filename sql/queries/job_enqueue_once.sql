-- Queues a job unless one with the same de-duplication key exists. $1 kind, $2 key
INSERT INTO jobs (kind, dedupe_key) VALUES ($1, $2)
ON CONFLICT (dedupe_key) DO NOTHING
