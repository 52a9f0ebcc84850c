#!/usr/bin/env bash
# Instructions per request, omc serve against plain RESTinio, counted by valgrind's callgrind.
# On a shared machine req/s and even CPU time move with other people's load; instruction counts
# do not, so this is how a change to the request path is judged before bench/http/run.sh.
#
#   bench/http/callgrind.sh               # 3,000 requests per measurement
#   REQUESTS=10000 bench/http/callgrind.sh
#   OMC_BIN=/path/to/older/omc bench/http/callgrind.sh    # e.g. a build of an earlier commit
#   KEEP=/tmp/profiles bench/http/callgrind.sh            # keep the profiles (callgrind_annotate)
#
# For each server and each endpoint of run.sh (/health/live and the indexed read, with the same
# bearer token on both): start it under callgrind on the same SQLite data as run.sh, send 300
# requests to warm up, zero the counters, send REQUESTS requests over 8 keep-alive connections
# (curl --parallel), dump, and print all threads' instructions (Ir) divided by REQUESTS. User
# space only: the kernel's share (syscalls, thread switches) is not counted. Needs valgrind
# (apt-get install valgrind). Every wait is bounded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQUESTS="${REQUESTS:-3000}"
IO_THREADS="${IO_THREADS:-2}"
WORKER_THREADS="${WORKER_THREADS:-2}"
PORT="${PORT:-18183}"
OMC_BIN="${OMC_BIN:-${ROOT}/build/release/omc}"
RAW_BIN="${ROOT}/build/bench-http/raw_restinio"
BENCH_TENANT='0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'
READ_URL='/api/v1/events?limit=1'
WORK="$(mktemp -d /tmp/omc-bench-callgrind.XXXXXX)"

PID=""
cleanup() {
    if [[ -n "${PID}" ]]; then
        kill "${PID}" 2>/dev/null || true
        wait "${PID}" 2>/dev/null || true
    fi
    rm -rf "${WORK}"
}
trap cleanup EXIT

for tool in valgrind callgrind_control curl sqlite3; do
    command -v "${tool}" >/dev/null || { echo "${tool} is not installed" >&2; exit 2; }
done

echo "== building raw_restinio and omc (release)"
cmake -S "${ROOT}/bench/http" -B "${ROOT}/build/bench-http" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    >/dev/null
ninja -C "${ROOT}/build/bench-http" -j2 raw_restinio >/dev/null
if [[ "${OMC_BIN}" == "${ROOT}/build/release/omc" ]]; then
    (cd "${ROOT}" && cmake --preset release >/dev/null &&
        cmake --build --preset release --target omc >/dev/null)
fi

# The same database, seed and token as run.sh.
export OMC_AUTH_JWT_KEYS='bench:bench-secret-bench-secret-bench-secret' OMC_AUTH_ACTIVE_KID=bench
omc() { env -u OMC_BIN "${OMC_BIN}" "$@"; }
OMC_DATABASE_URL="sqlite:${WORK}/bench.db" omc migrate >/dev/null
sqlite3 "${WORK}/bench.db" "
    WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < 4000)
    INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload,
                               created_at_us, cursor, attempts)
    SELECT CASE WHEN n % 2 = 0 THEN '${BENCH_TENANT}' ELSE '0190a1b2-c3d4-7e5f-8a9b-ffffffffffff' END,
           '0190a1b2-c3d4-7e5f-8a9b-' || substr('000000000000' || n, -12, 12),
           'bench.seeded', 'bench', 'b' || n, '{\"n\":' || n || '}', 1700000000000000 + n, n, 0
    FROM series;"
TOKEN="$(OMC_DATABASE_URL="sqlite:${WORK}/token.db" omc admin token --tenant "${BENCH_TENANT}" \
    --ttl-minutes 60 2>/dev/null | tail -1)"
for cls in default auth write read; do
    printf '[rate_limits.%s]\nper_second = 0\nburst = 0\n\n' "${cls}" >>"${WORK}/bench.toml"
done

