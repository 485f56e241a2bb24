-- $1 message id, $2 sha256 of its PDF (stored in blobs)
UPDATE messages SET pdf_sha256 = $2 WHERE id = $1::uuid
