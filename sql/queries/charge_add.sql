-- The charge of a delivery that leaves, at the price in force, once (a retry finds it there).
-- $1 delivery id
INSERT INTO charges (team_id, delivery_id, letter_id, sender_id, kind, reference, amount_cents,
                     vat_rate_bp)
SELECT d.team_id, d.id, l.id, l.sender_id, l.kind, l.reference, p.amount_cents, p.vat_rate_bp
FROM deliveries d
JOIN letters l ON l.id = d.letter_id
CROSS JOIN LATERAL (SELECT amount_cents, vat_rate_bp FROM prices
                    WHERE kind = l.kind AND valid_from <= now()
                    ORDER BY valid_from DESC LIMIT 1) p
WHERE d.id = $1::uuid
ON CONFLICT (delivery_id) DO NOTHING
