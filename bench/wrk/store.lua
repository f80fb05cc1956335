-- POST /memory/store, one message per request. Every body is unique (thread number +
-- per-thread counter), so the server stores a new message each time.
-- Arguments: user_id session_id
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")

local texts = {
  "I finally booked the trip to Lisbon for early May, and my sister Caroline wants to come along with the kids.",
  "We spent the afternoon fixing the leaking kitchen tap, although the landlord promised to send someone last week.",
  "My partner signed up for a pottery class at the community centre because the old hobby got boring.",
  "Grandma bought tickets for a jazz concert by the lake, so we need to plan dinner for six friends afterwards.",
}
local user, session
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  user = args[1] or "bench-store"
  session = args[2] or "w"
end

function request()
  counter = counter + 1
  local body = '{"user_id":"' .. user .. '","session_id":"' .. session ..
    '","messages":[{"role":"user","content":"' .. texts[counter % #texts + 1] ..
    ' (note ' .. thread_number .. '-' .. counter .. ')"}]}'
  return wrk.format("POST", "/memory/store", headers, body)
end
