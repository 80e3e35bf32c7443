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

-- Stores one job unless its id was seen within the dedup window, or is still stored.
-- Returns 1 when stored.
local function enqueue_one(Q, id, cid, payload, dedup_ms, now)
  if redis.call('SET', Q .. 'dedup:' .. id, '1', 'NX', 'PX', dedup_ms) == false then
    return 0
  end
  if redis.call('EXISTS', Q .. 'job:' .. id, Q .. 'dead:' .. id) > 0 then
    return 0
  end
  redis.call('HSET', Q .. 'job:' .. id, 'payload', payload, 'cid', cid, 'attempts', 0, 'enq', now)
  -- A conversation is leased or delayed only while it has jobs (the leased or delayed job stays at the
  -- head of its list until an outcome removes it, and that outcome ends the lease), and one that has
  -- jobs is already ready, leased or delayed (every script that leaves jobs in a conversation puts it
  -- in one of the three). So only a conversation's first job makes it ready, and without the checks.
  if redis.call('RPUSH', Q .. 'conv:' .. cid, id) == 1 then
    make_ready(Q, cid, true, true)
  end
  redis.call('INCR', Q .. 'count')
  return 1
end

-- The lease a consumer holds on a conversation is "<token>:<job id>".
local function holds_lease(Q, cid, token, id)
  return redis.call('HGET', Q .. 'leases', cid) == token .. ':' .. id
end

-- Ends the lease and hands the conversation on if it has more jobs.
local function release(Q, cid)
  redis.call('ZREM', Q .. 'active', cid)
  redis.call('HDEL', Q .. 'leases', cid)
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
    redis.call('ZADD', Q .. 'dlq', now, id)
    redis.call('DECR', Q .. 'count')
  end
end
