-- Changes how a message is handled; NULL leaves a field as it is, $3/$6/$8 say whether to set
-- the assignee, the pause and the matter (which may become NULL). $1 mailbox id, $2 message id,
-- $3 set assignee, $4 assignee, $5 status, $6 set pause, $7 paused until, $8 set matter,
-- $9 matter, $10 archived. Returns the message as JSON
UPDATE messages g SET
    assignee_user_id = CASE WHEN $3::boolean THEN $4::uuid ELSE g.assignee_user_id END,
    status = coalesce($5, g.status),
    paused_until = CASE WHEN $6::boolean THEN $7::timestamptz ELSE g.paused_until END,
    matter_id = CASE WHEN $8::boolean THEN $9::uuid ELSE g.matter_id END,
    filed_by = CASE WHEN $8::boolean THEN CASE WHEN $9 IS NULL THEN 'none' ELSE 'hand' END
                    ELSE g.filed_by END,
    archived = coalesce($10::boolean, g.archived)
WHERE g.mailbox_id = $1::uuid AND g.id = $2::uuid
RETURNING message_json(g)
