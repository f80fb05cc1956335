-- POST /memory/search in full-text mode, rotating over the queries given as arguments.
-- Arguments: user_id query [query ...] (plain words: no quotes or backslashes)
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")

local next_thread = 1
function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

local requests = {}
local next_index = 1

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for i = 2, #args do
    local body = '{"user_id":"' .. args[1] .. '","query":"' .. args[i] .. '","mode":"fulltext"}'
    requests[#requests + 1] = wrk.format("POST", "/memory/search", headers, body)
  end
  assert(#requests > 0, "search.lua: give user_id and at least one query")
  next_index = (thread_number - 1) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end
