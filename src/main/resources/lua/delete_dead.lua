-- ARGV: P, queue, id. Deletes one dead letter for good (an operator's explicit decision).
local Q = ARGV[1] .. ARGV[2] .. ':'
redis.call('ZREM', Q .. 'dlq', ARGV[3])
return redis.call('DEL', Q .. 'dead:' .. ARGV[3])
