-- ARGV: P, token, conversation key, flow name, context JSON, ttl_ms, keep_ms.
-- Stores a flow token the bot hands out with a flow message. It is kept keep_ms beyond its expiry so
-- that a late use can be told apart ("expired") from a token the bot never issued ("unknown").
-- Returns the expiry (ms, Redis clock), or 0 when the token exists already.
local key = ARGV[1] .. 'flowtoken:' .. ARGV[2]
local ttl = tonumber(ARGV[6])
if redis.call('EXISTS', key) == 1 then
  return 0
end
local expires = now_ms() + ttl
redis.call('HSET', key, 'conv', ARGV[3], 'flow', ARGV[4], 'ctx', ARGV[5], 'exp', expires, 'state', 'open')
redis.call('PEXPIRE', key, ttl + tonumber(ARGV[7]))
return expires
