-- Shared by every queue script (prepended by the Java side).
-- Keys: P = key prefix with the hash tag (e.g. "wabot:{bot}:"), Q = P .. queue name .. ":".
-- All times come from Redis (TIME), never from the JVM, so any number of processes agree.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Puts a conversation in the ready list unless a consumer holds it, it waits for a retry time,
-- or it is already there. Leaves a wake-up token for blocked consumers. known_inactive: the caller
-- knows no consumer holds the conversation (release has just ended its lease; a conversation with no
-- jobs has no lease), so the active check would find nothing; known_idle: nor does it wait for a retry
-- (a conversation with no jobs never does).
-- The wake list is trimmed only once it is long (to 256 tokens when it passes 512): a token is a
-- wake-up, not data, and LPUSH answers the length, so a push costs one command rather than two even
-- while every consumer is busy and tokens pile up (then each finished job claims the next anyway).
local function make_ready(Q, cid, known_inactive, known_idle)
  if (not known_inactive and redis.call('ZSCORE', Q .. 'active', cid))
      or (not known_idle and redis.call('ZSCORE', Q .. 'delayed', cid)) then
    return 0
  end
  if redis.call('SADD', Q .. 'ready-set', cid) == 1 then
    redis.call('RPUSH', Q .. 'ready', cid)
    if redis.call('LPUSH', Q .. 'wake', '1') > 512 then
      redis.call('LTRIM', Q .. 'wake', 0, 255)
    end
    return 1
  end
  return 0
end

-- The same, only when the conversation still has jobs: a conversation without jobs must never be left in the
-- ready list, where it would outlive the next job's hand-off (see enqueue_one).
local function make_ready_if_jobs(Q, cid)
  if redis.call('LLEN', Q .. 'conv:' .. cid) > 0 then
    return make_ready(Q, cid)
  end
  return 0
end

