-- ARGV: P, queue, cid, id, token, result. Stores what a side effect produced; 0 when the lease was lost.
local P, q, cid, id, token, result = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local Q = P .. q .. ':'
if not holds_lease(Q, cid, token, id) then
  return 0
end
redis.call('HSET', Q .. 'job:' .. id, 'result', result)
return 1
