#!/usr/bin/env bash
# Loci HTTP benchmarks. Each Loci route is measured with wrk next to nginx serving a static
# file of the same byte size, in the same run on the same machine, and reported as a ratio.
# Usage: bench/run.sh [BUILD_DIR]      (make bench does this after building)
# Settings (environment): BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
#   BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_SEED_MESSAGES (240), LOCI_BIN,
#   LOCI_PLAINTEXT_BIN (the bench build's server with sealing off, for the encryption cost),
#   BENCH_KEEP_TMP=1 keeps the temporary directory (logs, wrk output) for inspection.
# Exit status: 0 when every benchmark ran cleanly, even if a target was missed (this is a
# measurement); 1 when the bench itself failed (setup error, non-2xx, socket errors).
# All load goes to 127.0.0.1; every wrk run is bounded in time.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${1:-build}
loci_bin=${LOCI_BIN:-$build_dir/loci}
[[ $loci_bin == /* ]] || loci_bin=$PWD/$loci_bin
plain_bin=${LOCI_PLAINTEXT_BIN:-$build_dir/loci_plaintext}
[[ $plain_bin == /* ]] || plain_bin=$PWD/$plain_bin
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-2}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
seed_messages=${BENCH_SEED_MESSAGES:-240}
cores=$(nproc)
clk_tck=$(getconf CLK_TCK)

# The corpus user, its session, the store user and the rotated full-text queries.
seed_user=bench
seed_session=s1
store_user=bench-store
store_session=w
context_path="/memory/context/$seed_user?session_id=$seed_session&max_messages=20"
search_queries=("trip to Lisbon" "jazz concert" "sourdough starter" "hiking in the mountains"
  "kitchen tap" "secondhand camera")

die() {
  echo "bench: FAILED: $*" >&2
  exit 1
}

for tool in wrk curl awk; do
  command -v "$tool" >/dev/null || die "$tool not found (make bench installs it)"
done
nginx_bin=$(command -v nginx || true)
if [ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ]; then nginx_bin=/usr/sbin/nginx; fi
[ -n "$nginx_bin" ] || die "nginx not found (make bench installs it)"
[ -x "$loci_bin" ] || die "no server binary at $loci_bin (build first: make build)"
[ -x "$plain_bin" ] || die "no plaintext server at $plain_bin (build first: make build)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loci-bench.XXXXXX")
export LOCI_BENCH_WRK_DIR=$bench_dir/wrk
loci_pid=""
plain_pid=""
nginx_pid=""

# Stops one process this script started: TERM, up to 5 s, then KILL.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$loci_pid"
  stop_pid "$plain_pid"
  stop_pid "$nginx_pid"
  if [ "$status" -ne 0 ]; then
    for log in "$tmp/loci/stderr" "$tmp/nginx/logs/error.log"; do
      if [ -s "$log" ]; then
        echo "--- last lines of $log" >&2
        tail -n 15 "$log" >&2
      fi
    done
  fi
  if [ -n "${BENCH_KEEP_TMP:-}" ]; then
    echo "bench: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------
# nginx: a generated minimal config, non-daemon, on a free loopback port.

start_nginx() {
  local dir=$tmp/nginx port attempt user_line=""
  mkdir -p "$dir/www" "$dir/temp" "$dir/logs"
  echo ok >"$dir/www/ping.txt"
  # Workers run as the master's user; otherwise root's workers become nobody and cannot
  # read the 0700 temporary directory.
  [ "$(id -u)" -ne 0 ] || user_line="user root;"
  for attempt in $(seq 10); do
    port=$(shuf -i 20000-60999 -n 1)
    if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then continue; fi
    cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes $cores;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  default_type application/json;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  client_body_temp_path $dir/temp/client_body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location / { }
  }
}
EOF
    "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" </dev/null \
      >"$dir/logs/stdout" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 50); do
      if ! kill -0 "$nginx_pid" 2>/dev/null; then break; fi
      if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
        "http://127.0.0.1:$port/ping.txt" || true)" = 200 ]; then
        nginx_port=$port
        return 0
      fi
      sleep 0.1
    done
    stop_pid "$nginx_pid"
    nginx_pid=""
    echo "bench: nginx did not come up on port $port (attempt $attempt), retrying" >&2
  done
  die "could not start nginx (see $dir/logs/error.log)"
}

# ---------------------------------------------------------------------------------------
# Loci: temporary data dir, working directory in the temp dir (it reads ./.env), no LOCI_*
# settings inherited from the caller (development mode, defaults).

# start_loci [BINARY [NAME]]: the server binary (default: loci itself), its folder under $tmp
# (default: loci). Sets loci_pid and loci_port.
start_loci() {
  local bin=${1:-$loci_bin} dir=$tmp/${2:-loci} line=""
  mkdir -p "$dir/data"
  (
    cd "$dir"
    for var in $(compgen -e); do
      if [[ $var == LOCI_* ]]; then unset "$var"; fi
    done
    export LOCI_LISTEN=127.0.0.1:0 LOCI_DATA_DIR="$dir/data"
    exec "$bin" serve </dev/null >"$dir/stdout" 2>"$dir/stderr"
  ) &
  loci_pid=$!
  for _ in $(seq 300); do
    kill -0 "$loci_pid" 2>/dev/null || die "loci exited during start-up"
    line=$(head -n 1 "$dir/stdout" 2>/dev/null || true)
    if [[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]]; then
      loci_port=${BASH_REMATCH[1]}
      return 0
    fi
    sleep 0.1
  done
  die "loci did not print its listening line within 30 s"
}

# request METHOD URL BODY_FILE|"" OUT_FILE -> prints the HTTP status
request() {
  local method=$1 url=$2 body=$3 out=$4
  local args=(-sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "@$body"); fi
  curl "${args[@]}" "$url" || echo 000
}

# ---------------------------------------------------------------------------------------
# CPU accounting around each wrk run: ticks used by loci and nginx (all threads/workers),
# by wrk (its rusage), and by everything else on the machine (other builds, tests...).

proc_ticks() {
  local total=0 pid line rest
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    line=$(<"/proc/$pid/stat") || continue
    rest=${line##*) }
    # shellcheck disable=SC2086
    set -- $rest
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

machine_ticks() { # prints "busy total"
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

nginx_pids() { echo "$nginx_pid" "$(pgrep -P "$nginx_pid" | tr "\n" " " || true)"; }

field() { # field NAME LINE
  local value
  value=$(sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2")
  [ -n "$value" ] || die "no $1 in wrk result: $2"
  echo "$value"
}

calc() { awk "BEGIN { printf \"%s\", $1 }"; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) printf "0"; else printf "%s", a / b }'; }

declare -A res_rps res_p50 res_p99 res_cpu res_load res_us

# run_wrk NAME SCRIPT URL [SCRIPT ARGS...]: a warm-up, then the measured run.
run_wrk() {
  local name=$1 script=$2 url=$3
  shift 3
  local out=$tmp/wrk-$name line
  local wrk_args=(-t"$threads" -c"$connections" --timeout 2s --latency -s "$bench_dir/wrk/$script" "$url")
  [ $# -eq 0 ] || wrk_args+=(-- "$@")

  if [ "$warmup" -gt 0 ]; then
    timeout $((warmup + 30)) wrk -d"${warmup}s" "${wrk_args[@]}" >"$out.warmup" 2>&1 ||
      die "wrk warm-up for $name failed: $(tail -n 3 "$out.warmup")"
    check_errors "$name (warm-up)" "$(grep '^WRK_RESULT' "$out.warmup" || true)"
  fi

  local load loci_before nginx_before machine_before loci_after nginx_after machine_after
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  loci_before=$(proc_ticks "$loci_pid")
  # shellcheck disable=SC2046
  nginx_before=$(proc_ticks $(nginx_pids))
  machine_before=$(machine_ticks)
  local TIMEFORMAT='%3U %3S'
  { time timeout $((duration + 30)) wrk -d"${duration}s" "${wrk_args[@]}" >"$out.txt" 2>&1; } \
    2>"$out.time" || die "wrk for $name failed: $(tail -n 3 "$out.txt")"
  loci_after=$(proc_ticks "$loci_pid")
  # shellcheck disable=SC2046
  nginx_after=$(proc_ticks $(nginx_pids))
  machine_after=$(machine_ticks)

  line=$(grep '^WRK_RESULT' "$out.txt" || true)
  [ -n "$line" ] || die "wrk for $name printed no result: $(tail -n 5 "$out.txt")"
  check_errors "$name" "$line"

  local seconds wrk_cpu_s
  seconds=$(field duration_s "$line")
  wrk_cpu_s=$(awk '{ print $1 + $2 }' "$out.time")
  res_rps[$name]=$(field rps "$line")
  res_p50[$name]=$(field p50_ms "$line")
  res_p99[$name]=$(field p99_ms "$line")
  res_load[$name]=$load
  # Server CPU per request (loci's or nginx's, whichever served this run): less sensitive
  # than req/s to whatever else is running on the machine.
  local server_ticks=$((loci_after - loci_before))
  [[ $name != nginx-* ]] || server_ticks=$((nginx_after - nginx_before))
  res_us[$name]=$(div "$(calc "$server_ticks / $clk_tck * 1000000")" "$(field requests "$line")")
  # CPU as % of one core over the run; "other" is whatever else ran on the machine.
  read -r mb0 mt0 <<<"$machine_before"
  read -r mb1 mt1 <<<"$machine_after"
  res_cpu[$name]=$(awk -v s="$seconds" -v hz="$clk_tck" -v cores="$cores" \
    -v loci=$((loci_after - loci_before)) -v nginx=$((nginx_after - nginx_before)) \
    -v wrk="$wrk_cpu_s" -v busy=$((mb1 - mb0)) -v total=$((mt1 - mt0)) 'BEGIN {
      pl = loci / hz / s * 100; pn = nginx / hz / s * 100; pw = wrk / s * 100
      pb = total > 0 ? busy / total * cores * 100 : 0
      po = pb - pl - pn - pw; if (po < 0) po = 0
      printf "loci %3.0f%%  nginx %3.0f%%  wrk %3.0f%%  other %3.0f%%  (machine busy %3.0f%% of %d%%)",
        pl, pn, pw, po, pb, cores * 100 }')
  printf '  %-22s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms   load %s\n' "$name" \
    "${res_rps[$name]}" "${res_p50[$name]}" "${res_p99[$name]}" "$load"
  printf '  %-22s cpu: %s\n' "" "${res_cpu[$name]}"
}

check_errors() { # check_errors NAME WRK_RESULT_LINE
  local name=$1 line=$2 key value problems=""
  [ -n "$line" ] || die "wrk for $name printed no result"
  for key in non2xx connect_errors read_errors write_errors timeouts; do
    value=$(field "$key" "$line")
    [ "$value" -eq 0 ] || problems+=" $key=$value"
  done
  [ -z "$problems" ] || die "$name:$problems ($line)"
}

# ---------------------------------------------------------------------------------------

echo "== Loci bench: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "   machine: $cores cores, $(uname -r); uptime:$(uptime)"
echo "   loci: $loci_bin"
echo "   data dir filesystem: $(df -PT "$tmp" | awk 'NR == 2 { print $2 }') ($tmp)"
echo "   wrk: -t$threads -c$connections, ${warmup}s warm-up + ${duration}s per run"

start_nginx
start_loci
loci_url=http://127.0.0.1:$loci_port
nginx_url=http://127.0.0.1:$nginx_port
echo "   nginx on $nginx_url ($($nginx_bin -v 2>&1 | sed 's/.*: //')), loci on $loci_url"

# Seed: one session of realistic conversation for context and search.
mkdir -p "$tmp/seed" "$tmp/responses"
awk -v messages="$seed_messages" -v per_request=40 -v user="$seed_user" \
  -v session="$seed_session" -v out="$tmp/seed" -f "$bench_dir/seed.awk"
seed_loci() {
  local body status
  for body in "$tmp"/seed/batch-*.json; do
    status=$(request POST "$loci_url/memory/store" "$body" "$tmp/responses/seed.json")
    [ "$status" = 201 ] || die "seeding: POST /memory/store returned $status: $(head -c 300 "$tmp/responses/seed.json")"
  done
  echo "   seeded $seed_messages messages into user '$seed_user', session '$seed_session'"
}
seed_loci

# Real responses, to size nginx's files byte for byte.
status=$(request GET "$loci_url$context_path" "" "$tmp/responses/context.json")
[ "$status" = 200 ] || die "GET $context_path returned $status: $(head -c 300 "$tmp/responses/context.json")"
context_messages=$(grep -o '"role":"' "$tmp/responses/context.json" | wc -l)
[ "$context_messages" -eq 20 ] ||
  echo "   WARNING: context returned $context_messages messages, expected 20" >&2
cp "$tmp/responses/context.json" "$tmp/nginx/www/context.json"
context_size=$(wc -c <"$tmp/responses/context.json")

printf '{"user_id":"%s","session_id":"%s","messages":[{"role":"user","content":"%s"}]}' \
  "$store_user" "$store_session" \
  "I finally booked the trip to Lisbon for early May, and my sister Caroline wants to come along with the kids. (note 0-0)" \
  >"$tmp/responses/store-request.json"
status=$(request POST "$loci_url/memory/store" "$tmp/responses/store-request.json" "$tmp/responses/store.json")
[ "$status" = 201 ] || die "POST /memory/store returned $status: $(head -c 300 "$tmp/responses/store.json")"
cp "$tmp/responses/store.json" "$tmp/nginx/www/store.json"
store_size=$(wc -c <"$tmp/responses/store.json")

search_paths=()
search_total=0
for i in "${!search_queries[@]}"; do
  query=${search_queries[$i]}
  printf '{"user_id":"%s","query":"%s","mode":"fulltext"}' "$seed_user" "$query" >"$tmp/responses/search-request-$i.json"
  status=$(request POST "$loci_url/memory/search" "$tmp/responses/search-request-$i.json" "$tmp/responses/search-$i.json")
  [ "$status" = 200 ] || die "POST /memory/search ($query) returned $status: $(head -c 300 "$tmp/responses/search-$i.json")"
  hits=$(grep -o '"highlights":' "$tmp/responses/search-$i.json" | wc -l)
  [ "$hits" -gt 0 ] || echo "   WARNING: search for '$query' found nothing" >&2
  cp "$tmp/responses/search-$i.json" "$tmp/nginx/www/search-$i.json"
  search_paths+=("/search-$i.json")
  search_total=$((search_total + $(wc -c <"$tmp/responses/search-$i.json")))
done
search_size=$((search_total / ${#search_queries[@]}))
echo "   response sizes: context $context_size B ($context_messages messages), store $store_size B," \
  "search ~$search_size B (mean of ${#search_queries[@]} queries)"

echo
echo "== Runs"
run_wrk nginx-context static.lua "$nginx_url/context.json"
run_wrk context context.lua "$loci_url$context_path"
run_wrk context-uncached context_uncached.lua "$loci_url$context_path"
run_wrk nginx-store static.lua "$nginx_url/store.json"
run_wrk store store.lua "$loci_url/memory/store" "$store_user" "$store_session"
run_wrk nginx-search static.lua "$nginx_url/" "${search_paths[@]}"
run_wrk search search.lua "$loci_url/memory/search" "$seed_user" "${search_queries[@]}"

# ---------------------------------------------------------------------------------------
# Table. ratio = loci req/s / nginx req/s for a static file of the same size.

ratio() { div "${res_rps[$1]}" "${res_rps[$2]}"; }
verdict() { if [ "$(calc "$1")" = 1 ]; then echo PASS; else echo MISS; fi; }

context_ratio=$(ratio context nginx-context)
context_uncached_ratio=$(ratio context-uncached nginx-context)
store_ratio=$(ratio store nginx-store)
search_ratio=$(ratio search nginx-search)
context_result=$(verdict "($context_ratio >= 0.5 && ${res_p99[context]} <= 5) ? 1 : 0")
store_result=$(verdict "(${res_rps[store]} >= 8000) ? 1 : 0")

row() { printf '%-30s %10.0f %8.3f %8.3f %12s %7s  %-24s %s\n' "$@"; }
echo
echo "== Results (wrk -t$threads -c$connections, ${duration}s each; ratio = loci req/s / nginx req/s, same response size)"
printf '%-30s %10s %8s %8s %12s %7s  %-24s %s\n' benchmark req/s "p50 ms" "p99 ms" "nginx req/s" ratio target result
row "nginx static ${context_size} B" "${res_rps[nginx-context]}" "${res_p50[nginx-context]}" "${res_p99[nginx-context]}" - - "(limit)" -
row "GET context (20 messages)" "${res_rps[context]}" "${res_p50[context]}" "${res_p99[context]}" \
  "$(printf %.0f "${res_rps[nginx-context]}")" "$(printf %.3f "$context_ratio")" "ratio>=0.5, p99<=5ms" "$context_result"
row "GET context, every one built" "${res_rps[context-uncached]}" "${res_p50[context-uncached]}" "${res_p99[context-uncached]}" \
  "$(printf %.0f "${res_rps[nginx-context]}")" "$(printf %.3f "$context_uncached_ratio")" "(none: reported)" -
row "nginx static ${store_size} B" "${res_rps[nginx-store]}" "${res_p50[nginx-store]}" "${res_p99[nginx-store]}" - - "(limit)" -
row "POST store (1 msg/request)" "${res_rps[store]}" "${res_p50[store]}" "${res_p99[store]}" \
  "$(printf %.0f "${res_rps[nginx-store]}")" "$(printf %.3f "$store_ratio")" ">=8000 messages/s" "$store_result"
row "nginx static ~${search_size} B" "${res_rps[nginx-search]}" "${res_p50[nginx-search]}" "${res_p99[nginx-search]}" - - "(limit)" -
row "POST search (fulltext)" "${res_rps[search]}" "${res_p50[search]}" "${res_p99[search]}" \
  "$(printf %.0f "${res_rps[nginx-search]}")" "$(printf %.3f "$search_ratio")" "(none: reported)" -

echo
echo "CPU during each run (% of one core; other = everything else on the machine) and the"
echo "server's CPU time per request (loci's in loci runs, nginx's in nginx runs):"
for name in nginx-context context context-uncached nginx-store store nginx-search search; do
  printf '  %-14s %s  %7.1f us/req   load %s\n' "$name" "${res_cpu[$name]}" "${res_us[$name]}" "${res_load[$name]}"
done
echo "CPU cost ratio (nginx us/req / loci us/req; what the req/s ratio would be if both were"
printf '  CPU-bound on equal cores): context %.3f (built every time %.3f), store %.3f, search %.3f\n' \
  "$(div "${res_us[nginx-context]}" "${res_us[context]}")" \
  "$(div "${res_us[nginx-context]}" "${res_us[context-uncached]}")" \
  "$(div "${res_us[nginx-store]}" "${res_us[store]}")" \
  "$(div "${res_us[nginx-search]}" "${res_us[search]}")"

# ---------------------------------------------------------------------------------------
# What encryption at rest and the blinded index cost: the same runs against the plaintext
# server (bench/loci_plaintext.cpp, sealing off), on a fresh data folder seeded alike.

echo
echo "== Encryption cost: the same runs against $plain_bin (sealing off), alternated"
sealed_pid=$loci_pid
sealed_url=$loci_url
start_loci "$plain_bin" loci-plain
plain_pid=$loci_pid
plain_url=http://127.0.0.1:$loci_port
loci_url=$plain_url
seed_loci
# Rounds alternate plaintext and sealed, so that whatever else the machine does weighs on
# both alike; the sealed runs above are the first sealed round.
encryption_runs() { # encryption_runs PREFIX URL
  run_wrk "$1context-uncached" context_uncached.lua "$2$context_path"
  run_wrk "$1store" store.lua "$2/memory/store" "$store_user" "$store_session"
  run_wrk "$1search" search.lua "$2/memory/search" "$seed_user" "${search_queries[@]}"
}
loci_pid=$plain_pid
encryption_runs plain- "$plain_url"
loci_pid=$sealed_pid
encryption_runs sealed2- "$sealed_url"
loci_pid=$plain_pid
encryption_runs plain2- "$plain_url"
loci_pid=$sealed_pid
echo
echo "sealed / plaintext, two rounds each (req/s ratio: 1 = free; CPU ratio: sealed us/req over"
echo "plaintext us/req):"
sum() { calc "$1 + $2"; }
for name in context-uncached store search; do
  sealed_rps=$(sum "${res_rps[$name]}" "${res_rps[sealed2-$name]}")
  plain_rps=$(sum "${res_rps[plain-$name]}" "${res_rps[plain2-$name]}")
  sealed_us=$(sum "${res_us[$name]}" "${res_us[sealed2-$name]}")
  plain_us=$(sum "${res_us[plain-$name]}" "${res_us[plain2-$name]}")
  printf '  %-18s req/s %7.0f vs %7.0f  ratio %.3f   cpu %7.1f vs %7.1f us/req  ratio %.3f\n' \
    "$name" "$(calc "$sealed_rps / 2")" "$(calc "$plain_rps / 2")" "$(div "$sealed_rps" "$plain_rps")" \
    "$(calc "$sealed_us / 2")" "$(calc "$plain_us / 2")" "$(div "$sealed_us" "$plain_us")"
  echo "BENCH_RESULT name=encryption-$name rps_ratio=$(div "$sealed_rps" "$plain_rps")" \
    "cpu_ratio=$(div "$sealed_us" "$plain_us")" >>"$tmp/encryption-results"
done

echo
for name in context store search; do
  echo "BENCH_RESULT name=$name rps=${res_rps[$name]} p50_ms=${res_p50[$name]} p99_ms=${res_p99[$name]}" \
    "nginx_rps=${res_rps[nginx-$name]} cpu_us_per_req=${res_us[$name]} nginx_cpu_us_per_req=${res_us[nginx-$name]}"
done
cat "$tmp/encryption-results"
echo "bench: completed without errors (targets: context $context_result, store $store_result)"
