-- Archives one message taken from a mailbox, filed to a matter when a rule finds one; queues its
-- PDF and, when it was filed, tells the office (messages). $1 team id, $2 mailbox id, $3 uidl,
-- $4 raw sha256 (NULL over the size cap), $5 size, $6 parse error, $7 folder, $8 subject,
-- $9 from address, $10 from name, $11 to (JSON array), $12 cc (JSON array), $13 sent at,
-- $14 Message-ID, $15 In-Reply-To, $16 References (JSON array), $17 text body,
-- $18 text from HTML, $19 attachments (JSON). Columns: message id (no row when this uidl was
-- archived already), matter id, filing rule
WITH addresses AS (
    SELECT coalesce(array_agg(a), '{}') AS list FROM (
        SELECT $9::text AS a WHERE $9::text IS NOT NULL
        UNION ALL SELECT jsonb_array_elements_text($11::jsonb)
        UNION ALL SELECT jsonb_array_elements_text($12::jsonb)) s),
refs AS (
    SELECT coalesce(array_agg(r), '{}') AS list FROM jsonb_array_elements_text($16::jsonb) r),
filing AS (
    SELECT f.matter_id, f.rule FROM addresses, refs,
         message_filing($1::uuid, $8::text, $17::text, $15::text, refs.list, addresses.list) f),
added AS (
    INSERT INTO messages (team_id, mailbox_id, uidl, raw_sha256, size, parse_error, folder,
                          subject, from_address, from_name, to_addresses, cc_addresses, sent_at,
                          message_id, in_reply_to, refs, body_text, body_from_html, attachments,
                          matter_id, filed_by)
    SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::text,
           $9::text, $10::text,
           ARRAY(SELECT jsonb_array_elements_text($11::jsonb)),
           ARRAY(SELECT jsonb_array_elements_text($12::jsonb)), $13::timestamptz, $14::text,
           $15::text, refs.list, $17::text, $18::boolean, $19::jsonb,
           (SELECT matter_id FROM filing), coalesce((SELECT rule FROM filing), 'none')
    FROM refs
    ON CONFLICT (mailbox_id, uidl) DO NOTHING
    RETURNING id, team_id, matter_id, filed_by, subject, from_address, raw_sha256),
pdf AS (
    INSERT INTO jobs (kind, payload)
    SELECT 'message_pdf', jsonb_build_object('message_id', a.id)
    FROM added a WHERE a.raw_sha256 IS NOT NULL
    RETURNING id),
told AS (
    SELECT emit_notification(
               a.team_id, 'messages', a.matter_id,
               format('Nouveau message : %s, %s', m.reference, coalesce(a.subject, '(sans objet)')),
               format(E'Un message de %s a été classé au dossier %s (%s) :\n\n%s',
                      coalesce(a.from_address, 'expéditeur inconnu'), m.reference, m.name,
                      coalesce(a.subject, '(sans objet)'))) AS id
    FROM added a JOIN matters m ON m.id = a.matter_id)
SELECT a.id, a.matter_id, a.filed_by, (SELECT count(*) FROM pdf), (SELECT count(*) FROM told)
FROM added a
