#!/usr/bin/env bash
# The web console's first load on loopback, in Debian's chromium (playwright-core), against the
# release `omc serve` with the full demo network (50 stations, 90 days) on SQLite.
#
#   bash bench/web/run.sh            # RUNS=15 by default
#
# Measures, for RUNS cold loads each (a new browser context: empty cache and storage):
#   baseline   GET /health/live opened as a page: the browser's and server's floor on this machine
#   login      /login until the sign-in button is visible
#   overview   / signed in (tokens in sessionStorage) until the overview's figures are shown
# and prints median and p95 in ms, with each one's ratio to the baseline. Also the JavaScript
# size (npm run size). Prerequisites: build/release/omc and web/dist (scripts/run.sh builds both).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-15}"
bin="${OMC_BIN:-$PWD/build/release/omc}"
[ -x "$bin" ] || { echo "no $bin: cmake --preset release && cmake --build --preset release --target omc" >&2; exit 1; }
[ -f web/dist/index.html ] || { echo "no web/dist: (cd web && npm ci && npm run build)" >&2; exit 1; }

work="$(mktemp -d /tmp/omc-bench-web.XXXXXX)"
trap 'kill "$serve_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
run_omc() { env -u OMC_BINARY -u OMC_SOURCE_DIR OMC_DATABASE_URL="sqlite:$work/omc.db" "$@"; }
run_omc "$bin" migrate >/dev/null
run_omc "$bin" demo --stations 50 --days 90 >"$work/demo.txt" 2>/dev/null
password="$(awk '$1=="demo-admin"{print $2}' "$work/demo.txt")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
run_omc env OMC_LISTEN="127.0.0.1:$port" OMC_WEB_ROOT="$PWD/web/dist" "$bin" serve >"$work/serve.log" 2>&1 &
serve_pid=$!
ready=0
for _ in $(seq 600); do
  kill -0 "$serve_pid" 2>/dev/null || break
  if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; then ready=1; break; fi
  sleep 0.1
done
[ "$ready" = 1 ] || { echo "omc serve did not become ready:" >&2; tail -5 "$work/serve.log" >&2; exit 1; }

echo "bench/web: $(date -u +%FT%TZ), $(nproc) cores, $RUNS cold loads each"
(cd web && node scripts/size.mjs | tail -1)
node bench/web/first-load.mjs "http://127.0.0.1:$port" demo-admin "$password" "$RUNS"
