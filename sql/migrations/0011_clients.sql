-- Firms and their client companies: client records, partnerships, linked accounts (a principal
-- company that reads what the firm shares with its secondary companies) and shared documents.

-- A company space a firm creates for a client has no administrator until the invited person
-- accepts: the first administrator-role invitation redeemed fills it.
ALTER TABLE teams ALTER COLUMN administrator_id DROP NOT NULL;

CREATE TABLE clients (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    firm_team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    company_team_id uuid NOT NULL REFERENCES teams (id),
    company_name    text NOT NULL CHECK (length(company_name) BETWEEN 1 AND 200),
    email           text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (firm_team_id, company_team_id),
    UNIQUE (firm_team_id, id)
);
CREATE INDEX clients_firm_email ON clients (firm_team_id, email);
CREATE INDEX clients_firm_name ON clients (firm_team_id, lower(company_name), id);

-- A partnership is an accepted request; a refused one may be asked again.
CREATE TABLE partner_requests (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    firm_team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    company_team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'accepted', 'refused')),
    requested_by    uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    answered_by     uuid REFERENCES users (id),
    answered_at     timestamptz,
    CHECK (firm_team_id <> company_team_id)
);
CREATE UNIQUE INDEX partner_requests_open ON partner_requests (firm_team_id, company_team_id)
    WHERE status IN ('pending', 'accepted');
CREATE INDEX partner_requests_company ON partner_requests (company_team_id, status);
CREATE INDEX partner_requests_firm ON partner_requests (firm_team_id, created_at);

-- True when the firm and the company are partners.
CREATE FUNCTION partners(firm uuid, company uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM partner_requests p
                   WHERE p.firm_team_id = firm AND p.company_team_id = company
                     AND p.status = 'accepted')
$$;

-- A request accepted by the principal is the link itself, until it is unlinked.
CREATE TABLE link_requests (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    firm_team_id        uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    secondary_client_id uuid NOT NULL,
    principal_client_id uuid NOT NULL,
    secondary_team_id   uuid NOT NULL REFERENCES teams (id),
    principal_team_id   uuid NOT NULL REFERENCES teams (id),
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'accepted', 'refused', 'unlinked')),
    accept_group        boolean,
    requested_by        uuid NOT NULL REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    answered_by         uuid REFERENCES users (id),
    answered_at         timestamptz,
    unlinked_by         uuid REFERENCES users (id),
    unlinked_at         timestamptz,
    FOREIGN KEY (firm_team_id, secondary_client_id) REFERENCES clients (firm_team_id, id),
    FOREIGN KEY (firm_team_id, principal_client_id) REFERENCES clients (firm_team_id, id),
    CHECK (secondary_team_id <> principal_team_id)
);
CREATE UNIQUE INDEX link_requests_open_secondary ON link_requests (firm_team_id, secondary_team_id)
    WHERE status IN ('pending', 'accepted');
CREATE INDEX link_requests_principal ON link_requests (principal_team_id, status);
CREATE INDEX link_requests_secondary ON link_requests (secondary_team_id, status);
CREATE INDEX link_requests_firm ON link_requests (firm_team_id, created_at);

CREATE TABLE documents (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    firm_team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    client_id       uuid NOT NULL,
    company_team_id uuid NOT NULL REFERENCES teams (id),
    filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type    text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 255),
    size            bigint NOT NULL CHECK (size >= 0),
    sha256          text NOT NULL REFERENCES blobs (sha256),
    uploaded_by     uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (firm_team_id, client_id) REFERENCES clients (firm_team_id, id)
);
CREATE INDEX documents_company ON documents (company_team_id, firm_team_id, created_at DESC, id DESC);
CREATE INDEX documents_firm ON documents (firm_team_id, company_team_id, created_at DESC, id DESC);

-- Who reads what a firm shared with a company, in one place: the firm itself; the company while
-- they are partners; and a principal company linked to it through that firm, while the
-- principal and the firm are partners. A secondary never reads its principal's documents.
CREATE FUNCTION document_readable(viewer uuid, firm uuid, company uuid)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT viewer = firm
        OR (partners(firm, viewer)
            AND (viewer = company
                 OR EXISTS (SELECT 1 FROM link_requests l
                            WHERE l.firm_team_id = firm AND l.principal_team_id = viewer
                              AND l.secondary_team_id = company AND l.status = 'accepted')))
$$;

CREATE FUNCTION team_ref_json(t teams) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', t.id, 'name', t.name)
$$;

CREATE FUNCTION partner_request_json(p partner_requests) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', p.id, 'status', p.status,
        'firm', (SELECT team_ref_json(t) FROM teams t WHERE t.id = p.firm_team_id),
        'company', (SELECT team_ref_json(t) FROM teams t WHERE t.id = p.company_team_id),
        'requested_by', p.requested_by, 'created_at', p.created_at,
        'answered_by', p.answered_by, 'answered_at', p.answered_at)
$$;

CREATE FUNCTION link_request_json(l link_requests) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', l.id, 'status', l.status,
        'firm', (SELECT team_ref_json(t) FROM teams t WHERE t.id = l.firm_team_id),
        'principal', (SELECT team_ref_json(t) FROM teams t WHERE t.id = l.principal_team_id),
        'secondary', (SELECT team_ref_json(t) FROM teams t WHERE t.id = l.secondary_team_id),
        'principal_client_id', l.principal_client_id,
        'secondary_client_id', l.secondary_client_id,
        'accept_group', l.accept_group, 'requested_by', l.requested_by,
        'created_at', l.created_at, 'answered_by', l.answered_by, 'answered_at', l.answered_at,
        'unlinked_by', l.unlinked_by, 'unlinked_at', l.unlinked_at)
$$;

-- A client record as its firm sees it: the company space (active once someone administers it),
-- the partnership, and the open link requests it takes part in.
CREATE FUNCTION client_json(c clients) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'company_name', c.company_name, 'email', c.email,
        'company', (SELECT json_build_object('id', t.id, 'name', t.name,
                                             'space', CASE WHEN t.administrator_id IS NULL
                                                           THEN 'invited' ELSE 'active' END)
                    FROM teams t WHERE t.id = c.company_team_id),
        'partnership', (SELECT p.status FROM partner_requests p
                        WHERE p.firm_team_id = c.firm_team_id
                          AND p.company_team_id = c.company_team_id
                        ORDER BY p.created_at DESC LIMIT 1),
        'links', coalesce((SELECT json_agg(json_build_object(
                              'id', l.id, 'status', l.status,
                              'role', CASE WHEN l.principal_client_id = c.id THEN 'principal'
                                           ELSE 'secondary' END,
                              'principal_client_id', l.principal_client_id,
                              'secondary_client_id', l.secondary_client_id) ORDER BY l.created_at)
                           FROM link_requests l
                           WHERE l.firm_team_id = c.firm_team_id
                             AND c.id IN (l.principal_client_id, l.secondary_client_id)
                             AND l.status IN ('pending', 'accepted')), '[]'),
        'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

CREATE FUNCTION document_json(d documents) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', d.id, 'filename', d.filename, 'content_type', d.content_type, 'size', d.size,
        'sha256', d.sha256,
        'account', (SELECT team_ref_json(t) FROM teams t WHERE t.id = d.company_team_id),
        'firm', (SELECT team_ref_json(t) FROM teams t WHERE t.id = d.firm_team_id),
        'client_id', d.client_id, 'uploaded_by', d.uploaded_by, 'created_at', d.created_at)
$$;
