-- Offices (accounting firms' teams): e-mail settings, client groups, matters, the client users of
-- a matter, the routing of automatic e-mails, and what client users send to their office.

-- A client user's account has no password until they set it through the welcome link.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

CREATE TABLE office_settings (
    team_id             uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    functional_email    text CHECK (functional_email = lower(functional_email)
                                    AND length(functional_email) <= 254),
    communication_email text CHECK (communication_email = lower(communication_email)
                                    AND length(communication_email) <= 254),
    updated_by          uuid REFERENCES users (id),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE client_groups (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      text CHECK (email = lower(email) AND length(email) <= 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, id)
);
CREATE UNIQUE INDEX client_groups_name ON client_groups (team_id, lower(name));

CREATE TABLE matters (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id         uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    reference       text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    manager_user_id uuid REFERENCES users (id),
    client_group_id uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, id),
    FOREIGN KEY (team_id, client_group_id) REFERENCES client_groups (team_id, id)
);
CREATE UNIQUE INDEX matters_reference ON matters (team_id, lower(reference));

-- Who sends on behalf of an office about a matter (or about the office when matter is NULL),
-- by the cascade: the matter's manager while a member of the office, else the client group's
-- e-mail, else the office's functional e-mail, else its communication e-mail. No row when no
-- level has an address.
CREATE FUNCTION office_sender(office uuid, matter uuid)
RETURNS TABLE (address text, name text, rule text) LANGUAGE sql STABLE AS $$
    SELECT c.address, c.name, c.rule FROM (
        SELECT 1 AS rank, u.email AS address, u.first_name || ' ' || u.last_name AS name,
               'manager' AS rule
        FROM matters m
        JOIN memberships ms ON ms.team_id = m.team_id AND ms.user_id = m.manager_user_id
        JOIN users u ON u.id = m.manager_user_id
        WHERE m.id = matter AND m.team_id = office
        UNION ALL
        SELECT 2, g.email, g.name, 'client_group'
        FROM matters m JOIN client_groups g ON g.id = m.client_group_id
        WHERE m.id = matter AND m.team_id = office AND g.email IS NOT NULL
        UNION ALL
        SELECT 3, s.functional_email, t.name, 'functional_email'
        FROM office_settings s JOIN teams t ON t.id = s.team_id
        WHERE s.team_id = office AND s.functional_email IS NOT NULL
        UNION ALL
        SELECT 4, s.communication_email, t.name, 'communication_email'
        FROM office_settings s JOIN teams t ON t.id = s.team_id
        WHERE s.team_id = office AND s.communication_email IS NOT NULL) c
    ORDER BY c.rank
    LIMIT 1
$$;

-- A client user of a matter. The sender chosen when the user was created is kept, so that the
-- welcome e-mail and its retries come from the same address.
CREATE TABLE client_users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id          uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    matter_id        uuid NOT NULL,
    user_id          uuid NOT NULL REFERENCES users (id),
    email            text NOT NULL CHECK (email = lower(email)),
    status           text NOT NULL CHECK (status IN ('invited', 'active')),
    token_hash       text UNIQUE,
    welcome_version  integer NOT NULL DEFAULT 1, -- grows when a lapsed welcome is sent again
    expires_at       timestamptz NOT NULL,
    sender_address   text NOT NULL,
    sender_name      text NOT NULL,
    sender_rule      text NOT NULL,
    created_by       uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    activated_at     timestamptz,
    FOREIGN KEY (team_id, matter_id) REFERENCES matters (team_id, id) ON DELETE CASCADE,
    UNIQUE (matter_id, user_id)
);
CREATE INDEX client_users_email ON client_users (email);
CREATE INDEX client_users_user ON client_users (user_id, status);

CREATE FUNCTION client_user_json(c client_users) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'matter_id', c.matter_id, 'user_id', c.user_id, 'email', c.email,
        'first_name', u.first_name, 'last_name', u.last_name,
        'status', CASE WHEN c.status = 'invited' AND c.expires_at <= now() THEN 'expired'
                       ELSE c.status END,
        'sender', json_build_object('address', c.sender_address, 'name', c.sender_name,
                                    'rule', c.sender_rule),
        'created_at', c.created_at, 'expires_at', c.expires_at, 'activated_at', c.activated_at)
    FROM users u WHERE u.id = c.user_id
