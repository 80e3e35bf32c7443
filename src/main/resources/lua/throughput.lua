-- KEYS[1]: the limiter key. ARGV: interval_us, max_wait_us.
-- GCRA as a reservation: every grant takes the next free slot, slots are interval_us apart on the Redis
-- clock, so every process sharing the key shares one budget and no two sends are closer than the
-- interval. Returns {1, wait_us, slot_us} (send after wait_us; slot_us is the slot on the Redis clock),
-- or {0, wait_us, slot_us} when the next free slot is further away than max_wait_us (nothing reserved).
local interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then
  slot = now
end
local wait = slot - now
if wait > max_wait then
  return {0, wait, string.format('%.0f', slot)}
end
local next_slot = slot + interval
-- %.0f: tostring() would write a 16-digit number in exponent form and lose microseconds.
redis.call('SET', KEYS[1], string.format('%.0f', next_slot), 'PX', math.floor((next_slot - now) / 1000) + 1000)
return {1, wait, string.format('%.0f', slot)}
