-- The ids among a list that are not members of the office. $1 team id, $2 uuid array literal
SELECT u.id FROM unnest($2::uuid[]) AS u (id)
WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = $1 AND m.user_id = u.id)
