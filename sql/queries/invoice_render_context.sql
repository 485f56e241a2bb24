-- An invoice as its PDF shows it, as issued (team name, billing party and payment method were
-- kept at the close). $1 invoice id
SELECT invoice_json(i) FROM invoices i WHERE i.id = $1::uuid
