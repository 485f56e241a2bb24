-- One invoice of a team. $1 team id, $2 invoice id. Columns: the invoice (JSON), its number,
-- its PDF (base64 on one line, NULL while not made)
SELECT invoice_json(i), i.number, base64_line(b.data)
FROM invoices i LEFT JOIN blobs b ON b.sha256 = i.pdf_sha256
WHERE i.team_id = $1::uuid AND i.id = $2::uuid
