-- Recipient groups of a team and their contacts.

CREATE TABLE groups (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, id)
);
CREATE UNIQUE INDEX groups_name ON groups (team_id, lower(name));

-- dedupe_key is the e-mail, or the name and address of a contact without one: a group holds
-- each at most once, which also makes importing the same file twice add nothing.
CREATE TABLE contacts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL,
    group_id    uuid NOT NULL,
    email       text CHECK (email = lower(email COLLATE "C")),
    last_name   text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    first_name  text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    company     text CHECK (length(company) <= 200),
    status      text NOT NULL CHECK (status IN ('professional', 'individual')),
    line1       text CHECK (length(line1) <= 100),
    line2       text CHECK (length(line2) <= 100),
    postal_code text CHECK (length(postal_code) <= 15),
    city        text CHECK (length(city) <= 100),
    country     text NOT NULL DEFAULT 'FR' CHECK (country ~ '^[A-Z]{2}$'),
    dedupe_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (team_id, group_id) REFERENCES groups (team_id, id) ON DELETE CASCADE,
    UNIQUE (group_id, dedupe_key),
    CHECK (email IS NOT NULL OR (line1 IS NOT NULL AND postal_code IS NOT NULL AND city IS NOT NULL)),
    CHECK (status = 'individual' OR company IS NOT NULL)
);
CREATE INDEX contacts_group_order ON contacts (group_id, lower(last_name), lower(first_name), id);

CREATE FUNCTION contact_json(c contacts) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'group_id', c.group_id, 'email', c.email, 'last_name', c.last_name,
        'first_name', c.first_name, 'company', c.company, 'status', c.status,
        'address', CASE WHEN c.line1 IS NULL THEN NULL ELSE json_build_object(
            'line1', c.line1, 'line2', c.line2, 'postal_code', c.postal_code, 'city', c.city,
            'country', c.country) END,
        'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

CREATE FUNCTION group_json(g groups) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', g.id, 'name', g.name, 'created_by', g.created_by,
                             'created_at', g.created_at, 'updated_at', g.updated_at,
                             'contact_count', (SELECT count(*) FROM contacts c
                                               WHERE c.group_id = g.id))
$$;
