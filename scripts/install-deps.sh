#!/usr/bin/env bash
# Installs the Debian packages Loci builds and tests with, skipping what is already there.
# Usage: scripts/install-deps.sh [extra-package ...]
# (scripts/install-vectors.sh asks for npm this way when no npm is on the PATH: a Node.js
# from elsewhere may bring its own npm, which Debian's npm package would conflict with.)
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libboost-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  libsodium-dev libstemmer-dev libutf8proc-dev libspdlog-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
