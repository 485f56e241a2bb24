-- Billing: the price list, one charge per delivery that leaves, and monthly invoices numbered
-- in one unbroken sequence.

-- Prices per letter kind, in euro cents before VAT; the row in force is the latest valid_from
-- not in the future. Changed by the operator with `pli prices set`.
CREATE TABLE prices (
    kind         text NOT NULL CHECK (kind IN ('lre', 'lrar', 'simple')),
    amount_cents integer NOT NULL CHECK (amount_cents BETWEEN 0 AND 10000000),
    vat_rate_bp  integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000), -- 2000 = 20 %
    valid_from   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, valid_from)
);
INSERT INTO prices (kind, amount_cents, vat_rate_bp, valid_from) VALUES
    ('lre', 349, 2000, '-infinity'), ('lrar', 611, 2000, '-infinity'),
    ('simple', 99, 2000, '-infinity');

CREATE TABLE invoices (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id            uuid NOT NULL REFERENCES teams (id),
    number             text NOT NULL UNIQUE,
    seq                integer NOT NULL UNIQUE CHECK (seq >= 1),
    month              date NOT NULL CHECK (extract(day FROM month) = 1),
    issued_at          timestamptz NOT NULL DEFAULT now(),
    team_name          text NOT NULL,
    billed_to          jsonb NOT NULL, -- {name, email} as they were at the close
    payment_method     jsonb,
    lines              jsonb NOT NULL,
    total_excl_cents   bigint NOT NULL,
    vat_cents          bigint NOT NULL,
    total_incl_cents   bigint NOT NULL,
    currency           text NOT NULL DEFAULT 'EUR',
    pdf_sha256         text REFERENCES blobs (sha256),
    UNIQUE (team_id, month)
);

-- The last invoice number given: one row, locked while a month is closed, so that numbers
-- follow each other without a gap (a sequence would leave gaps on rollback).
CREATE TABLE invoice_counter (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last     integer NOT NULL DEFAULT 0
);
INSERT INTO invoice_counter DEFAULT VALUES;

-- One charge per delivery that leaves, written with its deposit, at the price then in force.
CREATE TABLE charges (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id        uuid NOT NULL REFERENCES teams (id),
    delivery_id    uuid NOT NULL UNIQUE REFERENCES deliveries (id),
    letter_id      uuid NOT NULL,
    sender_id      uuid NOT NULL REFERENCES users (id),
    kind           text NOT NULL,
    reference      text,
    amount_cents   integer NOT NULL,
    vat_rate_bp    integer NOT NULL,
    charged_at     timestamptz NOT NULL DEFAULT now(),
    invoice_id     uuid REFERENCES invoices (id),
    FOREIGN KEY (team_id, letter_id) REFERENCES letters (team_id, id)
);
CREATE INDEX charges_team_time ON charges (team_id, charged_at);
CREATE INDEX charges_open ON charges (charged_at) WHERE invoice_id IS NULL;

CREATE FUNCTION charge_json(c charges) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', c.id, 'delivery_id', c.delivery_id, 'letter_id', c.letter_id,
        'sender_id', c.sender_id, 'kind', c.kind, 'reference', c.reference,
        'amount_cents', c.amount_cents, 'vat_rate_bp', c.vat_rate_bp, 'currency', 'EUR',
        'charged_at', c.charged_at, 'invoice_id', c.invoice_id)
$$;

CREATE FUNCTION invoice_json(i invoices) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', i.id, 'number', i.number, 'month', to_char(i.month, 'YYYY-MM'),
        'issued_at', i.issued_at, 'team', json_build_object('id', i.team_id, 'name', i.team_name),
        'billed_to', i.billed_to,
        'payment_method', i.payment_method, 'lines', i.lines,
        'total_excl_cents', i.total_excl_cents, 'vat_cents', i.vat_cents,
        'total_incl_cents', i.total_incl_cents, 'currency', i.currency,
        'pdf_ready', i.pdf_sha256 IS NOT NULL)
$$;
