-- A document a team reads, for download (run with a binary result). $1 team id,
-- $2 document id. Columns: file name, media type, content
SELECT d.filename, d.content_type, b.data
FROM documents d JOIN blobs b ON b.sha256 = d.sha256
WHERE d.id = $2::uuid AND document_readable($1::uuid, d.firm_team_id, d.company_team_id)