-- Ids tied to a time (a WhatsApp message's timestamp, the same in every redelivery) are remembered
-- compactly: one hash per minute of that time and shard, field = 10 bytes of the id's SHA-1 (80 bits:
-- two ids of one minute and shard match by chance about once in 1e20 at 128 ids), expiring the dedup window after
-- the minute's end (plus an hour for the clocks of Meta, the webhook and Redis to disagree). A shard
-- stays a listpack up to Redis's hash-max-listpack-entries (512 by default), about 16-20 bytes an id,
-- so up to about 540 messages a second; beyond, a hash table of about 56 bytes an id, still less than
-- half of a key per id (90-130 bytes, and as many entries in Redis's key and expiry tables).
local SEEN_SHARDS = 64
local SEEN_MARGIN_MS = 3600000

local function hex_to_bytes(hex)
  return (hex:gsub('..', function(pair) return string.char(tonumber(pair, 16)) end))
end

-- Where an id is kept compactly: its field (10 bytes of its SHA-1) and its shard (from the byte before).
local function compact_id(id, shards)
  local sha = redis.sha1hex(id)
  return hex_to_bytes(sha:sub(3, 22)), tonumber(sha:sub(1, 2), 16) % shards
end

-- What enqueue_one has written so far for the job it is storing, until that job is stored: its dedupe mark
-- ({key} or {key, field}) and whether it has counted the job, pushed its id and written its hash. Redis keeps a
-- failed script's earlier writes, so a script that catches a failure part-way (ack.lua, enqueue.lua) takes them
-- back (unstore): the job, tried again, is then neither refused as a duplicate of itself nor counted twice, nor
-- left in its conversation's list unready. Each is taken back only if it was done, so that none of these can fail.
local storing = nil

local function unstore()
  local s = storing
  storing = nil
  if not s then
    return
  end
  if s.field then
    redis.call('HDEL', s.key, s.field)
  else
    redis.call('DEL', s.key)
  end
  if s.hashed then
    redis.call('DEL', s.Q .. 'job:' .. s.id)
  end
  if s.pushed then
    redis.call('LREM', s.Q .. 'conv:' .. s.cid, -1, s.id)
  end
  if s.counted then
    redis.call('DECR', s.Q .. 'count')
  end
end

-- The error reply for what a pcall caught: Redis's own error as it was, anything else as its text.
local function error_reply_of(failure)
  if type(failure) == 'table' and failure.err then
    return failure
  end
  return redis.error_reply(tostring(failure))
end

-- Remembers an id tied to at_s (epoch seconds). Returns true when it is new; nil when its minute's
-- hash would already have expired by Redis's clock (the caller then remembers the id on its own).
local function remember_timed_id(Q, id, at_s, dedup_ms, now)
  local minute = math.floor(at_s / 60)
  local expire_at = (minute + 1) * 60000 + dedup_ms + SEEN_MARGIN_MS
  if expire_at <= now then
    return nil
  end
  local field, shard = compact_id(id, SEEN_SHARDS)
  local key = Q .. 'seen:' .. minute .. ':' .. shard
  if redis.call('HSETNX', key, field, 1) == 0 then
    return false
  end
  storing = {key = key, field = field}
  redis.call('PEXPIREAT', key, expire_at)
  return true
end

-- The delivery status of a sent message (status.lua, status_of.lua) is one field of a hash per UTC day
-- (by Redis's clock) and shard: status:<day>:<shard>, field = compact_id(wamid), value = packed
-- "<rank>:<epoch s>[:<error code>[:<category>:<billable 1/0>:<pricing model>]]" (pricing once Meta
-- priced the message). An entry lives in the bucket of the day it last changed, which expires the
-- retention after that day's end: so it is kept at least the retention after its last change, at most a
-- day more. A day's shard stays a listpack up to Redis's hash-max-listpack-entries (512 by default): 256
-- shards hold 131,072 entries a day (about 1.5 replies a second) at about 37 bytes each, a hash table
-- beyond at about 75 (StatusMemoryTest). Versions before kept a hash per message, status:<wamid>:
-- still read, and replaced by the compact entry at its next change.
-- A retention beyond 7 days widens the buckets (status_width) so that a status is never looked for in more
-- than 8 of them: 53 days each for a year. The key then names the bucket's first day.
local STATUS_SHARDS = 256
local DAY_MS = 86400000
local STATUS_BUCKETS = 7

-- How many days one status bucket spans under this retention.
local function status_width(retention_ms)
  return math.max(1, math.ceil(retention_ms / (STATUS_BUCKETS * DAY_MS)))
end

local function status_bucket(P, day, shard)
  return P .. 'status:' .. day .. ':' .. shard
end

local function unpack_status(packed)
  local parts = {}
  for part in (packed .. ':'):gmatch('([^:]*):') do
    parts[#parts + 1] = part
  end
  return {rank = tonumber(parts[1]), ts = parts[2], code = parts[3] or '',
    category = parts[4], billable = parts[5], model = parts[6]}
end

local function pack_status(entry)
  local packed = entry.rank .. ':' .. entry.ts
  if entry.category then
    -- Meta's categories and models are words; a colon in one would shift the fields after it.
    return packed .. ':' .. entry.code .. ':' .. entry.category:gsub(':', '_') .. ':' .. entry.billable .. ':'
      .. entry.model:gsub(':', '_')
  elseif entry.code ~= '' then
    return packed .. ':' .. entry.code
  end
  return packed
end

-- The stored status of a wamid: {rank, ts, code, category, billable, model} (rank 0 when there is none),
-- with where it is: {field, shard, bucket (the key holding it, or nil), current (today's bucket: its first
-- day) and width (its days), legacy (the earlier version's status:<wamid> when it holds a part of it)}. Looks
-- in the buckets of today back to the oldest the retention keeps (8 for 7 days); an earlier version's hash is
-- merged in (the later status wins).
local function find_status(P, wamid, retention_ms, today)
  local field, shard = compact_id(wamid, STATUS_SHARDS)
  local width = status_width(retention_ms)
  local current = today - today % width
  local where = {field = field, shard = shard, current = current, width = width}
  local entry = {rank = 0, ts = '', code = ''}
  for day = current, current - width * math.ceil(retention_ms / (width * DAY_MS)), -width do
    local key = status_bucket(P, day, shard)
    local packed = redis.call('HGET', key, field)
    if packed then
      entry, where.bucket = unpack_status(packed), key
      break
    end
  end
  local legacy_key = P .. 'status:' .. wamid
  local legacy = redis.call('HGETALL', legacy_key)
  if #legacy > 0 then
    local old = {}
    for i = 1, #legacy, 2 do
      old[legacy[i]] = legacy[i + 1]
    end
    where.legacy = legacy_key
    if tonumber(old.rank or '0') > entry.rank then
      entry.rank, entry.ts, entry.code = tonumber(old.rank), old.ts or '', old.code or ''
    end
    if not entry.category and old.category then
      entry.category, entry.billable, entry.model = old.category, old.billable or '0', old.model or ''
    end
  end
  return entry, where
end

-- Stores a changed status in today's bucket (where find_status said), removing it from where it was.
local function store_status(P, entry, where, retention_ms)
  local key = status_bucket(P, where.current, where.shard)
  if where.bucket and where.bucket ~= key then
    redis.call('HDEL', where.bucket, where.field)
  end
  redis.call('HSET', key, where.field, pack_status(entry))
  redis.call('PEXPIREAT', key, (where.current + where.width) * DAY_MS + retention_ms)
  if where.legacy then
    redis.call('DEL', where.legacy)
  end
end

-- The 'lease' field of a job leased to token at its attempt'th attempt (see holds_lease).
local function lease_of(token, attempts)
  return token .. ':' .. attempts
end

-- Stores one job unless its id was seen within the dedup window, or is still stored. at_s: the time
-- the id is tied to, or nil. handoff: nil, or a consumer of this queue in the caller's process with free
-- slots ({token, lease_ms, left}, see hand_off): a job that is its conversation's only one is leased to it
-- at once, as a claim would (attempt 1, open), instead of going through the ready list; the caller answers
-- it, for that consumer to run. Returns 1 when stored, 2 when stored and handed off.
local function enqueue_one(Q, id, cid, payload, dedup_ms, now, at_s, handoff)
  storing = nil
  local timed = at_s and remember_timed_id(Q, id, at_s, dedup_ms, now)
  if timed == false then
    return 0
  end
  if timed then
    -- The id's own key is what versions before the compact form wrote: still checked, so that a message
    -- stored before an upgrade and redelivered after it is refused (those keys expire within the window).
    if redis.call('EXISTS', Q .. 'dedup:' .. id, Q .. 'job:' .. id, Q .. 'dead:' .. id) > 0 then
      storing = nil
      return 0
    end
  else
    if redis.call('SET', Q .. 'dedup:' .. id, '1', 'NX', 'PX', dedup_ms) == false then
      return 0
    end
    storing = {key = Q .. 'dedup:' .. id}
    if redis.call('EXISTS', Q .. 'job:' .. id, Q .. 'dead:' .. id) > 0 then
      storing = nil
      return 0
    end
  end
  storing.Q, storing.id, storing.cid = Q, id, cid
  redis.call('INCR', Q .. 'count')
  storing.counted = true
  -- A conversation is leased or delayed only while it has jobs (the leased or delayed job stays at the
  -- head of its list until an outcome removes it, and that outcome ends the lease), and one that has
  -- jobs is already ready, leased or delayed (every script that leaves jobs in a conversation puts it
  -- in one of the three). So only a conversation's first job makes it ready, and without the checks;
  -- and the same first job may be leased at once, since no one else can hold its conversation.
  local first = redis.call('RPUSH', Q .. 'conv:' .. cid, id) == 1
  storing.pushed = true
  -- A conversation still in the ready list (left there by a version that did not check, or by hand) would be
  -- claimed as well: its job then goes the ready list's way, never both.
  if first and handoff and handoff.left > 0 and redis.call('SISMEMBER', Q .. 'ready-set', cid) == 0 then
    redis.call('HSET', Q .. 'job:' .. id, 'payload', payload, 'cid', cid, 'attempts', 1, 'enq', now, 'open', '1',
      'lease', lease_of(handoff.token, 1))
    storing.hashed = true
    redis.call('ZADD', Q .. 'active', now + handoff.lease_ms, cid)
    handoff.left = handoff.left - 1
    storing = nil
    return 2
  end
  redis.call('HSET', Q .. 'job:' .. id, 'payload', payload, 'cid', cid, 'attempts', 0, 'enq', now)
  storing.hashed = true
  if first then
    make_ready(Q, cid, true, true)
  end
  storing = nil
  return 1
end

-- A hand-off to a consumer in the caller's process (see enqueue_one), or nil while the queue is paused (a
-- Graph API throughput pause: its jobs wait in the ready list as a claim would leave them).
local function hand_off(Q, token, lease_ms, max, now)
  if token == '' or tonumber(max) < 1 or tonumber(redis.call('GET', Q .. 'paused') or '0') > now then
    return nil
  end
  return {token = token, lease_ms = tonumber(lease_ms), left = tonumber(max)}
end

-- A consumer's lease on a conversation is its job's 'lease' field, "<token>:<attempt>" (set by claim.lua, or by
-- enqueue_one for a hand-off, in the same HSET as the attempt), with the lease's deadline in <queue>:active: held
-- while both stand. An outcome ends the lease, and so does the reaper (it deletes the field; a retry writes '').
-- A version before a658025 kept leases in a hash of its own, <queue>:leases ("<token>:<job id>"), and knows nothing
-- of the field: during a rolling upgrade its reaper ends an expired lease without deleting the field, and so does
-- its retry of a job it claimed since. Both remove the conversation from <queue>:active, and its claim, the only
-- way back there, counts the attempt, so the first holder's field is stale either way and that holder writes
-- nothing. A lease taken in <queue>:leases is still honoured. leased_to is the field's (or that hash's) half of the
-- check: it returns whether the caller is the one named, and whether in <queue>:leases (release then removes it).
local function leased_to(Q, cid, token, id)
  local f = redis.call('HMGET', Q .. 'job:' .. id, 'lease', 'attempts')
  if f[1] then
    return f[1] == lease_of(token, f[2] or '0'), false
  end
  return redis.call('HGET', Q .. 'leases', cid) == token .. ':' .. id, true
end

-- Whether the caller holds the lease (see above), and whether it is one in <queue>:leases. ack.lua checks the
-- deadline with the ZREM that ends it instead.
local function holds_lease(Q, cid, token, id)
  local held, earlier = leased_to(Q, cid, token, id)
  return held and (earlier or redis.call('ZSCORE', Q .. 'active', cid) ~= false), earlier
end

-- Ends the conversation's lease: its deadline, and an earlier version's entry when it is one (holds_lease). The
-- job's field is the caller's to clear where the job stays (retry, the reaper); a deleted or buried job takes it along.
local function end_lease(Q, cid, earlier)
  redis.call('ZREM', Q .. 'active', cid)
  if earlier then
    redis.call('HDEL', Q .. 'leases', cid)
  end
end

-- Ends the lease (end_lease; its deadline already when deadline_ended) and hands the conversation on if it has more jobs.
local function release(Q, cid, earlier, deadline_ended)
  if not deadline_ended then
    end_lease(Q, cid, earlier)
  end
  if redis.call('LLEN', Q .. 'conv:' .. cid) > 0 then
    make_ready(Q, cid, true)
  end
end

-- Removes a job id from the head of its conversation (where a claimed job always is): one LPOP in
-- that common case; anything else popped is put back in its place before the id is removed elsewhere.
local function pop_job(Q, cid, id)
  local conv = Q .. 'conv:' .. cid
  local head = redis.call('LPOP', conv)
  if head and head ~= id then
    redis.call('LPUSH', conv, head)
    redis.call('LREM', conv, 1, id)
  end
end

-- Moves a job to the dead-letter queue with its reason. The dead-letter queue is never trimmed.
local function bury(Q, cid, id, reason, now)
  pop_job(Q, cid, id)
  local job = Q .. 'job:' .. id
  local dead = Q .. 'dead:' .. id
  if redis.call('EXISTS', job) == 1 then
    redis.call('RENAME', job, dead)
    redis.call('HSET', dead, 'reason', reason, 'dead_at', now)
    -- A dead letter has no lease: a replay by a version that does not know the field would leave it standing.
    redis.call('HDEL', dead, 'lease')
    redis.call('ZADD', Q .. 'dlq', now, id)
    redis.call('DECR', Q .. 'count')
  end
end
