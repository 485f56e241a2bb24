-- Deliveries by channel and status, for GET /metrics.
SELECT channel, status, count(*) FROM deliveries GROUP BY channel, status ORDER BY channel, status
