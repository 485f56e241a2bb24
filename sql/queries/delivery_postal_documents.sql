-- The attachments a postal delivery carries, in order. $1 delivery id. Columns: file name,
-- content (base64 on one line)
SELECT a.filename, base64_line(b.data)
FROM deliveries d
JOIN letter_attachments a ON a.letter_id = d.letter_id
JOIN blobs b ON b.sha256 = a.sha256
WHERE d.id = $1::uuid
ORDER BY a.position
