-- $1 team id, $2 letter id, $3 position, $4 filename, $5 size, $6 sha256
INSERT INTO letter_attachments (team_id, letter_id, position, filename, size, sha256)
VALUES ($1, $2, $3::integer, $4, $5::bigint, $6)
RETURNING json_build_object('id', id, 'filename', filename, 'size', size, 'sha256', sha256,
                            'created_at', created_at)
