-- Archive mailboxes (the Communicator): POP3 mailboxes that pli-jobs empties into the archive,
-- the messages it keeps (raw, parsed, filed to a matter, rendered to PDF), and how a team works
-- them (sharing, assignment, status, pause, archive).

CREATE TABLE mailboxes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id          uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    owner_user_id    uuid NOT NULL REFERENCES users (id),
    address          text NOT NULL CHECK (address = lower(address) AND length(address) <= 254),
    primary_address  text NOT NULL CHECK (primary_address = lower(primary_address)
                                          AND length(primary_address) <= 254),
    signature        text CHECK (length(signature) <= 4000),
    system_account   boolean NOT NULL DEFAULT false,
    active           boolean NOT NULL DEFAULT true,
    leave_on_server  boolean NOT NULL DEFAULT true,
    pop3_host        text NOT NULL CHECK (length(pop3_host) BETWEEN 1 AND 253),
    pop3_port        integer NOT NULL CHECK (pop3_port BETWEEN 1 AND 65535),
    pop3_tls         text NOT NULL CHECK (pop3_tls IN ('none', 'starttls', 'implicit')),
    pop3_username    text NOT NULL CHECK (length(pop3_username) BETWEEN 1 AND 254),
    pop3_password    text NOT NULL, -- sealed with a key derived from the master key
    smtp_host        text NOT NULL CHECK (length(smtp_host) BETWEEN 1 AND 253),
    smtp_port        integer NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
    smtp_tls         text NOT NULL CHECK (smtp_tls IN ('none', 'starttls', 'implicit')),
    smtp_username    text CHECK (length(smtp_username) BETWEEN 1 AND 254),
    smtp_password    text, -- sealed, NULL without authentication
    last_polled_at   timestamptz,
    last_poll_error  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, id)
);
CREATE UNIQUE INDEX mailboxes_address ON mailboxes (team_id, address);
CREATE UNIQUE INDEX mailboxes_system ON mailboxes (team_id) WHERE system_account;
CREATE INDEX mailboxes_owner ON mailboxes (owner_user_id);

CREATE TABLE mailbox_grants (
    mailbox_id uuid NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by uuid NOT NULL REFERENCES users (id),
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mailbox_id, user_id)
);
CREATE INDEX mailbox_grants_user ON mailbox_grants (user_id);

-- Who reads a mailbox's messages: its owner and the colleagues it is shared with, while they
-- are members of the team.
CREATE FUNCTION mailbox_readable(box uuid, reader uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM mailboxes b
                   JOIN memberships m ON m.team_id = b.team_id AND m.user_id = reader
                   WHERE b.id = box
                     AND (b.owner_user_id = reader
                          OR EXISTS (SELECT 1 FROM mailbox_grants g
                                     WHERE g.mailbox_id = box AND g.user_id = reader)))
$$;

-- Every message taken from a mailbox, once per POP3 unique id. Its raw bytes are stored (blobs)
-- and committed before anything is read from them (read_state 'pending', read_attempts counts
-- the readings started); reading fills the rest ('read'). A message that cannot be read is kept
-- and flagged (parse_error), never dropped, and one that keeps failing its reading is given up
-- after a few attempts; one over the size cap is recorded without its bytes and stays on the
-- server.
CREATE TABLE messages (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id         uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    mailbox_id      uuid NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uidl            text NOT NULL,
    raw_sha256      text REFERENCES blobs (sha256),
    size            bigint NOT NULL CHECK (size >= 0),
    parse_error     text,
    read_state      text NOT NULL DEFAULT 'pending' CHECK (read_state IN ('pending', 'read')),
    read_attempts   integer NOT NULL DEFAULT 1,
    folder          text NOT NULL DEFAULT 'inbox' CHECK (folder IN ('inbox', 'sent')),
    subject         text,
    from_address    text,
    from_name       text,
    to_addresses    text[] NOT NULL DEFAULT '{}',
    cc_addresses    text[] NOT NULL DEFAULT '{}',
    sent_at         timestamptz,
    message_id      text,
    in_reply_to     text,
    refs            text[] NOT NULL DEFAULT '{}',
    body_text       text,
    body_from_html  boolean NOT NULL DEFAULT false,
    attachments     jsonb NOT NULL DEFAULT '[]',
    matter_id       uuid,
    filed_by        text NOT NULL DEFAULT 'none'
                    CHECK (filed_by IN ('reference', 'thread', 'address', 'hand', 'none')),
    assignee_user_id uuid REFERENCES users (id),
    status          text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done')),
    paused_until    timestamptz,
    archived        boolean NOT NULL DEFAULT false,
    pdf_sha256      text REFERENCES blobs (sha256),
    received_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mailbox_id, uidl),
    UNIQUE (team_id, id),
    FOREIGN KEY (team_id, matter_id) REFERENCES matters (team_id, id) ON DELETE SET NULL (matter_id)
);
CREATE INDEX messages_mailbox ON messages (mailbox_id, received_at DESC, id DESC);
CREATE INDEX messages_thread ON messages (team_id, message_id) WHERE matter_id IS NOT NULL;
CREATE INDEX messages_pending ON messages (mailbox_id) WHERE read_state = 'pending';

