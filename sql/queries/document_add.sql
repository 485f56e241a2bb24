-- $1 firm team id, $2 client id, $3 company team id, $4 file name, $5 media type, $6 size,
-- $7 sha256, $8 uploading user. Returns the document as JSON
INSERT INTO documents (firm_team_id, client_id, company_team_id, filename, content_type, size,
                       sha256, uploaded_by)
VALUES ($1, $2, $3, $4, $5, $6::bigint, $7, $8)
RETURNING document_json(documents)
