-- Stores content once under its SHA-256. $1 sha256 (hex), $2 size, $3 the bytes (binary)
INSERT INTO blobs (sha256, size, data) VALUES ($1, $2::bigint, $3)
ON CONFLICT (sha256) DO NOTHING
