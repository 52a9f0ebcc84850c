#!/usr/bin/env bash
# Installs every Debian 12 package OMC ERP needs to build, run and test. Idempotent: a package
# that is already installed is skipped, so running it twice costs only a dpkg query.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential g++ clang-14 lld-14 libclang-rt-14-dev cmake ninja-build ccache pkg-config git
  clang-format
  # libraries
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev nlohmann-json3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libsodium-dev libssl-dev
  libpq-dev libsqlite3-dev libnats-dev libgtest-dev libgmock-dev libbenchmark-dev
  libgoogle-perftools-dev libqrencode-dev libcurl4-openssl-dev zlib1g-dev
  # reports: XLSX, PDF (with the embedded DejaVu font); minizip and expat read XLSX uploads
  libxlsxwriter-dev libhpdf-dev fonts-dejavu-core libminizip-dev libexpat1-dev
  # servers and tools the tests and benchmarks start on loopback
  # (pgbench comes with postgresql-15; jq reads the API answers in bench/sales/run.sh)
  postgresql-15 postgresql-client-15 sqlite3 nats-server wrk curl procps jq
  # the web console's end-to-end tests drive Debian's chromium (no browser download)
  chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The postgresql package starts a system cluster; OMC ERP never uses it (tests start their own).
else
  echo "setup: all packages present"
fi

# The web console (web/) is built with the machine's Node.js and npm from the npm registry; Vite 8
# needs Node 20.19 or later (Debian 12's own nodejs package is 18, too old).
if ! command -v node >/dev/null || ! node -e '
  const [a, b] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup: Node.js 20.19 or later is required for the web console (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
