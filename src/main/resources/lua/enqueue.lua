-- ARGV: P, queue, dedup_ms, then (id, cid, payload, id_time) per job, id_time the epoch second the id
-- belongs to or "" (see NewJob.idTime). Returns the ids newly stored.
local P, q, dedup_ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local Q = P .. q .. ':'
local now = now_ms()
local stored = {}
for i = 4, #ARGV, 4 do
  if enqueue_one(Q, ARGV[i], ARGV[i + 1], ARGV[i + 2], dedup_ms, now, tonumber(ARGV[i + 3])) == 1 then
    stored[#stored + 1] = ARGV[i]
  end
end
return stored
