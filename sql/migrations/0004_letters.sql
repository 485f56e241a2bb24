-- Letters: drafts, recipients, attachments, validation signatures, deliveries, idempotency.

-- Content-addressed storage for attachments and, later, proofs and archived e-mails.
CREATE TABLE blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint NOT NULL CHECK (size >= 0),
    data       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE letters (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id          uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    sender_id        uuid NOT NULL REFERENCES users (id),
    kind             text NOT NULL CHECK (kind IN ('lre', 'lrar', 'simple')),
    subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body             text NOT NULL DEFAULT '' CHECK (length(body) <= 100000),
    body_sha256      text NOT NULL,
    reference        text CHECK (length(reference) <= 100),
    status           text NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'pending_validation', 'sending', 'rejected')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    submitted_at     timestamptz,
    submitted_by     uuid REFERENCES users (id),
    validated_at     timestamptz,
    validated_by     uuid REFERENCES users (id),
    rejected_at      timestamptz,
    rejected_by      uuid REFERENCES users (id),
    rejection_reason text,
    -- Kept by the statements that add recipients, so that lists need no count per letter.
    recipient_count  integer NOT NULL DEFAULT 0,
    UNIQUE (team_id, id)
);
CREATE INDEX letters_history ON letters (team_id, created_at DESC, id DESC);
CREATE INDEX letters_by_sender ON letters (team_id, sender_id, created_at DESC, id DESC);
CREATE INDEX letters_by_status ON letters (team_id, status, created_at DESC, id DESC);
CREATE INDEX letters_by_reference ON letters (team_id, lower(reference)) WHERE reference IS NOT NULL;

-- Recipients as they were when the letter left: given one by one, or copied from a group at
-- submission (later edits of the group do not change a submitted letter).
CREATE TABLE letter_recipients (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL,
    letter_id   uuid NOT NULL,
    position    integer NOT NULL,
    group_id    uuid,
    email       text,
    last_name   text NOT NULL,
    first_name  text NOT NULL,
    company     text,
    status      text NOT NULL CHECK (status IN ('professional', 'individual')),
    line1       text,
    line2       text,
    postal_code text,
    city        text,
    country     text NOT NULL DEFAULT 'FR',
    dedupe_key  text NOT NULL,
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id) ON DELETE CASCADE,
    UNIQUE (letter_id, dedupe_key),
    UNIQUE (letter_id, position)
);
CREATE INDEX letter_recipients_email ON letter_recipients (team_id, email);
CREATE INDEX letter_recipients_name ON letter_recipients (team_id, lower(last_name));

-- Groups named on a draft, copied into letter_recipients at submission.
CREATE TABLE letter_groups (
    letter_id uuid NOT NULL,
    team_id   uuid NOT NULL,
    group_id  uuid NOT NULL,
    PRIMARY KEY (letter_id, group_id),
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id) ON DELETE CASCADE,
    FOREIGN KEY (team_id, group_id) REFERENCES groups (team_id, id) ON DELETE CASCADE
);

CREATE TABLE letter_attachments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL,
    letter_id  uuid NOT NULL,
    position   integer NOT NULL,
    filename   text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size       bigint NOT NULL,
    sha256     text NOT NULL REFERENCES blobs (sha256),
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id) ON DELETE CASCADE,
    UNIQUE (letter_id, position)
);

-- The validator's signature over the letter's canonical digest (the exact bytes are kept).
CREATE TABLE letter_validations (
    letter_id      uuid PRIMARY KEY,
    team_id        uuid NOT NULL,
    key_id         text NOT NULL,
    signed_payload bytea NOT NULL,
    signature      bytea NOT NULL,
    validated_by   uuid NOT NULL REFERENCES users (id),
    validated_at   timestamptz NOT NULL,
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id) ON DELETE CASCADE
);

CREATE TABLE deliveries (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id      uuid NOT NULL,
    letter_id    uuid NOT NULL,
    recipient_id uuid NOT NULL UNIQUE REFERENCES letter_recipients (id),
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'deposited', 'notified', 'accepted', 'refused',
                                   'negligence', 'bounced', 'delivered', 'returned', 'failed')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id) ON DELETE CASCADE
);
CREATE INDEX deliveries_letter ON deliveries (letter_id);

-- Answers of POSTs that send or charge, replayed for a retry with the same key (24 h at least).
CREATE TABLE idempotency_keys (
    team_id       uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status        integer NOT NULL,
    response      text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

CREATE FUNCTION recipient_json(r letter_recipients) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', r.id, 'email', r.email, 'last_name', r.last_name, 'first_name', r.first_name,
        'company', r.company, 'status', r.status, 'group_id', r.group_id,
        'address', CASE WHEN r.line1 IS NULL THEN NULL ELSE json_build_object(
            'line1', r.line1, 'line2', r.line2, 'postal_code', r.postal_code, 'city', r.city,
            'country', r.country) END)
$$;

CREATE FUNCTION base64_line(b bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT translate(encode(b, 'base64'), E'\n', '')
$$;

-- A letter as its list shows it. A single expression, so that PostgreSQL inlines it.
CREATE FUNCTION letter_summary_json(l letters) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', l.id, 'kind', l.kind, 'subject', l.subject, 'reference', l.reference,
        'status', l.status, 'sender_id', l.sender_id, 'created_at', l.created_at,
        'submitted_at', l.submitted_at, 'validated_at', l.validated_at,
        'recipient_count', l.recipient_count)
$$;

-- A letter with everything that belongs to it.
CREATE FUNCTION letter_json(l letters) RETURNS json LANGUAGE sql STABLE AS $$
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
                                    'status', d.status, 'proofs', '[]'::jsonb)
                                    ORDER BY r.position)
                                FROM deliveries d JOIN letter_recipients r
                                  ON r.id = d.recipient_id
                                WHERE d.letter_id = l.id), '[]')))::json
$$;
