-- Closes a month (after SQL_INVOICE_COUNTER_LOCK, in the same transaction): one invoice per
-- team with charges not yet invoiced from before the month's end (French time), numbered after
-- the last one in team order, lines grouped by kind, price and reference. $1 the month's first
-- day (YYYY-MM-01). Returns the new invoices' ids. Idempotent: a team already invoiced for the
-- month, or without open charges, gets nothing.
WITH counter AS (
    SELECT last FROM invoice_counter),
month_end AS (
    SELECT (($1::date + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris') AS at),
teams_due AS (
    SELECT c.team_id, row_number() OVER (ORDER BY c.team_id) AS n
    FROM charges c
    WHERE c.invoice_id IS NULL AND c.charged_at < (SELECT at FROM month_end)
      AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.team_id = c.team_id
                                                  AND i.month = $1::date)
    GROUP BY c.team_id),
lines AS (
    SELECT c.team_id, c.kind, c.reference, c.amount_cents, c.vat_rate_bp, count(*) AS quantity,
           sum(c.amount_cents) AS excl_cents
    FROM charges c JOIN teams_due t ON t.team_id = c.team_id
    WHERE c.invoice_id IS NULL AND c.charged_at < (SELECT at FROM month_end)
    GROUP BY c.team_id, c.kind, c.reference, c.amount_cents, c.vat_rate_bp),
totals AS (
    SELECT team_id, sum(excl_cents) AS excl_cents,
           sum(round(excl_cents * vat_rate_bp / 10000.0)) AS vat_cents,
           jsonb_agg(jsonb_build_object(
               'kind', kind, 'reference', reference, 'quantity', quantity,
               'unit_cents', amount_cents, 'vat_rate_bp', vat_rate_bp,
               'total_excl_cents', excl_cents)
               ORDER BY kind, reference NULLS FIRST, amount_cents) AS lines
    FROM lines GROUP BY team_id),
created AS (
    INSERT INTO invoices (team_id, number, seq, month, team_name, billed_to, payment_method,
                          lines, total_excl_cents, vat_cents, total_incl_cents)
    SELECT t.team_id, 'F' || to_char((SELECT last FROM counter) + t.n, 'FM000000'),
           (SELECT last FROM counter) + t.n, $1::date, tm.name,
           jsonb_build_object('name', u.first_name || ' ' || u.last_name,
                              'email', coalesce(tm.billing_email, u.email)),
           (SELECT jsonb_build_object('provider', p.provider, 'brand', p.brand,
                                      'last4', p.last4)
            FROM payment_methods p WHERE p.team_id = t.team_id),
           s.lines, s.excl_cents, s.vat_cents, s.excl_cents + s.vat_cents
    FROM teams_due t JOIN totals s ON s.team_id = t.team_id JOIN teams tm ON tm.id = t.team_id
    JOIN users u ON u.id = tm.administrator_id
    RETURNING id, team_id, seq),
counted AS (
    UPDATE invoice_counter SET last = last + (SELECT count(*) FROM created)
    WHERE EXISTS (SELECT 1 FROM created)),
charged AS (
    UPDATE charges c SET invoice_id = cr.id FROM created cr
    WHERE c.team_id = cr.team_id AND c.invoice_id IS NULL
      AND c.charged_at < (SELECT at FROM month_end))
SELECT id FROM created ORDER BY seq
