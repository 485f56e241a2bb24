-- What GET /metrics reads from the database.

-- Counters pli-jobs keeps for what happens in its own process (e-mails sent and failed, POP3
-- polls, messages archived): one row per family and label value (see lib/metric_counters.h),
-- added to where the outcome is known.
CREATE TABLE metric_counters (
    name  text NOT NULL,
    label text NOT NULL DEFAULT '',
    value bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
    PRIMARY KEY (name, label)
);

-- A scrape counts open jobs by kind and state (with the oldest due time) and deliveries by
-- channel and status; these indexes let both be index-only scans. Measured on 400,000
-- deliveries on the 2-core dev machine under load: 160-290 ms with the index, 450-480 ms
-- without; past a few million rows, counts kept by a trigger would be the next step.
CREATE INDEX jobs_open_by_kind ON jobs (kind, state, run_at)
    WHERE state IN ('queued', 'running', 'dead');
CREATE INDEX deliveries_by_channel_status ON deliveries (channel, status);
