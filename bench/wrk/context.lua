-- GET /memory/context/{user_id}?... exactly as given in the URL.
dofile(os.getenv("LOCI_BENCH_WRK_DIR") .. "/report.lua")
