#!/usr/bin/env bash
# Runs every test of OMC ERP: unit and API tests, the database tests on SQLite AND on a throwaway
# PostgreSQL 15 cluster this script starts itself (and removes afterwards), the tests that talk
# to a real nats-server, the web console's unit and end-to-end tests (in Debian's chromium), and
# the libFuzzer targets for a bounded time. Any failure, including not
# being able to start PostgreSQL, fails the run: nothing is skipped.
#
#   bash scripts/test.sh              # debug build with ASan + UBSan (the default)
#   OMC_TEST_PRESET=release bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${OMC_TEST_PRESET:-debug}"
bash scripts/setup.sh

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

pg_parent="$(mktemp -d /tmp/omc-test-pg.XXXXXX)"
chmod 755 "$pg_parent"       # the cluster runs as the postgres user, who must reach it
pg_dir="$pg_parent/cluster"  # pg-cluster.sh creates it, and refuses one that exists
cleanup() {
  bash scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$pg_parent"
}
trap cleanup EXIT
pg_env="$(bash scripts/pg-cluster.sh start "$pg_dir")"
eval "$pg_env"
export OMC_TEST_PG_URL
echo "test: PostgreSQL cluster at $OMC_TEST_PG_URL"

# ASan's leak checker needs ptrace, which some sandboxes forbid; leaks are checked by the fuzz
# build instead. Everything else of ASan and UBSan stays on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

ctest --preset "$preset" --output-on-failure

# The web console: type check, Vitest, the production build, and the end-to-end tests, in which
# playwright-core drives Debian's chromium against `omc serve` (this build) with `omc demo` data on
# SQLite. Screenshots of every page are kept in web/test-artifacts/screenshots/.
(
  cd web
  npm ci --no-audit --no-fund --loglevel=error
  npm run typecheck
  npm test
  npm run build
  npm run size
  OMC_BINARY="$PWD/../build/$preset/omc" npm run e2e
)

OMC_FUZZ_SECONDS="${OMC_FUZZ_SECONDS:-20}" bash scripts/fuzz.sh
echo "test: all passed"
