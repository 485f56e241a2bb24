-- $1 team id, $2 matter id. Returns the matter as JSON
SELECT matter_json(m) FROM matters m WHERE m.team_id = $1 AND m.id = $2
