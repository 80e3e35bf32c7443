-- ARGV: P, now_ms, retention_ms, max, then one JSON entry per skipped object.
-- Keeps what the webhook could not turn into work where an operator finds it (GET /admin/skipped),
-- newest first, for retention_ms and at most max entries. Returns how many are kept.
local key = ARGV[1] .. 'webhook:skipped'
local now, retention, max = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 5, #ARGV do
  redis.call('ZADD', key, now, ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - retention)
redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
redis.call('PEXPIRE', key, retention)
return redis.call('ZCARD', key)
