-- One e-mail of a notification. $1 notification id, $2 index of the recipient (1-based).
-- Columns: recipient, subject, body, office name, office id
SELECT n.recipients[$2::integer], n.subject, n.body, t.name, n.team_id
FROM notifications n JOIN teams t ON t.id = n.team_id
WHERE n.id = $1 AND $2::integer BETWEEN 1 AND cardinality(n.recipients)