$$;

-- How each kind of automatic e-mail of an office is routed; an office without a row for a type
-- uses the standard cascade.
CREATE TABLE notification_settings (
    team_id       uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    type          text NOT NULL CHECK (type IN ('failed_tasks', 'messages', 'vat_documents_ok',
                                                'user_requests')),
    configuration text NOT NULL CHECK (configuration IN ('standard', 'custom')),
    recipients    uuid[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (team_id, type)
);

-- Every automatic e-mail emitted, with the addresses it went to (one job per address).
CREATE TABLE notifications (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    type       text NOT NULL,
    matter_id  uuid,
    subject    text NOT NULL,
    body       text NOT NULL,
    recipients text[] NOT NULL,
    rule       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_team ON notifications (team_id, created_at);

-- What client users send their office.
CREATE TABLE vat_periods (
    team_id      uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    matter_id    uuid NOT NULL,
    period       text NOT NULL CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
    completed_by uuid NOT NULL REFERENCES users (id),
    completed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (matter_id, period),
    FOREIGN KEY (team_id, matter_id) REFERENCES matters (team_id, id) ON DELETE CASCADE
);

CREATE TABLE user_requests (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id      uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    matter_id    uuid NOT NULL,
    email        text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    first_name   text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name    text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    note         text CHECK (length(note) <= 2000),
    requested_by uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (team_id, matter_id) REFERENCES matters (team_id, id) ON DELETE CASCADE
);
CREATE INDEX user_requests_matter ON user_requests (matter_id, created_at);

CREATE TABLE matter_messages (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    matter_id  uuid NOT NULL,
    subject    text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    sent_by    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (team_id, matter_id) REFERENCES matters (team_id, id) ON DELETE CASCADE
);
CREATE INDEX matter_messages_matter ON matter_messages (matter_id, created_at);

CREATE FUNCTION matter_json(m matters) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', m.id, 'reference', m.reference, 'name', m.name,
        'manager_user_id', m.manager_user_id, 'client_group_id', m.client_group_id,
        'created_at', m.created_at, 'updated_at', m.updated_at)
$$;

CREATE FUNCTION client_group_json(g client_groups) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', g.id, 'name', g.name, 'email', g.email,
                             'created_at', g.created_at)
$$;

-- Emits an automatic e-mail of an office, the one way every module raises one: the recipients
-- come from the office's routing of that type (custom: the chosen members who still belong to
-- the office; standard: the cascade sender of the matter, or of the office when matter is NULL);
-- the notification is recorded with them and one e-mail job is queued per address. Nothing for a
-- team that is not an office. Returns the notification id (NULL when nothing was emitted).
CREATE FUNCTION emit_notification(p_team uuid, p_type text, p_matter uuid, p_subject text,
                                  p_body text)
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
    setting notification_settings;
    emails text[];
    chosen text;
    emitted uuid;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM teams t WHERE t.id = p_team AND t.kind = 'office') THEN
        RETURN NULL;
    END IF;
    SELECT * INTO setting FROM notification_settings s
    WHERE s.team_id = p_team AND s.type = p_type;
    IF FOUND AND setting.configuration = 'custom' THEN
        SELECT coalesce(array_agg(u.email ORDER BY u.email), '{}') INTO emails
        FROM users u JOIN memberships m ON m.user_id = u.id AND m.team_id = p_team
        WHERE u.id = ANY (setting.recipients);
        chosen := 'custom';
    ELSE
        SELECT ARRAY[o.address], o.rule INTO emails, chosen FROM office_sender(p_team, p_matter) o;
    END IF;
    INSERT INTO notifications (team_id, type, matter_id, subject, body, recipients, rule)
    VALUES (p_team, p_type, p_matter, p_subject, p_body, coalesce(emails, '{}'),
            coalesce(chosen, 'none'))
    RETURNING id INTO emitted;
    INSERT INTO jobs (kind, payload)
    SELECT 'notification_email', jsonb_build_object('notification_id', emitted, 'index', i)
    FROM generate_subscripts(coalesce(emails, '{}'), 1) AS i;
    RETURN emitted;
END
$$;
