-- ARGV: P, retention_ms, then (wamid, status, rank, timestamp, error_code, job_id, category, billable,
-- pricing_model, conversation_id) per status.
-- A status only ever moves forward (sent < delivered < read; failed is final): an older or repeated
-- report changes nothing. job_id is the send's biz_opaque_callback_data, Meta's proof that the outbound
-- job's message went out: when that job is still stored without a result (its sender died, or could
-- not record Meta's answer), the wamid becomes its result, so it is never sent again; a dead letter
-- too, so that replaying it does not send it again either.
-- Pricing (category non-empty) is kept with the status the first time a report of the message carries it
-- (sent, delivered and read each repeat it): then the totals per category (pricing:totals, fields
-- <category>:messages and <category>:billable) count the message once, and pricing:conversations:<category>
-- (a HyperLogLog) counts the conversation it belongs to.
-- Each status is stored compactly (find_status, store_status in common.lua): moved to today's bucket when
-- it changes, left where it is otherwise.
-- Returns {changed (1/0 per status), {job ids waiting in the queue that were given a result}, priced (1/0 per status)}.
local P, retention = ARGV[1], tonumber(ARGV[2])
local today = math.floor(now_ms() / DAY_MS)
local changed, settled, priced = {}, {}, {}
for i = 3, #ARGV, 10 do
  local entry, where = find_status(P, ARGV[i], retention, today)
  local rank = tonumber(ARGV[i + 2])
  local moved = false
  if rank > entry.rank and entry.rank ~= 4 then
    entry.rank, entry.ts, entry.code = rank, ARGV[i + 3], ARGV[i + 4]
    moved = true
    changed[#changed + 1] = 1
  else
    changed[#changed + 1] = 0
  end
  local category = ARGV[i + 6]
  if category ~= '' and not entry.category then
    entry.category, entry.billable, entry.model = category, ARGV[i + 7], ARGV[i + 8]
    moved = true
    redis.call('HINCRBY', P .. 'pricing:totals', category .. ':messages', 1)
    if ARGV[i + 7] == '1' then
      redis.call('HINCRBY', P .. 'pricing:totals', category .. ':billable', 1)
    end
    if ARGV[i + 9] ~= '' then
      redis.call('PFADD', P .. 'pricing:conversations:' .. category, ARGV[i + 9])
    end
    priced[#priced + 1] = 1
  else
    priced[#priced + 1] = 0
  end
  if moved then
    store_status(P, entry, where, retention)
  end
  local job_id = ARGV[i + 5]
  if job_id ~= '' then
    local job = P .. 'outbound:job:' .. job_id
    local dead = P .. 'outbound:dead:' .. job_id
    if redis.call('EXISTS', job) == 1 and (redis.call('HGET', job, 'result') or '') == '' then
      redis.call('HSET', job, 'result', ARGV[i])
      settled[#settled + 1] = job_id
    elseif redis.call('EXISTS', dead) == 1 and (redis.call('HGET', dead, 'result') or '') == '' then
      redis.call('HSET', dead, 'result', ARGV[i])
    end
  end
end
return {changed, settled, priced}
