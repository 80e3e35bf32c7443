-- ARGV: P, queue. Returns {waiting, ready conversations, in flight, delayed, dead letters, oldest ready age ms}.
local Q = ARGV[1] .. ARGV[2] .. ':'
local now = now_ms()
local age = 0
local head = redis.call('LINDEX', Q .. 'ready', 0)
if head then
  local id = redis.call('LINDEX', Q .. 'conv:' .. head, 0)
  if id then
    local enq = tonumber(redis.call('HGET', Q .. 'job:' .. id, 'enq') or now)
    age = math.max(0, now - enq)
  end
end
return {
  tonumber(redis.call('GET', Q .. 'count') or '0'),
  redis.call('LLEN', Q .. 'ready'),
  redis.call('ZCARD', Q .. 'active'),
  redis.call('ZCARD', Q .. 'delayed'),
  redis.call('ZCARD', Q .. 'dlq'),
  age
}
