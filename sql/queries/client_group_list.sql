-- An office's client groups by name. $1 team id. Returns a JSON array
SELECT coalesce(json_agg(client_group_json(g) ORDER BY lower(g.name), g.id), '[]')
FROM client_groups g WHERE g.team_id = $1
