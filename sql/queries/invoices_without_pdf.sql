-- Invoices whose PDF is not made yet, oldest number first. $1 how many
SELECT id FROM invoices WHERE pdf_sha256 IS NULL ORDER BY seq LIMIT $1::integer
