-- ARGV: P, queue, limit. Returns expired leases (a dead or stuck consumer) and due retries to the
-- ready list. Returns {expired, due}.
local P, q, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local Q = P .. q .. ':'
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', Q .. 'active', '-inf', now, 'LIMIT', 0, limit)
for _, cid in ipairs(expired) do
  release(Q, cid)
end
local due = redis.call('ZRANGEBYSCORE', Q .. 'delayed', '-inf', now, 'LIMIT', 0, limit)
for _, cid in ipairs(due) do
  redis.call('ZREM', Q .. 'delayed', cid)
  if redis.call('LLEN', Q .. 'conv:' .. cid) > 0 then
    make_ready(Q, cid)
  end
end
return {#expired, #due}
