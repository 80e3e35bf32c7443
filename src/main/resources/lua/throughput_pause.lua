-- KEYS[1]: a number's limiter key (see throughput.lua). ARGV: pause_us.
-- Meta's throughput limit (130429) for this number: its next free slot moves to now + pause_us (never
-- earlier than it already is), so every process sharing the key holds this number's sends for the pause
-- while other numbers, with keys of their own, go on. The free slots a busy caller's lead skipped
-- (KEYS[1]:gap, see throughput.lua) are given up: they would let sends through during the pause.
local pause = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('DEL', KEYS[1] .. ':gap')
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now + pause then
  slot = now + pause
  redis.call('SET', KEYS[1], string.format('%.0f', slot), 'PX', math.floor(pause / 1000) + 1000)
end
return 1
