-- What the welcome link shows. $1 token hash. Columns: the details as JSON, whether it can
-- still be used
SELECT json_build_object('email', c.email, 'first_name', u.first_name, 'last_name', u.last_name,
                         'office', t.name, 'matter', json_build_object('reference', m.reference,
                                                                       'name', m.name),
                         'expires_at', c.expires_at),
       c.status = 'invited' AND c.expires_at > now()
FROM client_users c
JOIN users u ON u.id = c.user_id
JOIN teams t ON t.id = c.team_id
JOIN matters m ON m.id = c.matter_id
WHERE c.token_hash = $1
