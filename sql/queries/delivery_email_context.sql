-- What the e-mail of a delivery needs. $1 delivery id. Columns: status, channel, e-mail,
-- first name, last name, subject, team name, sender name, now, the answer deadline if notified
-- now (RFC 3339) and its last full day (DD/MM/YYYY, French time)
SELECT d.status, d.channel, r.email, r.first_name, r.last_name, l.subject, t.name,
       u.first_name || ' ' || u.last_name, rfc3339(now()), rfc3339(delivery_deadline(now())),
       to_char((delivery_deadline(now()) AT TIME ZONE 'Europe/Paris') - interval '1 day',
               'DD/MM/YYYY')
FROM deliveries d
JOIN letters l ON l.id = d.letter_id
JOIN letter_recipients r ON r.id = d.recipient_id
JOIN teams t ON t.id = d.team_id
JOIN users u ON u.id = l.sender_id
WHERE d.id = $1::uuid
