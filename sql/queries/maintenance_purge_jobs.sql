-- Drops finished jobs after a week; dead ones stay for an operator.
DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - interval '7 days'
