-- ARGV: P, queue, id. Moves a dead letter back to the end of its conversation, attempts reset.
local P, q, id = ARGV[1], ARGV[2], ARGV[3]
local Q = P .. q .. ':'
local dead = Q .. 'dead:' .. id
if redis.call('EXISTS', dead) == 0 then
  return 0
end
local job = Q .. 'job:' .. id
local cid = redis.call('HGET', dead, 'cid')
redis.call('RENAME', dead, job)
redis.call('HDEL', job, 'reason', 'dead_at', 'owner', 'lease')
redis.call('HSET', job, 'attempts', 0, 'err', 'replayed from the dead-letter queue')
redis.call('ZREM', Q .. 'dlq', id)
redis.call('RPUSH', Q .. 'conv:' .. cid, id)
redis.call('INCR', Q .. 'count')
make_ready(Q, cid)
return 1
