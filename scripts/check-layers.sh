#!/usr/bin/env bash
# Fails when a layer includes a header of a layer DESIGN.md does not let it use, or when a
# third-party header appears outside the one layer allowed to see it.
set -euo pipefail
cd "$(dirname "$0")/../src"

declare -A allowed=(
  [util]="util"
  [model]="model util"
  [text]="text util"
  [crypto]="crypto util"
  [embed]="embed text util"
  [storage]="storage model crypto util"
  [service]="service storage model text embed crypto util"
  [http]="http service model util"
  [app]="app http service storage model text embed crypto util"
)
# Third-party headers and the only layers that may include them. embed/ speaks the JSON
# protocols of embedding and chat-model providers over libcurl, so it sees both.
declare -A confined=(
  ["sqlite3.h"]="storage"
  ["libpq-fe.h"]="storage"
  ["sodium.h"]="crypto"
  ["sodium/"]="crypto"
  ["boost/"]="http"
  ["curl/"]="embed"
  ["nlohmann/"]="http app embed"
)

status=0
for layer in "${!allowed[@]}"; do
  [ -d "$layer" ] || continue
  while IFS=: read -r file include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    if [[ " ${allowed[$layer]} " != *" $target "* ]]; then
      echo "layering: $layer/ may not include $target/ ($file)"
      status=1
    fi
  done < <(grep -rHE '^#include "[a-z_]+/' "$layer" || true)
  for header in "${!confined[@]}"; do
    if [[ " ${confined[$header]} " != *" $layer "* ]] && grep -rqE "^#include <$header" "$layer"; then
      echo "layering: $layer/ may not include <$header...> ($(grep -rlE "^#include <$header" "$layer" | head -1))"
      status=1
    fi
  done
done
exit $status
