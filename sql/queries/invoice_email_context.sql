-- What an invoice e-mail says and carries. $1 invoice id. Columns: number, month (YYYY-MM),
-- team name, total incl. VAT (cents), billing address (the invoice's), accounting address (the
-- team's, or NULL), PDF (base64 on one line, or NULL when not made yet), team id
SELECT i.number, to_char(i.month, 'YYYY-MM'), i.team_name, i.total_incl_cents,
       i.billed_to ->> 'email', t.invoice_copy_email, base64_line(b.data), i.team_id
FROM invoices i
JOIN teams t ON t.id = i.team_id
LEFT JOIN blobs b ON b.sha256 = i.pdf_sha256
WHERE i.id = $1::uuid
