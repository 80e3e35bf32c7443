-- ARGV: P, queue, cid, id, token, reason. Returns 1, or 0 when the lease was lost.
local P, q, cid, id, token, reason = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local Q = P .. q .. ':'
local held, earlier = holds_lease(Q, cid, token, id)
if not held then
  return 0
end
redis.call('HDEL', Q .. 'job:' .. id, 'open')
bury(Q, cid, id, reason, now_ms())
release(Q, cid, earlier)
return 1
