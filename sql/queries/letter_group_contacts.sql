-- The contacts of the groups named on a draft, in a stable order. $1 team id, $2 letter id
SELECT c.group_id, coalesce(c.email, ''), c.last_name, c.first_name, coalesce(c.company, ''),
       c.status, coalesce(c.line1, ''), coalesce(c.line2, ''), coalesce(c.postal_code, ''),
       coalesce(c.city, ''), c.country, c.dedupe_key
FROM letter_groups g
JOIN contacts c ON c.group_id = g.group_id AND c.team_id = g.team_id
WHERE g.team_id = $1 AND g.letter_id = $2
ORDER BY g.group_id, lower(c.last_name), lower(c.first_name), c.id
