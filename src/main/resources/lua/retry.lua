-- ARGV: P, queue, cid, id, token, delay_ms, reason, counted (1/0), max_attempts, unfinished (1/0).
-- Parks the conversation until now + delay. A counted failure on the last attempt dead-letters
-- the job instead. An outcome closes the attempt ('open', see claim.lua), except when it is handed
-- back unfinished: what it was doing outside Redis is then unknown. Returns 'lost', 'delayed' or 'dead'.
local P, q, cid, id, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local delay_ms, reason, counted, max_attempts = tonumber(ARGV[6]), ARGV[7], ARGV[8] == '1', tonumber(ARGV[9])
local unfinished = ARGV[10] == '1'
local Q = P .. q .. ':'
local held, earlier = holds_lease(Q, cid, token, id)
if not held then
  return 'lost'
end
local now = now_ms()
local job = Q .. 'job:' .. id
local attempts = tonumber(redis.call('HGET', job, 'attempts') or '0')
if not unfinished then
  redis.call('HDEL', job, 'open')
end
if counted and attempts >= max_attempts then
  bury(Q, cid, id, 'failed ' .. attempts .. ' attempts; last error: ' .. reason, now)
  release(Q, cid, earlier)
  return 'dead'
end
if not counted and attempts > 0 then
  redis.call('HINCRBY', job, 'attempts', -1)
end
-- The lease ends with the outcome: '' in the same HSET (see holds_lease).
redis.call('HSET', job, 'err', reason, 'lease', '')
end_lease(Q, cid, earlier)
redis.call('ZADD', Q .. 'delayed', now + delay_ms, cid)
return 'delayed'
