-- The client users of a matter, by e-mail. $1 team id, $2 matter id. Returns a JSON array
SELECT coalesce(json_agg(client_user_json(c) ORDER BY c.email), '[]')
FROM client_users c WHERE c.team_id = $1 AND c.matter_id = $2
