-- Tells the office a message was assigned or filed (messages). $1 message id, $2 what happened
-- (French). Returns the notification id
SELECT emit_notification(
           g.team_id, 'messages', g.matter_id,
           format('Message %s : %s', $2::text, coalesce(g.subject, '(sans objet)')),
           format(E'Le message de %s « %s » a été %s%s.',
                  coalesce(g.from_address, 'expéditeur inconnu'), coalesce(g.subject, '(sans objet)'),
                  $2::text, coalesce(' (dossier ' || m.reference || ')', '')))
FROM messages g LEFT JOIN matters m ON m.id = g.matter_id
WHERE g.id = $1::uuid
