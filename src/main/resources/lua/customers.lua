-- The alias map of one business phone number: every phone number ('p:'), BSUID ('u:') and parent
-- BSUID ('e:') of a customer points at the customer's conversation key. Keys (after P):
--   customers:<number>:aliases     hash  alias -> conversation key
--   customers:<number>:conflicts   hash  "<key> <key>" -> JSON {keys, count, first, last, bsuid, phone}
--   customer:<key>                 hash  the customer's current ids (phone, bsuid, parent, username), created,
--                                        retired:<phone> for each number they gave up
--   customer:<key>:ids             set   the aliases pointing at the customer (for an operator's merge)
-- Two customers who are both known are never merged here: an id that already belongs to another
-- customer stays where it is and the pair is recorded as a conflict for an operator to decide.
--
-- ARGV: P, business phone number id, n, n legacy key prefixes, then operations of 10 fields each:
--   'M' a message's sender:      bsuid, parent, phone, username, candidate key
--   'C' an identity change:      old bsuid, old parent, old phone, new bsuid, new parent, new phone,
--                                number changed ('1' or ''), username, candidate key
--   'L' a look-up (no change):   bsuid, parent, phone
-- Missing values are ''. Returns 7 values per operation: key, phone, bsuid, parent, username (the
-- customer's record afterwards, '' when unknown), outcome (known, linked, new, legacy, rotated,
-- conflict, found, unknown) and the other customer's key in a conflict ('').
local P, number = ARGV[1], ARGV[2]
local A = P .. 'customers:' .. number .. ':aliases'
local CONFLICTS = P .. 'customers:' .. number .. ':conflicts'
local n_legacy = tonumber(ARGV[3])
-- The clock and the aliases are read once, when first needed: a message from a known customer with
-- nothing new costs one alias read and one record read (HMGET), nothing else.
local now
local function clock()
  now = now or now_ms()
  return now
end
local aliases = {}

local function record(key)
  return P .. 'customer:' .. key
end

local function alias(kind, id)
  if id == '' then
    return false
  end
  local field = kind .. ':' .. id
  if aliases[field] == nil then
    aliases[field] = redis.call('HGET', A, field)
  end
  return aliases[field]
end

local function find(bsuid, parent, phone)
  return alias('u', bsuid) or alias('p', phone) or alias('e', parent)
end

-- A customer known by phone number before this version (state kept under the number itself) keeps
-- the number as key, so their conversation, consent and window carry over. Only a number no
-- customer record claims yet: a number someone gave up is never adopted by the next owner.
local function legacy_key(phone)
  if phone == '' or redis.call('EXISTS', record(phone)) == 1 then
    return false
  end
  for i = 1, n_legacy do
    if redis.call('EXISTS', P .. ARGV[3 + i] .. phone) == 1 then
      return phone
    end
  end
  return false
end

local function create(key)
  redis.call('HSETNX', record(key), 'created', clock())
  redis.call('HSET', record(key), 'number', number)
end

-- Points each id that has no alias yet at key. Returns how many it added, and the first other
-- customer one of the ids already belongs to ('' when none).
local function link(key, ids)
  local added, other = 0, ''
  for i = 1, #ids, 2 do
    local kind, id = ids[i], ids[i + 1]
    if id ~= '' then
      local field = kind .. ':' .. id
      local owner = alias(kind, id)
      if not owner then
        redis.call('HSET', A, field, key)
        aliases[field] = key
        redis.call('SADD', record(key) .. ':ids', field)
        added = added + 1
      elseif owner ~= key and other == '' then
        other = owner
      end
    end
  end
  return added, other
end

local function conflict(key, other, bsuid, phone)
  local a, b = key, other
  if b < a then
    a, b = b, a
  end
  local field = a .. ' ' .. b
  local found = redis.call('HGET', CONFLICTS, field)
  local c = found and cjson.decode(found) or { keys = { a, b }, first = clock(), count = 0 }
  c.count = c.count + 1
  c.last = clock()
  c.bsuid = bsuid
  c.phone = phone
  redis.call('HSET', CONFLICTS, field, cjson.encode(c))
end

-- The record keeps the customer's current ids: those given that belong to this customer. Returns the
-- fields written, as a list of name, value.
local function remember(key, bsuid, parent, phone, username, current)
  local fields = {}
  if bsuid ~= '' and alias('u', bsuid) == key then
    fields[#fields + 1] = 'bsuid'
    fields[#fields + 1] = bsuid
  end
  if parent ~= '' and alias('e', parent) == key then
    fields[#fields + 1] = 'parent'
    fields[#fields + 1] = parent
  end
  if phone ~= '' and alias('p', phone) == key then
    fields[#fields + 1] = 'phone'
    fields[#fields + 1] = phone
  end
  if username ~= '' then
    fields[#fields + 1] = 'username'
    fields[#fields + 1] = username
  end
  if current then
    -- Only what differs from the record as read (current: field -> value) is written.
    local changed = {}
    for i = 1, #fields, 2 do
      if current[fields[i]] ~= fields[i + 1] then
        changed[#changed + 1] = fields[i]
        changed[#changed + 1] = fields[i + 1]
      end
    end
    fields = changed
  end
  if #fields > 0 then
    redis.call('HSET', record(key), unpack(fields))
  end
  return fields
end

local out = {}

local ANSWERED = { 'phone', 'bsuid', 'parent', 'username' }

-- r: the record's phone, bsuid, parent and username as they are now; read when not given.
local function answer(key, outcome, other, r)
  r = r or redis.call('HMGET', record(key), unpack(ANSWERED))
  out[#out + 1] = key
  for i = 1, 4 do
    out[#out + 1] = r[i] or ''
  end
  out[#out + 1] = outcome
  out[#out + 1] = other
end

local function new_customer(phone, candidate)
  local key = legacy_key(phone)
  local outcome = key and 'legacy' or 'new'
  key = key or candidate
  create(key)
  return key, outcome
end

local function sender(bsuid, parent, phone, username, candidate)
  local key = find(bsuid, parent, phone)
  local outcome = 'known'
  if not key then
    key, outcome = new_customer(phone, candidate)
  end
  -- The record is read once: its ids for the answer, and whether the phone number was given up.
  local read = redis.call('HMGET', record(key), 'phone', 'bsuid', 'parent', 'username',
    phone ~= '' and 'retired:' .. phone or 'retired:')
  local current = {}
  for i, name in ipairs(ANSWERED) do
    current[name] = read[i]
  end
  -- A message sent before a number change and delivered after it must not bring the old number back.
  if phone ~= '' and read[5] then
    phone = ''
  end
  local added, other = link(key, { 'u', bsuid, 'p', phone, 'e', parent })
  if other ~= '' then
    conflict(key, other, bsuid, phone)
    outcome = 'conflict'
  elseif added > 0 and outcome == 'known' then
    outcome = 'linked'
  end
  local written = remember(key, bsuid, parent, phone, username, current)
  for i = 1, #written, 2 do
    current[written[i]] = written[i + 1]
  end
  answer(key, outcome, other, { current.phone, current.bsuid, current.parent, current.username })
end

local function change(old_bsuid, old_parent, old_phone, bsuid, parent, phone, number_changed, username, candidate)
  local key = find(old_bsuid, old_parent, old_phone) or find(bsuid, parent, phone)
  local outcome = 'rotated'
  if not key then
    key, outcome = new_customer(old_phone, candidate)
  end
  -- The old ids stay aliases (late webhooks still carry them), except a phone number given up.
  local old_phone_kept = number_changed == '1' and '' or old_phone
  link(key, { 'u', old_bsuid, 'e', old_parent, 'p', old_phone_kept })
  local _, other = link(key, { 'u', bsuid, 'e', parent, 'p', phone })
  if other ~= '' then
    conflict(key, other, bsuid, phone)
    outcome = 'conflict'
  end
  if number_changed == '1' and old_phone ~= '' and old_phone ~= phone then
    if alias('p', old_phone) == key then
      redis.call('HDEL', A, 'p:' .. old_phone)
      aliases['p:' .. old_phone] = false
      redis.call('SREM', record(key) .. ':ids', 'p:' .. old_phone)
    end
    if redis.call('HGET', record(key), 'phone') == old_phone then
      redis.call('HDEL', record(key), 'phone')
    end
    redis.call('HSET', record(key), 'retired:' .. old_phone, clock())
  end
  if phone ~= '' then
    redis.call('HDEL', record(key), 'retired:' .. phone) -- back to a number given up before
  end
  remember(key, bsuid, parent, phone, username)
  answer(key, outcome, other)
end

local function lookup(bsuid, parent, phone)
  local key = find(bsuid, parent, phone)
  if key then
    answer(key, 'found', '')
  else
    for _, v in ipairs({ '', '', '', '', '', 'unknown', '' }) do
      out[#out + 1] = v
    end
  end
end

for i = 4 + n_legacy, #ARGV, 10 do
  local op = ARGV[i]
  if op == 'M' then
    sender(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
  elseif op == 'C' then
    change(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8],
      ARGV[i + 9])
  else
    lookup(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
  end
end
return out
