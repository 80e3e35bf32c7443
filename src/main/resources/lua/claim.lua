-- ARGV: P, queue, token, lease_ms, max_attempts, max_jobs (1 when absent).
-- Claims up to max_jobs conversations' next jobs in one call. Returns nil (nothing ready),
-- {'paused', ms}, or {'jobs', drained, now, then 8 fields per job: id, cid, payload, attempts, enq,
-- result, last_error, in_doubt}; drained is '1' when the ready list ran out, so the consumer can wait
-- for a wake-up instead of asking again for nothing.
-- A claim marks its job 'open' until an outcome is written (retry.lua clears it; ack deletes the job).
-- A job still open when claimed again was left by an attempt that died, lost Redis or ran out of its
-- lease: whatever it did outside Redis (a message sent) is unknown, so the job is marked in doubt
-- ('doubt'), until the handler settles it (settle_doubt.lua).
-- The ready list is read first: a claim that finds nothing costs LPOP and DEL besides the script run.
-- A claim that empties the ready list clears the wake-up tokens: they all stand for conversations
-- already claimed (see make_ready), and would only wake consumers to claim nothing.
local P, q, token = ARGV[1], ARGV[2], ARGV[3]
local lease_ms, max_attempts = tonumber(ARGV[4]), tonumber(ARGV[5])
local max_jobs = tonumber(ARGV[6] or '1')
local Q = P .. q .. ':'
local now
local out = {'jobs', '0', ''}
local claimed = 0
for _ = 1, max_jobs + 16 do
  if claimed >= max_jobs then
    break
  end
  local cid = redis.call('LPOP', Q .. 'ready')
  if not cid then
    out[2] = '1'
    redis.call('DEL', Q .. 'wake')
    break
  end
  if not now then
    now = now_ms()
    local paused = tonumber(redis.call('GET', Q .. 'paused') or '0')
    if paused > now then
      -- Back at the head, untouched: the pause only delays it.
      redis.call('LPUSH', Q .. 'ready', cid)
      return {'paused', tostring(paused - now)}
    end
    out[3] = tostring(now)
  end
  redis.call('SREM', Q .. 'ready-set', cid)
  local id = redis.call('LINDEX', Q .. 'conv:' .. cid, 0)
  if id then
    local job = Q .. 'job:' .. id
    local f = redis.call('HMGET', job, 'payload', 'enq', 'result', 'err', 'open', 'doubt', 'attempts')
    if not f[1] then
      -- An id without its job (deleted by hand): drop it and look at the next one.
      redis.call('LPOP', Q .. 'conv:' .. cid)
      make_ready_if_jobs(Q, cid)
    else
      local attempts = tonumber(f[7] or '0') + 1
      if attempts > max_attempts then
        -- Claimed max_attempts times without an outcome: each worker holding it died or timed out.
        redis.call('HSET', job, 'attempts', attempts)
        bury(Q, cid, id, 'abandoned ' .. max_attempts .. ' times: the worker died or outlived its lease each time', now)
        make_ready_if_jobs(Q, cid)
      else
        redis.call('ZADD', Q .. 'active', now + lease_ms, cid)
        local in_doubt = f[5] == '1' or f[6] == '1'
        if in_doubt then
          redis.call('HSET', job, 'attempts', attempts, 'open', '1', 'doubt', '1', 'lease', lease_of(token, attempts))
        else
          redis.call('HSET', job, 'attempts', attempts, 'open', '1', 'lease', lease_of(token, attempts))
        end
        local n = #out
        out[n + 1] = id
        out[n + 2] = cid
        out[n + 3] = f[1]
        out[n + 4] = tostring(attempts)
        out[n + 5] = f[2] or '0'
        out[n + 6] = f[3] or ''
        out[n + 7] = f[4] or ''
        out[n + 8] = in_doubt and '1' or '0'
        claimed = claimed + 1
      end
    end
  end
end
if claimed == 0 then
  return nil
end
return out
