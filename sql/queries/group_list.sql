-- $1 team id
SELECT coalesce(json_agg(group_json(g) ORDER BY lower(g.name), g.id), '[]')
FROM groups g WHERE g.team_id = $1
