-- An operator merges customer <from> into customer <into> (both of one business phone number): every
-- alias of <from> points at <into>, and what <from> had moves over where <into> has nothing of its
-- own. Consent is never lost: an opt-out of either stays. Refused while <from> has messages waiting,
-- so nothing queued for it runs after its state moved.
--
-- ARGV: P, business phone number id, from, into, n, n state key prefixes to carry over (e.g.
-- 'optout:'), the queue prefix of the inbound queue ('inbound:').
-- Returns {outcome, aliases moved}: outcome is merged, same, unknown_from, unknown_into, busy.
local P, number, from, into = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local n = tonumber(ARGV[5])
local inbound = ARGV[6 + n]
local A = P .. 'customers:' .. number .. ':aliases'
local CONFLICTS = P .. 'customers:' .. number .. ':conflicts'

if from == into then
  return { 'same', 0 }
end
local from_record, into_record = P .. 'customer:' .. from, P .. 'customer:' .. into
if redis.call('HGET', from_record, 'number') ~= number then
  return { 'unknown_from', 0 }
end
if redis.call('HGET', into_record, 'number') ~= number then
  return { 'unknown_into', 0 }
end
if redis.call('LLEN', P .. inbound .. 'conv:' .. from) > 0
    or redis.call('LLEN', P .. inbound .. 'conv:timer:' .. from) > 0 then
  return { 'busy', 0 }
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
redis.call('HSET', from_record, 'mergedInto', into)
local a, b = from, into
if b < a then
  a, b = b, a
end
redis.call('HDEL', CONFLICTS, a .. ' ' .. b)
return { 'merged', moved }
