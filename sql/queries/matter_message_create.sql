-- A client user writes to the office about a matter; the office is told (messages).
-- $1 team id, $2 matter id, $3 subject, $4 body, $5 user id. Returns the message as JSON
WITH added AS (
    INSERT INTO matter_messages (team_id, matter_id, subject, body, sent_by)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING *),
told AS (
    SELECT emit_notification(
               a.team_id, 'messages', a.matter_id,
               format('Nouveau message : %s, %s', m.reference, a.subject),
               format(E'%s %s (%s) vous a écrit au sujet du dossier %s (%s) :\n\n%s',
                      u.first_name, u.last_name, u.email, m.reference, m.name, a.body)) AS id
    FROM added a JOIN matters m ON m.id = a.matter_id JOIN users u ON u.id = a.sent_by)
SELECT json_build_object('id', a.id, 'matter_id', a.matter_id, 'subject', a.subject,
                         'body', a.body, 'sent_by', a.sent_by, 'created_at', a.created_at,
                         'notification_id', (SELECT t.id FROM told t))
FROM added a
