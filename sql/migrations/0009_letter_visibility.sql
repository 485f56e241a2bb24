-- Who may see a letter, in one place: its sender, anyone who sees every member's letters, and
-- validators while it waits for validation. A single expression, so that PostgreSQL inlines it
-- into the queries that filter with it (and keeps using their indexes).
CREATE FUNCTION letter_visible(l letters, caller uuid, sees_all boolean, validates boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT sees_all OR l.sender_id = caller OR (validates AND l.status = 'pending_validation')
$$;
