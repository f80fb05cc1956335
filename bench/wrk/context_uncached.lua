-- GET /memory/context/{user_id}?... with a different max_tokens on every request, so that
-- no request is served from the context cache: every pack is built from the database.
-- The budgets are all far above what 20 messages need, so the responses stay the same size.
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")

local counter = 0
function request()
  counter = counter + 1
  local budget = 10000 + thread_number * 400000 + counter % 190000  -- API maximum: 1,000,000
  return wrk.format("GET", wrk.path .. "&max_tokens=" .. budget)
end
