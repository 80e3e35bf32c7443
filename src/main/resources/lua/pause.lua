-- ARGV: P, queue, ms. Stops claims from the queue for ms (never shortens a longer pause).
local P, q, ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local Q = P .. q .. ':'
local now = now_ms()
local current = tonumber(redis.call('GET', Q .. 'paused') or '0')
if now + ms > current then
  redis.call('SET', Q .. 'paused', now + ms, 'PX', ms)
end
return 1
