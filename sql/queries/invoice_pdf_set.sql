-- Keeps an invoice's PDF (already stored as a blob) and queues its e-mails: to the billing
-- address, and a copy to the accounting address when the team has one. $1 invoice id,
-- $2 the PDF's sha256
WITH kept AS (
    UPDATE invoices SET pdf_sha256 = $2 WHERE id = $1::uuid AND pdf_sha256 IS NULL
    RETURNING id, team_id)
INSERT INTO jobs (kind, payload, dedupe_key)
SELECT 'invoice_email', json_build_object('invoice_id', k.id, 'to', x.recipient),
       'invoice_email:' || k.id::text || ':' || x.recipient
FROM kept k
CROSS JOIN (VALUES ('billing'), ('accounting')) x(recipient)
WHERE x.recipient = 'billing'
   OR EXISTS (SELECT 1 FROM teams t WHERE t.id = k.team_id AND t.invoice_copy_email IS NOT NULL)
ON CONFLICT (dedupe_key) DO NOTHING
