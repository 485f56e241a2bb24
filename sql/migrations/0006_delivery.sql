-- Delivery: the per-recipient state machine, its signed proofs, every event received, and
-- the carrier's callbacks.

-- How a delivery travels: a registered e-mail (lre: identity check, accept or refuse), a plain
-- e-mail (simple with an e-mail address) or the post (lrar, and simple without e-mail).
ALTER TABLE deliveries ADD COLUMN channel text
    CHECK (channel IN ('registered_email', 'email', 'postal'));
UPDATE deliveries d SET channel = CASE
        WHEN l.kind = 'lre' THEN 'registered_email'
        WHEN l.kind = 'lrar' OR r.email IS NULL THEN 'postal'
        ELSE 'email' END
FROM letters l, letter_recipients r
WHERE l.id = d.letter_id AND r.id = d.recipient_id;
ALTER TABLE deliveries ALTER COLUMN channel SET NOT NULL;

ALTER TABLE deliveries
    -- The recipient's link: only the hash of the token derived from the master key is kept.
    ADD COLUMN token_hash text UNIQUE,
    ADD COLUMN link_expires_at timestamptz,
    ADD COLUMN notified_at timestamptz,
    ADD COLUMN answered_at timestamptz,
    -- One-time identity codes: derived from the master key and the version, never stored.
    ADD COLUMN code_version integer NOT NULL DEFAULT 0,
    ADD COLUMN code_expires_at timestamptz,
    ADD COLUMN code_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN carrier text,
    ADD COLUMN carrier_reference text,
    -- The head of the proof chain: how many proofs, and the SHA-256 of the last one's bytes.
    ADD COLUMN proof_count integer NOT NULL DEFAULT 0,
    ADD COLUMN chain_head text;
CREATE INDEX deliveries_awaiting_answer ON deliveries (notified_at)
    WHERE status = 'notified' AND channel = 'registered_email';

-- The moment an unanswered registered e-mail lapses: 15 full days counted from the day after
-- the notification (French time), i.e. midnight at the start of the 16th day.
CREATE FUNCTION delivery_deadline(notified timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT (((notified AT TIME ZONE 'Europe/Paris')::date + 16)::timestamp)
           AT TIME ZONE 'Europe/Paris'
$$;

-- Times as proofs write them: RFC 3339, UTC, microseconds.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- One signed evidence record per transition, chained per delivery. Append-only.
CREATE TABLE proofs (
    id              uuid PRIMARY KEY,
    team_id         uuid NOT NULL,
    letter_id       uuid NOT NULL,
    delivery_id     uuid NOT NULL REFERENCES deliveries (id),
    seq             integer NOT NULL CHECK (seq >= 1),
    type            text NOT NULL CHECK (type IN ('deposit', 'notification', 'acceptance',
                         'refusal', 'negligence', 'bounce', 'delivery', 'return', 'failure')),
    event           text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    issued_at       timestamptz NOT NULL,
    key_id          text NOT NULL,
    signed_payload  bytea NOT NULL,
    signature       bytea NOT NULL,
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    previous_sha256 text CHECK (previous_sha256 ~ '^[0-9a-f]{64}$'),
    UNIQUE (delivery_id, seq),
    CHECK ((seq = 1) = (previous_sha256 IS NULL)),
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id)
);
CREATE INDEX proofs_letter ON proofs (letter_id, delivery_id, seq);

CREATE FUNCTION proofs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'proofs are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER proofs_no_update BEFORE UPDATE OR DELETE ON proofs
    FOR EACH ROW EXECUTE FUNCTION proofs_append_only();
CREATE TRIGGER proofs_no_truncate BEFORE TRUNCATE ON proofs
    FOR EACH STATEMENT EXECUTE FUNCTION proofs_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON proofs FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON proofs FROM CURRENT_USER;

-- Every event that reached a delivery, applied or not (a late or repeated one is kept here and
-- changes nothing; one that arrives before its turn waits here and is applied when it comes).
CREATE TABLE delivery_events (
    id          bigserial PRIMARY KEY,
    team_id     uuid NOT NULL,
    delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    target      text NOT NULL,
    source      text NOT NULL CHECK (source IN ('dispatch', 'recipient', 'carrier', 'deadline')),
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    details     jsonb NOT NULL DEFAULT '{}',
    applied     boolean NOT NULL,
    proof_id    uuid REFERENCES proofs (id)
);
CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id, occurred_at);
CREATE INDEX delivery_events_waiting ON delivery_events (delivery_id) WHERE NOT applied;

