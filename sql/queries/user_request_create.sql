-- A client user asks the office for another user; the office is told (user_requests).
-- $1 team id, $2 matter id, $3 e-mail, $4 first name, $5 last name, $6 note, $7 user id.
-- Returns the request as JSON
WITH added AS (
    INSERT INTO user_requests (team_id, matter_id, email, first_name, last_name, note,
                               requested_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING *),
told AS (
    SELECT emit_notification(
               a.team_id, 'user_requests', a.matter_id,
               format('Demande d''utilisateur : %s', m.reference),
               format('%s %s (%s) demande un accès pour %s %s (%s) au dossier %s (%s).%s',
                      u.first_name, u.last_name, u.email, a.first_name, a.last_name, a.email,
                      m.reference, m.name,
                      CASE WHEN a.note IS NOT NULL THEN E'\n\nNote : ' || a.note ELSE '' END))
           AS id
    FROM added a JOIN matters m ON m.id = a.matter_id JOIN users u ON u.id = a.requested_by)
SELECT json_build_object('id', a.id, 'matter_id', a.matter_id, 'email', a.email,
                         'first_name', a.first_name, 'last_name', a.last_name, 'note', a.note,
                         'requested_by', a.requested_by, 'created_at', a.created_at,
                         'notification_id', (SELECT t.id FROM told t))
FROM added a
