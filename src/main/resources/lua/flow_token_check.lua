-- ARGV: P, token, mode ("check" or "complete"), conversation key and completing message id (for "complete").
-- Returns { verdict, conversation, flow, context, expires } with verdict one of valid, unknown, expired,
-- used, foreign. "complete" is the single use: only the conversation the token was issued to may
-- complete it, once, before it expires. The same completion message asking again (its job ran again
-- after a crash, before its commit) is told "valid" again: it is still that one use.
local key = ARGV[1] .. 'flowtoken:' .. ARGV[2]
local f = redis.call('HMGET', key, 'conv', 'flow', 'ctx', 'exp', 'state', 'usedby')
if not f[1] then
  return { 'unknown' }
end
local verdict = 'valid'
if f[5] == 'used' then
  if not (ARGV[3] == 'complete' and ARGV[5] ~= '' and f[6] == ARGV[5] and f[1] == ARGV[4]) then
    verdict = 'used'
  end
elseif tonumber(f[4]) <= now_ms() then
  verdict = 'expired'
elseif ARGV[3] == 'complete' then
  if f[1] ~= ARGV[4] then
    verdict = 'foreign'
  else
    redis.call('HSET', key, 'state', 'used', 'usedby', ARGV[5])
  end
end
return { verdict, f[1], f[2], f[3], f[4] }
