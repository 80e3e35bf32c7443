-- ARGV: P, queue, cid, id, token, then effects:
--   'H', queue, token, lease_ms, max         hand off up to max of the jobs enqueued to queue (see enqueue_one)
--                                            to the caller's consumer of it, under token; before its 'E's
--   'E', queue, id, cid, payload, dedup_ms   enqueue a job (deduplicated by id for dedup_ms)
--   'P', key, value, ttl_ms        set a key relative to P (ttl 0: no expiry)
--   'D', key                       delete a key relative to P
-- Everything happens or nothing does. Returns {0} when the lease was lost (nothing applied), else {1, the
-- names of the queues whose consumers should look for new work, the jobs handed off (queue, id, cid each: the
-- caller has their payloads), Redis's time in ms}.
local P, q, cid, id, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local Q = P .. q .. ':'
-- A lease in the job's field stands only while its deadline does (holds_lease): the ZREM that ends the deadline,
-- which release would run anyway, is that check here.
local held, earlier = leased_to(Q, cid, token, id)
if not held or (not earlier and redis.call('ZREM', Q .. 'active', cid) == 0) then
  return {0}
end
-- The clock is read only when a job is enqueued (its 'enq' time): most acks enqueue nothing.
local now
local touched, handoffs, handed = {}, {}, {}
-- The ARGV fields of each kind of effect, its letter included.
local WIDTH = {E = 6, H = 5, P = 4, D = 2}

-- Calls on(kind, i) for each effect whose kind is in kinds, in the order given (i: its letter's index in ARGV). An
-- unknown kind fails the commit.
local function each_effect(kinds, on)
  local i = 6
  while i <= #ARGV do
    local kind = ARGV[i]
    local width = WIDTH[kind]
    if not width then
      error({err = 'unknown effect ' .. tostring(kind)})
    end
    if kinds[kind] then
      on(kind, i)
    end
    i = i + width
  end
end

local function store_job(kind, i)
  now = now or now_ms()
  if kind == 'H' then
    handoffs[ARGV[i + 1]] = hand_off(P .. ARGV[i + 1] .. ':', ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], now)
    return
  end
  local target = ARGV[i + 1]
  local stored = enqueue_one(P .. target .. ':', ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], tonumber(ARGV[i + 5]), now, nil,
    handoffs[target])
  if stored == 1 then
    touched[target] = true
  elseif stored == 2 then
    handed[#handed + 1] = target
    handed[#handed + 1] = ARGV[i + 2]
    handed[#handed + 1] = ARGV[i + 3]
  end
end

local function write_key(kind, i)
  if kind == 'D' then
    redis.call('DEL', P .. ARGV[i + 1])
    return
  end
  local ttl = tonumber(ARGV[i + 3])
  if ttl > 0 then
    redis.call('SET', P .. ARGV[i + 1], ARGV[i + 2], 'PX', ttl)
  else
    redis.call('SET', P .. ARGV[i + 1], ARGV[i + 2])
  end
end

-- Jobs first ('H', 'E'), then the keys ('P', 'D', in their order): SET and DEL cannot fail, so an effect that fails
-- (below) leaves the keys as they were, for the job to run again from the same state.
local function apply()
  each_effect({H = true, E = true}, store_job)
  each_effect({P = true, D = true}, write_key)
  pop_job(Q, cid, id)
  if redis.call('DEL', Q .. 'job:' .. id) == 1 then
    redis.call('DECR', Q .. 'count')
  end
  release(Q, cid, earlier, not earlier)
end
-- Redis does not undo a script's writes when it fails: an effect that raises (a key of another type, changed by
-- hand) would leave what ran before it, and the lease's deadline already gone, in no list the reaper or a claim
-- looks at. So the deadline goes back as due, and what was written of the failing job is taken back (unstore; jobs
-- stored before it stay stored, and are refused as duplicates when the commit is tried again): the acknowledgement,
-- tried again, stores the job or fails the same way, and the reaper gives the job back to run again, from the same
-- state, until its attempts are spent and it is a dead letter (each failure logged as job.outcome_unwritten).
local ok, failure = pcall(apply)
if not ok then
  if not earlier then
    redis.call('ZADD', Q .. 'active', now_ms(), cid)
  end
  unstore()
  return error_reply_of(failure)
end
local names = {}
for name, _ in pairs(touched) do
  names[#names + 1] = name
end
return {1, names, handed, tostring(now or 0)}
