-- ARGV: P, queue, cid, id, token. Settles a job claimed in doubt: returns {1, result} when a result
-- was recorded meanwhile (e.g. by a status webhook, status.lua), else clears the doubt, so that the
-- handler may do the work again, and returns {1, ''}. Returns {0} when the lease was lost.
local P, q, cid, id, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local Q = P .. q .. ':'
if not holds_lease(Q, cid, token, id) then
  return {0}
end
local job = Q .. 'job:' .. id
local result = redis.call('HGET', job, 'result') or ''
if result == '' then
  redis.call('HDEL', job, 'doubt')
end
return {1, result}
