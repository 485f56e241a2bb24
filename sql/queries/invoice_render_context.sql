-- An invoice with whom it is billed to, for its PDF and e-mails. $1 invoice id. Columns: the
-- invoice (JSON, with billed_to), its number, the team's invoice copy address (or NULL)
SELECT (invoice_json(i)::jsonb || jsonb_build_object('billed_to', jsonb_build_object(
            'name', u.first_name || ' ' || u.last_name,
            'email', coalesce(t.billing_email, u.email))))::json,
       i.number, t.invoice_copy_email
FROM invoices i
JOIN teams t ON t.id = i.team_id
JOIN users u ON u.id = t.administrator_id
WHERE i.id = $1::uuid
