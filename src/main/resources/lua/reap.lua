-- ARGV: P, limit, then the names of the queues to reap. Returns expired leases (a dead or stuck
-- consumer) and due retries to the ready list, queue by queue, reading the clock once for all of
-- them: one script run per reaper interval whatever the number of queues. Returns {expired, due}
-- per queue, in the order given.
local P, limit = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local out = {}
for i = 3, #ARGV do
  local Q = P .. ARGV[i] .. ':'
  local expired = redis.call('ZRANGEBYSCORE', Q .. 'active', '-inf', now, 'LIMIT', 0, limit)
  for _, cid in ipairs(expired) do
    -- The leased job is its conversation's first (claim.lua, enqueue_one): its lease ends here, so that the consumer
    -- that outlived it can no longer write an outcome; and an earlier version's, if that is where it is.
    local id = redis.call('LINDEX', Q .. 'conv:' .. cid, 0)
    if id then
      redis.call('HDEL', Q .. 'job:' .. id, 'lease')
    end
    release(Q, cid, true)
  end
  local due = redis.call('ZRANGEBYSCORE', Q .. 'delayed', '-inf', now, 'LIMIT', 0, limit)
  for _, cid in ipairs(due) do
    redis.call('ZREM', Q .. 'delayed', cid)
    make_ready_if_jobs(Q, cid)
  end
  out[#out + 1] = #expired
  out[#out + 1] = #due
end
return out
