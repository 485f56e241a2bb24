-- One attachment of the letter a delivery carries. $1 delivery id, $2 attachment id. Columns:
-- file name, content (bytea)
SELECT a.filename, b.data
FROM deliveries d
JOIN letter_attachments a ON a.letter_id = d.letter_id
JOIN blobs b ON b.sha256 = a.sha256
WHERE d.id = $1::uuid AND a.id = $2::uuid
