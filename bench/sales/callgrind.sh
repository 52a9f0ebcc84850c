#!/usr/bin/env bash
# Instructions per sale on SQLite, counted by valgrind's callgrind: load-independent, so a change
# to the sale's path can be judged on a busy machine before bench/sales/run.sh measures sales/s.
#
#   KEEP_WORK=1 ENGINES=sqlite DURATION=5 bench/sales/run.sh   # prints "kept /tmp/omc-bench-sales.X"
#   bench/sales/callgrind.sh /tmp/omc-bench-sales.X             # then, as often as needed
#   BIN=/path/to/other/omc bench/sales/callgrind.sh DIR         # e.g. a build of an earlier commit
#   CONNECTIONS=16 WORKERS=16 SECONDS_MEASURED=20 bench/sales/callgrind.sh DIR
#
# Copies the kept database (its tenant, stations, open shifts and bench-manager), migrates the copy
# with BIN, starts `BIN serve` under callgrind, posts sales with wrk and bench/sales/sale.lua for 5 s
# to warm up, zeroes the counters, posts for SECONDS_MEASURED, dumps, and prints all threads'
# instructions (Ir) divided by the sales stored meanwhile. User space only: the kernel's share
# (syscalls, thread switches) is not counted. Batches are smaller under valgrind than at full speed
# (CONNECTIONS bounds them), so per-batch work weighs a little more here than in run.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KEPT="${1:?usage: bench/sales/callgrind.sh <directory kept by run.sh with KEEP_WORK=1>}"
BIN="${BIN:-${ROOT}/build/release/omc}"
CONNECTIONS="${CONNECTIONS:-64}"
WORKERS="${WORKERS:-64}"
SECONDS_MEASURED="${SECONDS_MEASURED:-20}"
PORT="${PORT:-18391}"
PASSWORD="bench-sales-kumasi-42-petrol"  # run.sh's
WORK="$(mktemp -d /tmp/omc-bench-sales-callgrind.XXXXXX)"
PID=""
cleanup() {
    if [[ -n "${PID}" ]]; then
        kill "${PID}" 2>/dev/null || true
        wait "${PID}" 2>/dev/null || true
    fi
    if [[ -z "${KEEP:-}" ]]; then rm -rf "${WORK}"; else echo "profiles in ${WORK}" >&2; fi
}
trap cleanup EXIT

for tool in valgrind callgrind_control callgrind_annotate wrk curl jq sqlite3; do
    command -v "${tool}" >/dev/null || { echo "${tool} is not installed" >&2; exit 2; }
done
[[ -f "${KEPT}/sales.db" && -f "${KEPT}/targets" ]] || { echo "${KEPT} has no sales.db/targets" >&2; exit 2; }

cp "${KEPT}/sales.db" "${WORK}/sales.db"
cp "${KEPT}/bench.toml" "${WORK}/bench.toml"
OMC_DATABASE_URL="sqlite:${WORK}/sales.db" "${BIN}" migrate >/dev/null
env OMC_DATABASE_URL="sqlite:${WORK}/sales.db" OMC_LOG_LEVEL=warn OMC_LISTEN="127.0.0.1:${PORT}" \
    OMC_IO_THREADS=2 OMC_WORKER_THREADS="${WORKERS}" \
    valgrind --tool=callgrind --callgrind-out-file="${WORK}/callgrind.%p" \
    "${BIN}" -c "${WORK}/bench.toml" serve >"${WORK}/omc.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${PORT}/health/ready" && break
    kill -0 "${PID}" 2>/dev/null || { cat "${WORK}/omc.log" >&2; exit 1; }
    sleep 0.2
done
TOKEN="$(curl -s -X POST -H 'Content-Type: application/json' \
    --data "{\"login\":\"bench-manager\",\"password\":\"${PASSWORD}\"}" \
    "http://127.0.0.1:${PORT}/api/v1/auth/login" | jq -r .data.access_token)"
[[ -n "${TOKEN}" && "${TOKEN}" != null ]] || { echo "login failed" >&2; exit 1; }
post() {
    SALES_TOKEN="${TOKEN}" SALES_TARGETS="${KEPT}/targets" wrk -t1 -c"${CONNECTIONS}" -d"$1s" \
        --timeout 30s -s "${ROOT}/bench/sales/sale.lua" "http://127.0.0.1:${PORT}" >"${WORK}/wrk-$1.txt"
}
count() { sqlite3 "${WORK}/sales.db" "SELECT COUNT(*) FROM sales"; }
post 5
before="$(count)"
callgrind_control -z "${PID}" >/dev/null
post "${SECONDS_MEASURED}"
callgrind_control -d "${PID}" >/dev/null
after="$(count)"
sales=$((after - before))
total=0
for f in "${WORK}"/callgrind.*.1; do
    ir="$(callgrind_annotate "${f}" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')"
    total=$((total + ${ir:-0}))
done
[[ "${sales}" -gt 0 ]] || { echo "no sales were stored" >&2; exit 1; }
echo "sales ${sales}, instructions per sale $((total / sales)) (${CONNECTIONS} connections, ${WORKERS} workers)"
