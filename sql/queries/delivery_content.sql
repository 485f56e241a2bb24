-- What an opened delivery shows: the letter and its attachments. $1 delivery id
SELECT json_build_object(
    'subject', l.subject, 'body', l.body, 'reference', l.reference, 'kind', l.kind,
    'sender', json_build_object('name', u.first_name || ' ' || u.last_name, 'email', u.email,
                                'team', t.name),
    'attachments', coalesce((SELECT json_agg(json_build_object(
                                 'id', a.id, 'filename', a.filename, 'size', a.size,
                                 'sha256', a.sha256) ORDER BY a.position)
                             FROM letter_attachments a WHERE a.letter_id = l.id), '[]'))
FROM deliveries d
JOIN letters l ON l.id = d.letter_id
JOIN teams t ON t.id = l.team_id
JOIN users u ON u.id = l.sender_id
WHERE d.id = $1::uuid
