-- Outbound webhooks (Standard Webhooks v1): the endpoints a team's integrators register, the
-- messages emitted for them in the transaction of each change they report (an outbox read by
-- pli-jobs), and every attempt to deliver one (the delivery log).

-- An endpoint's signing secret ("whsec_...") is sealed under the master key like mailbox
-- passwords, and shown once, when the endpoint is created. A deleted endpoint is kept (deleted_at)
-- so that what was sent to it stays explained; a disabled one (its URL answered 410 Gone) gets no
-- more messages.
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id         uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    description     text CHECK (length(description) <= 500),
    events          text[] NOT NULL CHECK (cardinality(events) >= 1),
    secret_sealed   text NOT NULL,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_at     timestamptz,
    disabled_reason text,
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    UNIQUE (team_id, id)
);
CREATE INDEX webhook_endpoints_team ON webhook_endpoints (team_id, created_at, id)
    WHERE deleted_at IS NULL;

-- One message per endpoint and event; its id is the webhook-id every attempt sends, and its body
-- the exact bytes every attempt signs.
CREATE TABLE webhook_messages (
    id          text PRIMARY KEY CHECK (id ~ '^msg_[0-9a-f]{32}$'),
    team_id     uuid NOT NULL,
    endpoint_id uuid NOT NULL,
    type        text NOT NULL,
    body        text NOT NULL,
    status      text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    FOREIGN KEY (team_id, endpoint_id) REFERENCES webhook_endpoints (team_id, id)
        ON DELETE CASCADE
);
CREATE INDEX webhook_messages_pending ON webhook_messages (endpoint_id) WHERE status = 'pending';

-- Every attempt: the HTTP status answered, or why none came.
CREATE TABLE webhook_attempts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id      uuid NOT NULL,
    endpoint_id  uuid NOT NULL,
    message_id   text NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    attempt      integer NOT NULL CHECK (attempt >= 1),
    attempted_at timestamptz NOT NULL,
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
    FOREIGN KEY (team_id, endpoint_id) REFERENCES webhook_endpoints (team_id, id)
        ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_log ON webhook_attempts (endpoint_id, attempted_at DESC, id DESC);

-- An endpoint as the API shows it (never its secret).
CREATE FUNCTION webhook_endpoint_json(e webhook_endpoints) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', e.id, 'url', e.url, 'description', e.description,
                             'events', to_json(e.events), 'status', e.status,
                             'disabled_at', e.disabled_at, 'disabled_reason', e.disabled_reason,
                             'created_by', e.created_by, 'created_at', e.created_at)
$$;

-- One line of an endpoint's delivery log.
CREATE FUNCTION webhook_attempt_json(a webhook_attempts) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', a.id, 'message_id', a.message_id, 'event_type', m.type,
                             'attempt', a.attempt, 'attempted_at', a.attempted_at,
                             'http_status', a.http_status, 'error', a.error,
                             'duration_ms', a.duration_ms)
    FROM webhook_messages m WHERE m.id = a.message_id
$$;

-- Emits an event of a team in the caller's transaction: one message per active endpoint of the
-- team subscribed to the type, each with its webhook_deliver job. The job's attempts are not the
-- message's: pli-jobs follows PLI_WEBHOOK_RETRY_SCHEDULE (at most 20 retries, see
-- CONFIG_WEBHOOK_RETRIES_MAX) and ends the job itself, so the queue's limit is set above it.
-- Returns how many messages were made.
CREATE FUNCTION webhook_emit(p_team uuid, p_type text, p_data jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    made integer;
BEGIN
    WITH message AS (
        INSERT INTO webhook_messages (id, team_id, endpoint_id, type, body)
        SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.team_id, e.id, p_type,
               jsonb_build_object('type', p_type, 'timestamp', rfc3339(now()),
                                  'data', p_data)::text
        FROM webhook_endpoints e
        WHERE e.team_id = p_team AND e.status = 'active' AND e.deleted_at IS NULL
          AND p_type = ANY (e.events)
        RETURNING id),
    queued AS (
        INSERT INTO jobs (kind, payload, max_attempts)
        SELECT 'webhook_deliver', jsonb_build_object('message_id', id), 25 FROM message
        RETURNING id)
    SELECT count(*) INTO made FROM queued;
    RETURN made;
END
$$;

-- letter.<status>: every status a letter takes after its creation, whatever statement sets it.
CREATE FUNCTION letters_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM webhook_emit(NEW.team_id, 'letter.' || NEW.status, jsonb_build_object(
        'letter_id', NEW.id, 'status', NEW.status, 'at', rfc3339(now()), 'kind', NEW.kind,
        'subject', NEW.subject, 'reference', NEW.reference));
    RETURN NULL;
END
$$;
CREATE TRIGGER letters_webhook_status AFTER UPDATE OF status ON letters
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION letters_webhook();
CREATE TRIGGER letters_webhook_created AFTER INSERT ON letters
    FOR EACH ROW WHEN (NEW.status <> 'draft') EXECUTE FUNCTION letters_webhook();

-- delivery.<status>: every step of a delivery writes exactly one proof (db/delivery_record.c),
-- so each proof reports the status its type leads to, with its id and the SHA-256 of its signed
-- bytes.
CREATE FUNCTION proofs_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    status text := CASE NEW.type
        WHEN 'deposit' THEN 'deposited' WHEN 'notification' THEN 'notified'
        WHEN 'acceptance' THEN 'accepted' WHEN 'refusal' THEN 'refused'
        WHEN 'negligence' THEN 'negligence' WHEN 'bounce' THEN 'bounced'
        WHEN 'delivery' THEN 'delivered' WHEN 'return' THEN 'returned'
        WHEN 'failure' THEN 'failed' END;
BEGIN
    PERFORM webhook_emit(NEW.team_id, 'delivery.' || status, jsonb_build_object(
        'delivery_id', NEW.delivery_id, 'letter_id', NEW.letter_id,
        'channel', (SELECT d.channel FROM deliveries d WHERE d.id = NEW.delivery_id),
        'status', status, 'at', rfc3339(NEW.occurred_at),
        'proof', jsonb_build_object('id', NEW.id, 'type', NEW.type, 'sha256', NEW.sha256)));
    RETURN NULL;
END
$$;
CREATE TRIGGER proofs_webhook AFTER INSERT ON proofs
    FOR EACH ROW EXECUTE FUNCTION proofs_webhook();

-- The administrator holds every permission, webhooks.manage included from now on.
UPDATE roles SET permissions = array_append(permissions, 'webhooks.manage')
WHERE builtin = 'administrator' AND NOT ('webhooks.manage' = ANY (permissions));
