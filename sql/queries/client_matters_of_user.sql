-- The matters a user follows as an active client user. $1 user id. Returns a JSON array
SELECT coalesce(json_agg(json_build_object(
           'office', json_build_object('id', t.id, 'name', t.name),
           'matter', json_build_object('id', m.id, 'reference', m.reference, 'name', m.name))
       ORDER BY lower(t.name), lower(m.reference)), '[]')
FROM client_users c JOIN teams t ON t.id = c.team_id JOIN matters m ON m.id = c.matter_id
WHERE c.user_id = $1 AND c.status = 'active'
