-- What GET /me shows of a user, in one statement. $1 user id. Columns: the user as JSON; its
-- teams by name (JSON array); the matters it follows as an active client user (JSON array);
-- whether it opens the Communicator (owner of an active mailbox, or holder of a grant, in a
-- team it belongs to). No row for an unknown user
SELECT user_json(u),
       (SELECT coalesce(json_agg(team_json(t, r) ORDER BY t.name, t.id), '[]')
        FROM memberships m
        JOIN teams t ON t.id = m.team_id
        JOIN roles r ON r.id = m.role_id
        WHERE m.user_id = u.id),
       (SELECT coalesce(json_agg(json_build_object(
                   'office', json_build_object('id', t.id, 'name', t.name),
                   'matter', json_build_object('id', mt.id, 'reference', mt.reference,
                                               'name', mt.name))
               ORDER BY lower(t.name), lower(mt.reference)), '[]')
        FROM client_users c
        JOIN teams t ON t.id = c.team_id
        JOIN matters mt ON mt.id = c.matter_id
        WHERE c.user_id = u.id AND c.status = 'active'),
       EXISTS (SELECT 1 FROM mailboxes b JOIN memberships m
                   ON m.team_id = b.team_id AND m.user_id = u.id
               WHERE b.active AND b.owner_user_id = u.id)
           OR EXISTS (SELECT 1 FROM mailbox_grants g JOIN memberships m
                          ON m.team_id = g.team_id AND m.user_id = u.id
                      WHERE g.user_id = u.id)
FROM users u
WHERE u.id = $1
