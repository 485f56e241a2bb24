-- A message's archived bytes, for download (run with a binary result). $1 mailbox id,
-- $2 message id, $3 'pdf' or 'raw'. Columns: whether the original is kept ('t'/'f' as text),
-- the bytes (NULL while the PDF is not made, or for a message over the size cap), the subject
SELECT (g.raw_sha256 IS NOT NULL)::text, b.data, coalesce(g.subject, '')
FROM messages g
LEFT JOIN blobs b ON b.sha256 = CASE WHEN $3 = 'pdf' THEN g.pdf_sha256 ELSE g.raw_sha256 END
WHERE g.mailbox_id = $1::uuid AND g.id = $2::uuid
