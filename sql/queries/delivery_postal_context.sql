-- What the carrier needs for a postal delivery. $1 delivery id. Columns: status, recipient
-- name, company, line1, line2, postal code, city, country, subject, body, team, sender name,
-- validation time (RFC 3339)
SELECT d.status, r.first_name || ' ' || r.last_name, r.company, r.line1, r.line2,
       r.postal_code, r.city, r.country, l.subject, l.body, t.name,
       u.first_name || ' ' || u.last_name, rfc3339(l.validated_at)
FROM deliveries d
JOIN letters l ON l.id = d.letter_id
JOIN letter_recipients r ON r.id = d.recipient_id
JOIN teams t ON t.id = d.team_id
JOIN users u ON u.id = l.sender_id
WHERE d.id = $1::uuid AND d.channel = 'postal'