# send <count> <url>: count GETs with the bearer token; fails unless every answer is 200.
send() {
    local count="$1" url="$2" config="${WORK}/curl.txt"
    : >"${config}"
    for _ in $(seq 1 "${count}"); do printf 'url = "%s"\noutput = /dev/null\n' "${url}"; done \
        >>"${config}"
    local ok
    ok="$(curl -s --no-progress-meter --parallel --parallel-max 8 --max-time 600 \
        -H "Authorization: Bearer ${TOKEN}" -w '%{http_code}\n' -K "${config}" | grep -c '^200$')"
    if [[ "${ok}" != "${count}" ]]; then
        echo "only ${ok} of ${count} requests to ${url} answered 200" >&2
        exit 1
    fi
}

# measure <label> <path> <env assignments...> -- <command...>: starts the command under
# callgrind on ${PORT}. The environment is given to valgrind, not through `env` inside it:
# callgrind does not follow an exec.
measure() {
    local label="$1" path="$2"
    shift 2
    local assignments=()
    while [[ "$1" != "--" ]]; do
        assignments+=("$1")
        shift
    done
    shift
    env -u OMC_BIN "${assignments[@]}" valgrind --tool=callgrind \
        --callgrind-out-file="${WORK}/callgrind.out.%p" "$@" >"${WORK}/server.log" 2>&1 &
    PID=$!
    local ready=0
    for _ in $(seq 1 300); do
        if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${PORT}/health/live"; then
            ready=1
            break
        fi
        sleep 0.2
    done
    if [[ "${ready}" != 1 ]]; then
        echo "${label}: server did not start; its log:" >&2
        tail -20 "${WORK}/server.log" >&2
        exit 1
    fi
    send 300 "http://127.0.0.1:${PORT}${path}"
    callgrind_control -z "${PID}" >/dev/null 2>&1
    send "${REQUESTS}" "http://127.0.0.1:${PORT}${path}"
    callgrind_control -d "${PID}" >/dev/null 2>&1
    kill -TERM "${PID}"
    wait "${PID}" 2>/dev/null || true
    PID=""
    local total
    total="$(awk '/^summary:/ {print $2; exit}' "${WORK}"/callgrind.out.*.1)"
    if [[ -n "${KEEP:-}" ]]; then  # keep the profiles for callgrind_annotate
        mkdir -p "${KEEP}"
        for f in "${WORK}"/callgrind.out.*; do name="$(printf %s "${label}" | tr " /?=" "____")"; cp "${f}" "${KEEP}/${name}.${f##*.}"; done
    fi
    rm -f "${WORK}"/callgrind.out.*
    printf '%-36s %12s Ir/request\n' "${label}" "$((total / REQUESTS))"
}

tcmalloc="$(ldd "${OMC_BIN}" | awk '/tcmalloc/ {print $3}')"
# The reference runs on omc's allocator, as in run.sh.
raw_env=(LD_PRELOAD="${tcmalloc}")
raw=("${RAW_BIN}" --port "${PORT}" --threads "${IO_THREADS}" --tenant "${BENCH_TENANT}"
    --sqlite "${WORK}/bench.db")
omc_env=(OMC_LISTEN="127.0.0.1:${PORT}" OMC_DATABASE_URL="sqlite:${WORK}/bench.db"
    OMC_IO_THREADS="${IO_THREADS}" OMC_WORKER_THREADS="${WORKER_THREADS}" OMC_LOG_LEVEL=warn)
served=("${OMC_BIN}" -c "${WORK}/bench.toml" serve)
echo "== ${REQUESTS} requests per measurement, all threads"
measure "raw sqlite /health/live" /health/live "${raw_env[@]}" -- "${raw[@]}"
measure "raw sqlite ${READ_URL}" "${READ_URL}" "${raw_env[@]}" -- "${raw[@]}"
measure "omc sqlite /health/live" /health/live "${omc_env[@]}" -- "${served[@]}"
measure "omc sqlite ${READ_URL}" "${READ_URL}" "${omc_env[@]}" -- "${served[@]}"
