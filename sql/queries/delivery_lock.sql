-- Locks a delivery for a transition and gathers what its proof states. $1 delivery id,
-- $2 when the event happened (NULL: now). Columns: status, channel, proof_count, chain_head,
-- team_id, occurred_at, issued_at, context (JSON: letter, sender, recipient, content hash).
SELECT d.status, d.channel, d.proof_count, d.chain_head, d.team_id,
       rfc3339(coalesce($2::timestamptz, now())), rfc3339(clock_timestamp()),
       json_build_object(
           'letter_id', l.id, 'delivery_id', d.id, 'team_id', d.team_id, 'kind', l.kind,
           'content_sha256', encode(sha256(v.signed_payload), 'hex'),
           'sender', json_build_object('team', t.name, 'team_id', t.id,
                                       'name', u.first_name || ' ' || u.last_name,
                                       'email', u.email),
           'recipient', json_build_object(
               'first_name', r.first_name, 'last_name', r.last_name, 'company', r.company,
               'email', r.email, 'status', r.status,
               'address', CASE WHEN r.line1 IS NULL THEN NULL ELSE json_build_object(
                   'line1', r.line1, 'line2', r.line2, 'postal_code', r.postal_code,
                   'city', r.city, 'country', r.country) END))
FROM deliveries d
JOIN letters l ON l.id = d.letter_id
JOIN letter_recipients r ON r.id = d.recipient_id
JOIN teams t ON t.id = d.team_id
JOIN users u ON u.id = l.sender_id
LEFT JOIN letter_validations v ON v.letter_id = l.id
WHERE d.id = $1::uuid
FOR UPDATE OF d
