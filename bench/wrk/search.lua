-- POST /memory/search in full-text mode, rotating over the queries given as arguments.
-- Arguments: user_id query [query ...] (plain words: no quotes or backslashes)
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for i = 2, #args do
    local body = '{"user_id":"' .. args[1] .. '","query":"' .. args[i] .. '","mode":"fulltext"}'
    requests[#requests + 1] = wrk.format("POST", "/memory/search", headers, body)
  end
  assert(#requests > 0, "search.lua: give user_id and at least one query")
  next_index = (thread_number - 1) % #requests + 1
end
