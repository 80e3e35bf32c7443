-- KEYS[1]: the limiter key. ARGV: interval_us, max_wait_us, count (1 when absent), lead_us (0 when absent).
-- GCRA as a reservation: every grant takes the next free slot, slots are interval_us apart on the Redis
-- clock, so every process sharing the key shares one budget and no two sends are closer than the
-- interval. Up to count consecutive slots are taken in one call (the sends a process has waiting at once),
-- as many as lie within max_wait_us. Returns {granted, wait_us, slot_us}: the first granted slot is slot_us
-- on the Redis clock, wait_us from now, the others follow interval_us apart; granted is 0 when the next free
-- slot is further away than max_wait_us (nothing reserved; wait_us says how far). lead_us: no slot is handed
-- out earlier than that after now (a busy caller gets its answers that late; the spacing stays the same).
-- The slots a lead skips stay free for others: KEYS[1]:gap holds "<first>:<end>", free slots from first on,
-- interval_us apart, the last one at least interval_us before end (the slot the lead granted). A caller whose
-- whole batch fits there takes it from the gap; the next free slot after everything granted is unchanged. Without
-- it, one busy process's lead would delay every other process's sends (and its own unlagged ones) by the lead.
-- throughput_pause.lua deletes the gap: nothing is sent during a pause.
local interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local count = tonumber(ARGV[3] or '1')
local lead = tonumber(ARGV[4] or '0')
local gap_key = KEYS[1] .. ':gap'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
-- Free slots from first (interval apart) until before gap_end, kept until gap_end.
local function keep_gap(first, gap_end)
  redis.call('SET', gap_key, string.format('%.0f:%.0f', first, gap_end), 'PX', math.floor((gap_end - now) / 1000) + 1)
end
-- One read for both: the next free slot and the gap.
local stored = redis.call('MGET', KEYS[1], gap_key)
local gap = stored[2]
if gap then
  local first, gap_end = gap:match('^(%d+):(%d+)$')
  first, gap_end = math.max(tonumber(first), now + lead), tonumber(gap_end)
  if first + count * interval <= gap_end and first - now <= max_wait then
    local rest = first + count * interval
    if rest + interval <= gap_end then
      keep_gap(rest, gap_end)
    else
      redis.call('DEL', gap_key)
    end
    return {count, first - now, string.format('%.0f', first)}
  end
end
local slot = tonumber(stored[1] or '0')
local skipped = nil
if slot < now + lead then
  skipped = math.max(slot, now)
  slot = now + lead
end
local wait = slot - now
if wait > max_wait then
  return {0, wait, string.format('%.0f', slot)}
end
-- Only a lead that is granted leaves a gap: its end is the slot granted here.
if skipped and slot - skipped >= interval then
  keep_gap(skipped, slot)
end
local granted = math.min(count, math.floor((max_wait - wait) / interval) + 1)
local next_slot = slot + granted * interval
-- %.0f: tostring() would write a 16-digit number in exponent form and lose microseconds.
redis.call('SET', KEYS[1], string.format('%.0f', next_slot), 'PX', math.floor((next_slot - now) / 1000) + 1000)
return {granted, wait, string.format('%.0f', slot)}