-- Carrier callbacks as received; (carrier, webhook id) de-duplicates replays.
CREATE TABLE carrier_webhooks (
    carrier     text NOT NULL,
    webhook_id  text NOT NULL,
    delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    body        jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (carrier, webhook_id)
);

-- A delivery as its letter shows it: status and the list of its proofs.
CREATE OR REPLACE FUNCTION letter_json(l letters) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT (letter_summary_json(l)::jsonb || jsonb_build_object(
        'body', l.body, 'body_sha256', l.body_sha256,
        'submitted_by', l.submitted_by, 'validated_by', l.validated_by,
        'group_ids', coalesce((SELECT jsonb_agg(g.group_id ORDER BY g.group_id)
                               FROM letter_groups g WHERE g.letter_id = l.id), '[]'),
        'recipients', coalesce((SELECT jsonb_agg(recipient_json(r)::jsonb ORDER BY r.position)
                                FROM letter_recipients r WHERE r.letter_id = l.id), '[]'),
        'attachments', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                     'id', a.id, 'filename', a.filename, 'size', a.size,
                                     'sha256', a.sha256, 'created_at', a.created_at)
                                     ORDER BY a.position)
                                 FROM letter_attachments a WHERE a.letter_id = l.id), '[]'),
        'validation', (SELECT jsonb_build_object(
                           'by', v.validated_by, 'at', v.validated_at, 'key_id', v.key_id,
                           'signature', base64_line(v.signature),
                           'signed_payload', base64_line(v.signed_payload))
                       FROM letter_validations v WHERE v.letter_id = l.id),
        'rejection', CASE WHEN l.rejected_at IS NULL THEN NULL ELSE jsonb_build_object(
                         'by', l.rejected_by, 'at', l.rejected_at,
                         'reason', l.rejection_reason) END,
        'deliveries', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                    'id', d.id, 'recipient', recipient_json(r)::jsonb,
                                    'status', d.status, 'channel', d.channel,
                                    'notified_at', d.notified_at,
                                    'respond_by', CASE WHEN d.channel = 'registered_email'
                                                   AND d.notified_at IS NOT NULL
                                                  THEN delivery_deadline(d.notified_at) END,
                                    'carrier_reference', d.carrier_reference,
                                    'proofs', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                                  'id', p.id, 'type', p.type, 'event', p.event,
                                                  'at', p.occurred_at, 'sha256', p.sha256)
                                                  ORDER BY p.seq)
                                              FROM proofs p WHERE p.delivery_id = d.id), '[]'))
                                    ORDER BY r.position)
                                FROM deliveries d JOIN letter_recipients r
                                  ON r.id = d.recipient_id
                                WHERE d.letter_id = l.id), '[]')))::json
$$;

-- A delivery as its recipient sees it through the link. A registered e-mail keeps its sender,
-- subject and reference hidden until the recipient accepts it, as French law requires.
CREATE FUNCTION delivery_recipient_json(d deliveries) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', d.id, 'kind', l.kind, 'channel', d.channel, 'status', d.status,
        'notified_at', d.notified_at,
        'respond_by', CASE WHEN d.channel = 'registered_email' AND d.notified_at IS NOT NULL
                           THEN delivery_deadline(d.notified_at) END,
        'answered_at', d.answered_at,
        'recipient', json_build_object('first_name', r.first_name, 'last_name', r.last_name,
                                       'email', r.email),
        'identity_code', CASE WHEN d.code_version > 0 THEN json_build_object(
                             'expires_at', d.code_expires_at,
                             'failed_attempts', d.code_attempts) END,
        'content_available', revealed,
        'sender', CASE WHEN revealed THEN json_build_object(
                      'name', u.first_name || ' ' || u.last_name, 'email', u.email,
                      'team', t.name) END,
        'subject', CASE WHEN revealed THEN l.subject END,
        'reference', CASE WHEN revealed THEN l.reference END)
    FROM letters l
    JOIN letter_recipients r ON r.id = d.recipient_id
    JOIN teams t ON t.id = l.team_id
    JOIN users u ON u.id = l.sender_id,
    LATERAL (SELECT (d.channel = 'registered_email' AND d.status = 'accepted')
                    OR (d.channel = 'email' AND d.status = 'notified') AS revealed) v
    WHERE l.id = d.letter_id
$$;
