-- Shared by every bench script (loaded with dofile): prints one machine-readable line when
-- wrk finishes. Latencies are in milliseconds. non2xx counts responses with status >= 400
-- (what wrk tracks without a per-response Lua callback, which would slow the client down);
-- bench/run.sh checks beforehand with curl that every route answers 200/201.
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
