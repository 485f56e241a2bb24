-- Every attachment of a letter, in order. $1 letter id
SELECT coalesce(json_agg(json_build_object('filename', a.filename, 'size', a.size,
                                           'sha256', a.sha256) ORDER BY a.position), '[]')
FROM letter_attachments a WHERE a.letter_id = $1
