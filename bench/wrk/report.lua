-- Shared by every bench script (loaded with dofile): numbers wrk's threads, rotates over
-- prepared requests, and prints one machine-readable line when wrk finishes. Latencies are in milliseconds. non2xx counts responses with status >= 400
-- (what wrk tracks without a per-response Lua callback, which would slow the client down);
-- bench/run.sh checks beforehand with curl that every route answers 200/201.
-- Each thread gets `thread_number` (1, 2, ...), for unique bodies and staggered rotations.
local next_thread = 1
function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

-- Scripts that fill `requests` (and may set `next_index`) in init() rotate over them; with
-- none, wrk's own request for the URL is sent.
requests = {}
next_index = 1
function request()
  if #requests == 0 then return wrk.request() end
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
    "max_ms=%.3f non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
