-- $1 kind, $2 payload (json)
INSERT INTO jobs (kind, payload) VALUES ($1, $2::jsonb)
