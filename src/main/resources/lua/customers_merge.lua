-- An operator merges customer <from> into customer <into> (both of one business phone number): every
-- alias of <from> points at <into>, and what <from> had moves over where <into> has nothing of its
-- own. Consent is never lost: an opt-out of either stays. Refused while <from> has messages waiting, or
-- dead-lettered (a replay would run them), so nothing queued for it runs after its state moved. <from> may be a
-- phone number still keyed from before BSUIDs, which then becomes an alias of <into>.
--
-- ARGV: P, business phone number id, from, into, n, n state key prefixes to carry over (e.g.
-- 'optout:'), the queue prefix of the inbound queue ('inbound:').
-- Returns {outcome, aliases moved}: outcome is merged, same, unknown_from, unknown_into, busy, dead_letters.
local P, number, from, into = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local n = tonumber(ARGV[5])
local inbound = ARGV[6 + n]
local A = P .. 'customers:' .. number .. ':aliases'
local CONFLICTS = P .. 'customers:' .. number .. ':conflicts'

if from == into then
  return { 'same', 0 }
end
local from_record, into_record = P .. 'customer:' .. from, P .. 'customer:' .. into

-- A customer of this number: one with a record, or a phone number that is still a key from before
-- BSUIDs (state under it, no record yet).
local function known(key, record)
  if redis.call('EXISTS', record) == 1 then
    return redis.call('HGET', record, 'number') == number
  end
  if not string.match(key, '^%d+$') then
    return false
  end
  for i = 1, n do
    if redis.call('EXISTS', P .. ARGV[5 + i] .. key) == 1 then
      return true
    end
  end
  return false
end

if not known(from, from_record) then
  return { 'unknown_from', 0 }
end
if not known(into, into_record) then
  return { 'unknown_into', 0 }
end
if redis.call('LLEN', P .. inbound .. 'conv:' .. from) > 0
    or redis.call('LLEN', P .. inbound .. 'conv:timer:' .. from) > 0 then
  return { 'busy', 0 }
end
-- A dead letter of <from> would be replayed into <from>'s conversation, after its state moved: it would be answered
-- as a stranger's (no state, no opt-out, no hand-off). The operator replays or deletes it first. A scan of the
-- dead-letter queue: an operator's rare request, and its dead letters are few.
for _, id in ipairs(redis.call('ZRANGE', P .. inbound .. 'dlq', 0, -1)) do
  local cid = redis.call('HGET', P .. inbound .. 'dead:' .. id, 'cid')
  if cid == from or cid == 'timer:' .. from then
    return { 'dead_letters', 0 }
  end
end

local moved = 0
for _, field in ipairs(redis.call('SMEMBERS', from_record .. ':ids')) do
  if redis.call('HGET', A, field) == from then
    redis.call('HSET', A, field, into)
    redis.call('SADD', into_record .. ':ids', field)
    moved = moved + 1
  end
end
redis.call('DEL', from_record .. ':ids')
-- A phone number kept as key from before BSUIDs has no alias yet: it becomes one of <into>.
if string.match(from, '^%d+$') and not redis.call('HGET', A, 'p:' .. from) then
  redis.call('HSET', A, 'p:' .. from, into)
  redis.call('SADD', into_record .. ':ids', 'p:' .. from)
  redis.call('HSETNX', into_record, 'phone', from)
  moved = moved + 1
end

-- State keys: when both have one, the one that lasts longer (the more recent conversation, window or
-- choice; an opt-out lasts for ever) wins; <from>'s moves over with its time to live.
for i = 1, n do
  local source, target = P .. ARGV[5 + i] .. from, P .. ARGV[5 + i] .. into
  local source_ttl = redis.call('PTTL', source)
  if source_ttl ~= -2 then
    local target_ttl = redis.call('PTTL', target)
    local longer = target_ttl == -2 or (target_ttl > 0 and (source_ttl == -1 or source_ttl > target_ttl))
    if longer then
      redis.call('SET', target, redis.call('GET', source))
      if source_ttl > 0 then
        redis.call('PEXPIRE', target, source_ttl)
      end
    end
    redis.call('DEL', source)
  end
end

for _, field in ipairs({ 'phone', 'bsuid', 'parent', 'username' }) do
  local value = redis.call('HGET', from_record, field)
  if value and redis.call('HEXISTS', into_record, field) == 0 then
    redis.call('HSET', into_record, field, value)
  end
end
redis.call('HSET', from_record, 'mergedInto', into, 'number', number)
local a, b = from, into
if b < a then
  a, b = b, a
end
redis.call('HDEL', CONFLICTS, a .. ' ' .. b)
return { 'merged', moved }
