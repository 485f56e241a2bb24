-- A new price for a kind from a date on (now when NULL). $1 kind, $2 cents, $3 VAT basis
-- points, $4 in force from
INSERT INTO prices (kind, amount_cents, vat_rate_bp, valid_from)
VALUES ($1, $2::integer, $3::integer, coalesce($4::timestamptz, now()))
RETURNING rfc3339(valid_from)
