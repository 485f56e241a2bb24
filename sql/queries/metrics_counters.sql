-- The counters pli-jobs keeps, for GET /metrics: family, label value, value.
SELECT name, label, value FROM metric_counters ORDER BY name, label
