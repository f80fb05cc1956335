-- GET of static files, rotated; the paths come as script arguments (wrk URL -- /a /b ...).
-- Without arguments it requests the URL's own path.
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")

function init(args)
  for _, path in ipairs(args) do
    requests[#requests + 1] = wrk.format("GET", path)
  end
  if #requests == 0 then requests[1] = wrk.format("GET", wrk.path) end
end
