-- $1 team id, $2 group id
SELECT group_json(g) FROM groups g WHERE g.team_id = $1 AND g.id = $2
