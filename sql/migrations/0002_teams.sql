-- Teams, roles, memberships, invitations, the payment method and the audit log.

CREATE TABLE teams (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind               text NOT NULL CHECK (kind IN ('firm', 'company', 'office')),
    billing_email      text CHECK (length(billing_email) <= 254),
    invoice_copy_email text CHECK (length(invoice_copy_email) <= 254),
    administrator_id   uuid NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- builtin is 'administrator' or 'member' for the two roles every team has, NULL for custom ones.
CREATE TABLE roles (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    builtin     text CHECK (builtin IN ('administrator', 'member')),
    permissions text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, id)
);
CREATE UNIQUE INDEX roles_name ON roles (team_id, lower(name));
CREATE UNIQUE INDEX roles_builtin ON roles (team_id, builtin) WHERE builtin IS NOT NULL;

CREATE TABLE memberships (
    team_id          uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id          uuid NOT NULL,
    is_administrator boolean NOT NULL DEFAULT false,
    joined_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (team_id, role_id) REFERENCES roles (team_id, id)
);
CREATE UNIQUE INDEX memberships_one_administrator ON memberships (team_id) WHERE is_administrator;
CREATE INDEX memberships_user ON memberships (user_id);

-- A role as members and the API see it.
CREATE FUNCTION role_json(r roles) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', r.id, 'name', r.name, 'builtin', r.builtin,
                             'permissions', to_json(r.permissions), 'created_at', r.created_at)
$$;

-- status 'expired' is written when a lapsed invitation is replaced; a pending one whose
-- expires_at has passed reads as expired too.
CREATE TABLE invitations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email       text NOT NULL CHECK (email = lower(email)),
    role_id     uuid NOT NULL,
    status      text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
    version     integer NOT NULL DEFAULT 1,
    invited_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id),
    revoked_at  timestamptz,
    FOREIGN KEY (team_id, role_id) REFERENCES roles (team_id, id)
);
CREATE UNIQUE INDEX invitations_one_pending ON invitations (team_id, email) WHERE status = 'pending';
CREATE INDEX invitations_team ON invitations (team_id, created_at);

-- Every token an invitation had: only the current one redeems; older ones answer "replaced".
CREATE TABLE invitation_tokens (
    token_hash    text PRIMARY KEY,
    invitation_id uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (invitation_id, version)
);

CREATE FUNCTION invitation_json(i invitations) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', i.id, 'email', i.email, 'role_id', i.role_id,
        'status', CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired'
                       ELSE i.status END,
        'invited_by', i.invited_by, 'created_at', i.created_at, 'sent_at', i.sent_at,
        'expires_at', i.expires_at, 'accepted_at', i.accepted_at, 'revoked_at', i.revoked_at)
$$;

-- An opaque reference from a payment provider; never a card number.
CREATE TABLE payment_methods (
    team_id    uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    provider   text NOT NULL,
    token      text NOT NULL,
    brand      text NOT NULL,
    last4      text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    exp_month  integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year   integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
    updated_by uuid NOT NULL REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: every change of membership, role, invitation or permission.
CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    team_id    uuid NOT NULL REFERENCES teams (id),
    actor_id   uuid REFERENCES users (id),
    action     text NOT NULL,
    target     text NOT NULL,
    before     jsonb,
    after      jsonb,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_team ON audit_events (team_id, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- A team as one of its members sees it, with that member's role and permissions.
CREATE FUNCTION team_json(t teams, r roles) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', t.id, 'name', t.name, 'kind', t.kind,
                             'billing_email', t.billing_email,
                             'invoice_copy_email', t.invoice_copy_email,
                             'administrator_id', t.administrator_id, 'created_at', t.created_at,
                             'role', json_build_object('id', r.id, 'name', r.name),
                             'permissions', to_json(r.permissions))
$$;

-- A member as the team's member list shows it.
CREATE FUNCTION member_json(m memberships, u users, r roles) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('user', json_build_object('id', u.id, 'email', u.email,
                                                       'first_name', u.first_name,
                                                       'last_name', u.last_name),
                             'role', json_build_object('id', r.id, 'name', r.name),
                             'is_administrator', m.is_administrator, 'joined_at', m.joined_at)
$$;
