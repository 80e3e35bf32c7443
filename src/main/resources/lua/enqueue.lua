-- ARGV: P, queue, dedup_ms, handoff token ("" for none), lease_ms, handoff max, then (id, cid, payload,
-- id_time) per job, id_time the epoch second the id belongs to or "" (see NewJob.idTime).
-- Returns {ids newly stored, jobs handed off (id, cid each), Redis's time in ms}: up to handoff max
-- jobs that are their conversation's only one are leased at once under the token, for the caller's
-- consumer of this queue to run (see enqueue_one); the others go to the ready list. A handed job's payload is
-- not answered back: the caller has it (sending it back would cost its bytes twice and a parse).
local P, q, dedup_ms = ARGV[1], ARGV[2], tonumber(ARGV[3])
local Q = P .. q .. ':'
local now = now_ms()
local stored, handed = {}, {}
local handoff = hand_off(Q, ARGV[4], ARGV[5], ARGV[6], now)
local ok, failure = pcall(function()
  for i = 7, #ARGV, 4 do
    local result = enqueue_one(Q, ARGV[i], ARGV[i + 1], ARGV[i + 2], dedup_ms, now, tonumber(ARGV[i + 3]), handoff)
    if result > 0 then
      stored[#stored + 1] = ARGV[i]
    end
    if result == 2 then
      handed[#handed + 1] = ARGV[i]
      handed[#handed + 1] = ARGV[i + 1]
    end
  end
end)
if not ok then
  -- What was written of a job that failed part-way (a key of another type, changed by hand) is taken back, its dedupe
  -- mark included, so that the producer's next try (Meta redelivers a webhook answered 503) stores it once; the jobs
  -- stored before it stay stored, and are refused as duplicates then.
  unstore()
  return error_reply_of(failure)
end
return {stored, handed, tostring(now)}
