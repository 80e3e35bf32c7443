-- ARGV: P, queue, cid, id, token, lease_ms. Extends the lease; 0 when it was lost.
local P, q, cid, id, token, lease_ms = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local Q = P .. q .. ':'
if not holds_lease(Q, cid, token, id) then
  return 0
end
redis.call('ZADD', Q .. 'active', 'XX', now_ms() + lease_ms, cid)
return 1
