-- KEYS[1]: the limiter key. ARGV: interval_us, max_wait_us, count (1 when absent), lead_us (0 when absent).
-- GCRA as a reservation: every grant takes the next free slot, slots are interval_us apart on the Redis
-- clock, so every process sharing the key shares one budget and no two sends are closer than the
-- interval. Up to count consecutive slots are taken in one call (the sends a process has waiting at once),
-- as many as lie within max_wait_us. Returns {granted, wait_us, slot_us}: the first granted slot is slot_us
-- on the Redis clock, wait_us from now, the others follow interval_us apart; granted is 0 when the next free
-- slot is further away than max_wait_us (nothing reserved; wait_us says how far). lead_us: no slot is handed
-- out earlier than that after now (a busy caller gets its answers that late; the spacing stays the same).
local interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local count = tonumber(ARGV[3] or '1')
local lead = tonumber(ARGV[4] or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now + lead then
  slot = now + lead
end
local wait = slot - now
if wait > max_wait then
  return {0, wait, string.format('%.0f', slot)}
end
local granted = math.min(count, math.floor((max_wait - wait) / interval) + 1)
local next_slot = slot + granted * interval
-- %.0f: tostring() would write a 16-digit number in exponent form and lose microseconds.
redis.call('SET', KEYS[1], string.format('%.0f', next_slot), 'PX', math.floor((next_slot - now) / 1000) + 1000)
return {granted, wait, string.format('%.0f', slot)}
