#!/usr/bin/env bash
# Export memory: stores BENCH_EXPORT_MESSAGES (100,000) messages for one user in a fresh
# `loci serve`, then exports them over HTTP in both forms (NDJSON, then the JSON document,
# then NDJSON again with SQLite's caches warm) and reports the server's resident memory before
# each export and its peak during it, next to the size of the body it sent. A streaming export
# keeps the peak flat however large the body; one built in memory would grow by about the body.
# Usage: bench/export_rss.sh [BUILD_DIR]
# Settings (environment): BENCH_EXPORT_MESSAGES (100000), LOCI_BIN, BENCH_KEEP_TMP=1.
# Exit status: 0 when every export was complete and valid; 1 otherwise.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${1:-build}
loci_bin=${LOCI_BIN:-$build_dir/loci}
[[ $loci_bin == /* ]] || loci_bin=$PWD/$loci_bin
messages=${BENCH_EXPORT_MESSAGES:-100000}
user=export-bench

die() {
  echo "export bench: FAILED: $*" >&2
  exit 1
}
for tool in curl awk jq; do command -v "$tool" >/dev/null || die "$tool not found"; done
[ -x "$loci_bin" ] || die "no server binary at $loci_bin (build first)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loci-export-bench.XXXXXX")
loci_pid=""
sampler_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true
  if [ -n "$loci_pid" ] && kill -0 "$loci_pid" 2>/dev/null; then
    kill -TERM "$loci_pid" 2>/dev/null || true
    wait "$loci_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$tmp/stderr" ]; then tail -n 15 "$tmp/stderr" >&2; fi
  if [ -n "${BENCH_KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server, alone in its folder, with no LOCI_* settings inherited.
mkdir -p "$tmp/data"
(
  cd "$tmp"
  for var in $(compgen -e); do
    if [[ $var == LOCI_* ]]; then unset "$var"; fi
  done
  export LOCI_LISTEN=127.0.0.1:0 LOCI_DATA_DIR="$tmp/data" LOG_LEVEL=warn
  exec "$loci_bin" serve </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
) &
loci_pid=$!
port=""
for _ in $(seq 300); do
  kill -0 "$loci_pid" 2>/dev/null || die "loci exited during start-up"
  line=$(head -n 1 "$tmp/stdout" 2>/dev/null || true)
  if [[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
  sleep 0.1
done
[ -n "$port" ] || die "loci did not start"
url=http://127.0.0.1:$port

kib() { awk -v field="$1:" '$1 == field { print $2 }' "/proc/$loci_pid/status"; }

# Seed: everyday conversation (seed.awk), 1,000 messages a request.
mkdir -p "$tmp/seed"
awk -v messages="$messages" -v per_request=1000 -v user="$user" -v session=s1 \
  -v out="$tmp/seed" -f "$bench_dir/seed.awk"
seed_start=$(date +%s.%N)
for body in "$tmp"/seed/batch-*.json; do
  status=$(curl -sS -o "$tmp/store.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$body" "$url/memory/store")
  [ "$status" = 201 ] || die "seeding returned $status: $(head -c 300 "$tmp/store.json")"
done
seed_end=$(date +%s.%N)
echo "seeded $messages messages for user '$user' in $(awk -v a="$seed_start" -v b="$seed_end" \
  'BEGIN { printf "%.1f", b - a }') s"

# export NAME ACCEPT: one export, with the server's RSS sampled every 10 ms while it runs.
export_once() {
  local name=$1 accept=$2
  local out=$tmp/export.$name
  local before peak hwm start end seconds bytes status lines
  before=$(kib VmRSS)
  # Restart the kernel's peak-RSS count (VmHWM) at the current RSS, where permitted.
  echo 5 >"/proc/$loci_pid/clear_refs" 2>/dev/null || true
  (
    max=0
    while :; do
      now=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$loci_pid/status" 2>/dev/null || echo 0)
      [ "${now:-0}" -le "$max" ] || max=$now
      echo "$max" >"$tmp/peak.$name"
      sleep 0.01
    done
  ) &
  sampler_pid=$!
  start=$(date +%s.%N)
  status=$(curl -sS -o "$out" -w '%{http_code}' -H "Accept: $accept" "$url/memory/export/$user")
  end=$(date +%s.%N)
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  [ "$status" = 200 ] || die "$name export returned $status"
  peak=$(cat "$tmp/peak.$name")
  hwm=$(kib VmHWM)
  [ "$hwm" -ge "$peak" ] || hwm=$peak
  bytes=$(stat -c %s "$out")
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  if [ "$accept" = application/x-ndjson ]; then
    lines=$(jq -c 'select(.type == "message") | .id' "$out" | sort -u | wc -l)
    [ "$(tail -n 1 "$out" | jq -r .message_count)" = "$messages" ] || die "$name: bad end line"
  else
    lines=$(jq '.messages | map(.id) | unique | length' "$out")
  fi
  [ "$lines" = "$messages" ] || die "$name: $lines distinct messages instead of $messages"
  printf '%-16s %8d msgs %8.1f MB in %6s s   RSS before %7.1f MB   peak %7.1f MB   growth %6.1f MB (%.1f%% of the body)\n' \
    "$name" "$messages" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$seconds" \
    "$(awk -v k="$before" 'BEGIN { print k / 1024 }')" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" \
    "$(awk -v a="$before" -v b="$hwm" 'BEGIN { print (b - a) / 1024 }')" \
    "$(awk -v a="$before" -v b="$hwm" -v n="$bytes" 'BEGIN { print 100 * (b - a) * 1024 / n }')"
  echo "BENCH_RESULT name=$name messages=$messages body_bytes=$bytes seconds=$seconds" \
    "rss_before_kib=$before peak_rss_kib=$hwm growth_kib=$((hwm - before))"
  rm -f "$out"
}

export_once export-ndjson application/x-ndjson
export_once export-json application/json
export_once export-ndjson-2 application/x-ndjson
