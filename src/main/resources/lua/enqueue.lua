-- ARGV: P, queue, dedup_ms, then (id, cid, payload) per job. Returns the ids newly stored.
local P, q, dedup_ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local Q = P .. q .. ':'
local now = now_ms()
local stored = {}
for i = 4, #ARGV, 3 do
  if enqueue_one(Q, ARGV[i], ARGV[i + 1], ARGV[i + 2], dedup_ms, now) == 1 then
    stored[#stored + 1] = ARGV[i]
  end
end
return stored
