-- Adds to a counter of GET /metrics (lib/metric_counters.h): $1 family, $2 label value ('' when
-- the family has none), $3 how much.
INSERT INTO metric_counters (name, label, value) VALUES ($1, $2, $3::bigint)
ON CONFLICT (name, label) DO UPDATE SET value = metric_counters.value + EXCLUDED.value
