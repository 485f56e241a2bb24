-- What the PDF of a message shows. $1 message id. Columns: subject, from ("Name <address>"),
-- to, cc, sent at, received at (RFC 3339, UTC), folder, text, from HTML, attachment lines
-- (JSON array), whether the PDF exists already
SELECT g.subject,
       CASE WHEN g.from_name IS NOT NULL THEN g.from_name || ' <' || g.from_address || '>'
            ELSE g.from_address END,
       array_to_string(g.to_addresses, ', '), array_to_string(g.cc_addresses, ', '),
       to_char(g.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(g.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       g.folder, coalesce(g.body_text, ''), g.body_from_html,
       coalesce((SELECT json_agg(format('%s (%s, %s octets)', a ->> 'filename',
                                        a ->> 'content_type', a ->> 'size'))
                 FROM jsonb_array_elements(g.attachments) a), '[]'),
       g.pdf_sha256 IS NOT NULL
FROM messages g WHERE g.id = $1::uuid
