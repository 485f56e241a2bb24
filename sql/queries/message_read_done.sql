-- Fills in what was read of a message: folder, headers, text, attachments, and the matter a
-- filing rule finds; queues its PDF and, when it was filed, tells the office (messages).
-- $1 message id, $2 parse error, $3 folder, $4 subject, $5 from address, $6 from name,
-- $7 to (JSON array), $8 cc (JSON array), $9 sent at, $10 Message-ID, $11 In-Reply-To,
-- $12 References (JSON array), $13 text body, $14 text from HTML, $15 attachments (JSON).
-- Columns: matter id, filing rule (no row when the message was read already)
WITH target AS (
    SELECT g.id, g.team_id FROM messages g WHERE g.id = $1::uuid AND g.read_state = 'pending'
    FOR UPDATE),
addresses AS (
    SELECT coalesce(array_agg(a), '{}') AS list FROM (
        SELECT $5::text AS a WHERE $5::text IS NOT NULL
        UNION ALL SELECT jsonb_array_elements_text($7::jsonb)
        UNION ALL SELECT jsonb_array_elements_text($8::jsonb)) s),
refs AS (
    SELECT coalesce(array_agg(r), '{}') AS list FROM jsonb_array_elements_text($12::jsonb) r),
filing AS (
    SELECT f.matter_id, f.rule FROM target, addresses, refs,
         message_filing(target.team_id, $4::text, $13::text, $11::text, refs.list,
                        addresses.list) f),
done AS (
    UPDATE messages g SET
        read_state = 'read', parse_error = $2::text, folder = $3::text, subject = $4::text,
        from_address = $5::text, from_name = $6::text,
        to_addresses = ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),
        cc_addresses = ARRAY(SELECT jsonb_array_elements_text($8::jsonb)),
        sent_at = $9::timestamptz, message_id = $10::text, in_reply_to = $11::text,
        refs = (SELECT list FROM refs), body_text = $13::text, body_from_html = $14::boolean,
        attachments = $15::jsonb,
        matter_id = (SELECT matter_id FROM filing),
        filed_by = coalesce((SELECT rule FROM filing), 'none')
    FROM target t
    WHERE g.id = t.id
    RETURNING g.id, g.team_id, g.matter_id, g.filed_by, g.subject, g.from_address),
pdf AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'message_pdf', jsonb_build_object('message_id', d.id) FROM done d
    RETURNING id),
told AS (
    SELECT emit_notification(
               d.team_id, 'messages', d.matter_id,
               format('Nouveau message : %s, %s', m.reference, coalesce(d.subject, '(sans objet)')),
               format(E'Un message de %s a été classé au dossier %s (%s) :\n\n%s',
                      coalesce(d.from_address, 'expéditeur inconnu'), m.reference, m.name,
                      coalesce(d.subject, '(sans objet)'))) AS id
    FROM done d JOIN matters m ON m.id = d.matter_id)
SELECT d.matter_id, d.filed_by, (SELECT count(*) FROM pdf), (SELECT count(*) FROM told)
FROM done d
