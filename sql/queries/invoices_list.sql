-- A team's invoices, latest month first. $1 team id
SELECT coalesce(json_agg(invoice_json(i) ORDER BY i.month DESC), '[]')
FROM invoices i WHERE i.team_id = $1::uuid