-- The matter a message goes to, by the first rule that gives exactly one: a reference of the
-- team's matters in the subject ([REF] first, then the bare reference) or the body; the thread
-- (In-Reply-To, then References) of a message already filed; an address (sender or recipient)
-- of the client users of exactly one matter. No row when none does.
CREATE FUNCTION message_filing(p_team uuid, p_subject text, p_body text, p_in_reply_to text,
                               p_refs text[], p_addresses text[])
RETURNS TABLE (matter_id uuid, rule text) LANGUAGE plpgsql STABLE AS $$
DECLARE
    found uuid[];
BEGIN
    SELECT array_agg(m.id) INTO found FROM matters m
    WHERE m.team_id = p_team
      AND position('[' || lower(m.reference) || ']' IN lower(coalesce(p_subject, ''))) > 0;
    IF cardinality(found) = 1 THEN
        RETURN QUERY SELECT found[1], 'reference'::text;
        RETURN;
    END IF;
    SELECT array_agg(m.id) INTO found FROM matters m
    WHERE m.team_id = p_team
      AND (coalesce(p_subject, '') || ' ' || coalesce(p_body, '')) ~*
          ('(^|[^A-Za-z0-9])' || regexp_replace(m.reference, '([./-])', '\\\1', 'g')
           || '($|[^A-Za-z0-9])');
    IF cardinality(found) = 1 THEN
        RETURN QUERY SELECT found[1], 'reference'::text;
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT g.matter_id) INTO found FROM messages g
    WHERE g.team_id = p_team AND g.matter_id IS NOT NULL
      AND g.message_id = ANY (array_remove(ARRAY[p_in_reply_to] || p_refs, NULL));
    IF cardinality(found) = 1 THEN
        RETURN QUERY SELECT found[1], 'thread'::text;
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT c.matter_id) INTO found FROM client_users c
    WHERE c.team_id = p_team AND c.email = ANY (p_addresses);
    IF cardinality(found) = 1 THEN
        RETURN QUERY SELECT found[1], 'address'::text;
    END IF;
END
$$;

CREATE FUNCTION mailbox_json(b mailboxes) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', b.id, 'owner_user_id', b.owner_user_id, 'address', b.address,
        'primary_address', b.primary_address, 'signature', b.signature,
        'system_account', b.system_account, 'active', b.active,
        'leave_on_server', b.leave_on_server,
        'pop3', json_build_object('host', b.pop3_host, 'port', b.pop3_port, 'tls', b.pop3_tls,
                                  'username', b.pop3_username),
        'smtp', json_build_object('host', b.smtp_host, 'port', b.smtp_port, 'tls', b.smtp_tls,
                                  'username', b.smtp_username),
        'grants', coalesce((SELECT json_agg(g.user_id ORDER BY g.granted_at, g.user_id)
                            FROM mailbox_grants g WHERE g.mailbox_id = b.id), '[]'),
        'last_polled_at', b.last_polled_at, 'last_poll_error', b.last_poll_error,
        'created_at', b.created_at, 'updated_at', b.updated_at)
$$;

CREATE FUNCTION message_json(g messages) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', g.id, 'mailbox_id', g.mailbox_id, 'folder', g.folder, 'subject', g.subject,
        'from', json_build_object('address', g.from_address, 'name', g.from_name),
        'to', to_json(g.to_addresses), 'cc', to_json(g.cc_addresses), 'sent_at', g.sent_at,
        'message_id', g.message_id, 'size', g.size, 'parse_error', g.parse_error,
        'body_text', g.body_text, 'body_from_html', g.body_from_html,
        'attachments', g.attachments, 'matter_id', g.matter_id, 'filed_by', g.filed_by,
        'assignee_user_id', g.assignee_user_id, 'status', g.status,
        'paused_until', g.paused_until, 'archived', g.archived,
        'pdf', g.pdf_sha256 IS NOT NULL, 'raw', g.raw_sha256 IS NOT NULL,
        'read', g.read_state = 'read',
        'received_at', g.received_at)
$$;
