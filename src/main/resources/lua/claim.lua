-- ARGV: P, queue, token, lease_ms, max_attempts.
-- Returns nil (nothing ready), {'paused', ms}, or
-- {'job', id, cid, payload, attempts, enq, now, result, last_error, in_doubt}.
-- A claim marks its job 'open' until an outcome is written (retry.lua clears it; ack deletes the job).
-- A job still open when claimed again was left by an attempt that died, lost Redis or ran out of its
-- lease: whatever it did outside Redis (a message sent) is unknown, so the job is marked in doubt
-- ('doubt'), until the handler settles it (settle_doubt.lua).
local P, q, token = ARGV[1], ARGV[2], ARGV[3]
local lease_ms, max_attempts = tonumber(ARGV[4]), tonumber(ARGV[5])
local Q = P .. q .. ':'
local now = now_ms()
local paused = tonumber(redis.call('GET', Q .. 'paused') or '0')
if paused > now then
  return {'paused', tostring(paused - now)}
end
for _ = 1, 16 do
  local cid = redis.call('LPOP', Q .. 'ready')
  if not cid then
    return nil
  end
  redis.call('SREM', Q .. 'ready-set', cid)
  local id = redis.call('LINDEX', Q .. 'conv:' .. cid, 0)
  if id then
    local job = Q .. 'job:' .. id
    if redis.call('EXISTS', job) == 0 then
      -- An id without its job (deleted by hand): drop it and look at the next one.
      redis.call('LPOP', Q .. 'conv:' .. cid)
      make_ready(Q, cid)
    else
      local attempts = redis.call('HINCRBY', job, 'attempts', 1)
      if attempts > max_attempts then
        -- Claimed max_attempts times without an outcome: each worker holding it died or timed out.
        bury(Q, cid, id, 'abandoned ' .. max_attempts .. ' times: the worker died or outlived its lease each time', now)
        make_ready(Q, cid)
      else
        redis.call('ZADD', Q .. 'active', now + lease_ms, cid)
        redis.call('HSET', Q .. 'leases', cid, token .. ':' .. id)
        local f = redis.call('HMGET', job, 'payload', 'enq', 'result', 'err', 'open', 'doubt')
        local in_doubt = f[5] == '1' or f[6] == '1'
        if in_doubt then
          redis.call('HSET', job, 'doubt', '1', 'open', '1')
        else
          redis.call('HSET', job, 'open', '1')
        end
        return {'job', id, cid, f[1], tostring(attempts), f[2] or '0', tostring(now), f[3] or '', f[4] or '',
          in_doubt and '1' or '0'}
      end
    end
  end
end
return nil
