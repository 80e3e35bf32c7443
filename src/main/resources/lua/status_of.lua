-- ARGV: P, retention_ms, wamid. The stored delivery status of a sent message (find_status in common.lua):
-- {rank, epoch seconds, error code, category, billable, pricing model} ('' for what it lacks), or
-- false when none is stored.
local P, retention, wamid = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local entry = find_status(P, wamid, retention, math.floor(now_ms() / DAY_MS))
if entry.rank == 0 then
  return false
end
return {tostring(entry.rank), entry.ts, entry.code, entry.category or '', entry.billable or '', entry.model or ''}
