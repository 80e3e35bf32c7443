-- ARGV: P, queue, cid, id, token. The running attempt may have had an effect outside Redis that it
-- cannot confirm (a request that timed out may still have reached the Graph API): the next claim
-- reports the job in doubt. Returns 1, or 0 when the lease was lost.
local P, q, cid, id, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local Q = P .. q .. ':'
if not holds_lease(Q, cid, token, id) then
  return 0
end
redis.call('HSET', Q .. 'job:' .. id, 'doubt', '1')
return 1
