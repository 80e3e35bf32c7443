-- ARGV: P, retention_ms, then (wamid, status, rank, timestamp, error_code) per status.
-- A status only ever moves forward (sent < delivered < read; failed is final): an older or repeated
-- report changes nothing. Returns 1/0 per status: whether it changed the stored one.
local P, retention = ARGV[1], tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 5 do
  local key = P .. 'status:' .. ARGV[i]
  local rank = tonumber(ARGV[i + 2])
  local current = tonumber(redis.call('HGET', key, 'rank') or '0')
  if rank > current and current ~= 4 then
    redis.call('HSET', key, 'status', ARGV[i + 1], 'rank', rank, 'ts', ARGV[i + 3], 'code', ARGV[i + 4])
    redis.call('PEXPIRE', key, retention)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
