-- ARGV: P, queue. Milliseconds left in a pause, 0 when none.
local Q = ARGV[1] .. ARGV[2] .. ':'
local left = tonumber(redis.call('GET', Q .. 'paused') or '0') - now_ms()
if left < 0 then
  return 0
end
return left
