-- The price in force for each kind. Columns: kind, amount (cents, before VAT), VAT rate (basis
-- points), in force since
SELECT DISTINCT ON (kind) kind, amount_cents, vat_rate_bp, rfc3339(valid_from)
FROM prices WHERE valid_from <= now()
ORDER BY kind, valid_from DESC
