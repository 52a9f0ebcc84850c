#!/usr/bin/env bash
# HTTP throughput and latency: omc serve against plain RESTinio on the same threads.
#
#   bench/http/run.sh                       # 30 s per measurement
#   DURATION=10 bench/http/run.sh
#   OMC_BIN=/path/to/omc TOKEN=... INDEXED_READ_URL='/api/v1/events?limit=1' bench/http/run.sh
#   OMC_BENCH_PG_URL=postgresql://omc@127.0.0.1/omc_bench bench/http/run.sh   # also on PostgreSQL
#   SKIP_SQLITE=1 OMC_BENCH_PG_URL=... bench/http/run.sh                      # PostgreSQL only
#   COUNT_SYSCALLS=1 bench/http/run.sh      # also system calls and context switches per request
#
# Measures with wrk -t2 -c64 --latency: raw RESTinio on /health/live, then omc on SQLite (and
# PostgreSQL when OMC_BENCH_PG_URL is set) on /health/live and on an indexed read. Prints
# requests/s and p99 for each and the omc/raw ratio. Starts and stops its own servers on
# 127.0.0.1 only; every wait is bounded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-2}"
IO_THREADS="${IO_THREADS:-2}"
WORKER_THREADS="${WORKER_THREADS:-2}"
RAW_PORT="${RAW_PORT:-18081}"
OMC_PORT="${OMC_PORT:-18082}"
OMC_BIN="${OMC_BIN:-${ROOT}/build/release/omc}"
INDEXED_READ_URL="${INDEXED_READ_URL:-/api/v1/events?limit=1}"
BENCH_TENANT="${BENCH_TENANT:-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}"
WORK="$(mktemp -d /tmp/omc-bench-http.XXXXXX)"
RAW_BIN="${ROOT}/build/bench-http/raw_restinio"

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "${pid}" 2>/dev/null || true
        wait "${pid}" 2>/dev/null || true
    done
    cp "${WORK}"/omc-*.log /tmp/ 2>/dev/null || true
    rm -rf "${WORK}"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

build() {
    echo "== building raw_restinio and omc (release)"
    cmake -S "${ROOT}/bench/http" -B "${ROOT}/build/bench-http" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
    ninja -C "${ROOT}/build/bench-http" -j2 raw_restinio >/dev/null
    if [[ "${OMC_BIN}" == "${ROOT}/build/release/omc" ]]; then
        (cd "${ROOT}" && cmake --preset release >/dev/null && cmake --build --preset release --target omc >/dev/null)
    fi
}

# Refuses to start when something already answers on the port: a server left over from an
# interrupted run would otherwise be measured in place of the one just started.
ensure_port_free() {
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; then
        echo "port $1 is already in use (a server from an earlier run?); stop it first" >&2
        exit 1
    fi
}

# Waits up to 15 s for GET http://127.0.0.1:$1/health/live to answer 200.
wait_ready() {
    local port="$1" pid="$2"
    for _ in $(seq 1 150); do
        if ! kill -0 "${pid}" 2>/dev/null; then return 1; fi
        if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${port}/health/live"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

stop() {
    local pid="$1"
    kill -TERM "${pid}" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "${pid}" 2>/dev/null || { wait "${pid}" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
}

# Converts wrk's "1.23ms" / "850.00us" / "1.02s" to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else { printf "%s", v } }'
}

RESULTS=()
# measure <label> <url>: runs wrk and records "label|req/s|p99 ms|non-2xx".
# CPU time (user + system, in clock ticks) the process has used so far.
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$1/stat"
}

# measure <label> <url> <server pid>: req/s and p99 from wrk, and the server's CPU time per
# request, which the shared machine's noise disturbs far less than req/s.
measure() {
    local label="$1" url="$2" pid="$3" out="${WORK}/wrk.txt"
    local args=(-t"${WRK_THREADS}" -c"${CONNECTIONS}" -d"${DURATION}s" --latency --timeout 5s)
    if [[ -n "${TOKEN:-}" ]]; then
        cat >"${WORK}/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer ${TOKEN}"
LUA
        args+=(-s "${WORK}/auth.lua")
    fi
    echo "== ${label}: ${url} (${DURATION}s)"
    local ticks_before ticks_after
    ticks_before="$(cpu_ticks "${pid}")"
    # COUNT_SYSCALLS=1: the server's system calls and context switches over the run (perf stat
    # on its threads; root or perf_event_paranoid <= 1), printed per request after the run.
    local perf_pid=""
    if [[ "${COUNT_SYSCALLS:-0}" == 1 ]]; then
        perf stat -x, -e raw_syscalls:sys_enter,context-switches -p "${pid}" -o "${WORK}/perf.txt" &
        perf_pid=$!
    fi
    timeout $((DURATION + 30)) wrk "${args[@]}" "${url}" >"${out}" || true
    if [[ -n "${perf_pid}" ]]; then
        kill -INT "${perf_pid}" 2>/dev/null || true
        wait "${perf_pid}" 2>/dev/null || true
    fi
    ticks_after="$(cpu_ticks "${pid}")"
    local rps p99 errors requests cpu_us
    rps="$(awk '/^Requests\/sec:/ {print $2}' "${out}")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "${out}")")"
    errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "${out}")"
    requests="$(awk '/requests in/ {print $1}' "${out}")"
    cpu_us="$(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
        'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "-" }')"
    RESULTS+=("${label}|${rps:-0}|${p99:-?}|${errors:-0}|${cpu_us}")
    if [[ -n "${perf_pid}" ]]; then
        awk -F, -v n="${requests:-0}" -v label="${label}" '
            $3 ~ /sys_enter/ { sc = $1 } $3 ~ /context-switches/ { cs = $1 }
            END { if (n > 0) printf "   %s: %.1f system calls and %.2f context switches per request\n", label, sc / n, cs / n }' \
            "${WORK}/perf.txt" | tee -a "${WORK}/syscalls.txt"
    fi
}

# seed <engine> <database url>: 2,000 sequenced events for the bench tenant and 2,000 for
# another, so the indexed read finds rows among other tenants' rows.
seed() {
    local engine="$1" database_url="$2"
    local other='0190a1b2-c3d4-7e5f-8a9b-ffffffffffff'
    if [[ "${engine}" == sqlite ]]; then
        sqlite3 "${database_url#sqlite:}" "
            WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < 4000)
            INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload,
                                       created_at_us, cursor, attempts)
            SELECT CASE WHEN n % 2 = 0 THEN '${BENCH_TENANT}' ELSE '${other}' END,
                   '0190a1b2-c3d4-7e5f-8a9b-' || substr('000000000000' || n, -12, 12),
                   'bench.seeded', 'bench', 'b' || n, '{\"n\":' || n || '}', 1700000000000000 + n, n, 0
            FROM series;
            ANALYZE;"
    else
        psql -q -v ON_ERROR_STOP=1 "${database_url}" <<SQL >/dev/null
SET app.system = 'on';
DELETE FROM outbox_events WHERE type = 'bench.seeded';
INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload,
                           created_at_us, cursor, attempts)
SELECT (CASE WHEN n % 2 = 0 THEN '${BENCH_TENANT}' ELSE '${other}' END)::uuid,
       ('0190a1b2-c3d4-7e5f-8a9b-' || lpad(n::text, 12, '0'))::uuid,
       'bench.seeded', 'bench', 'b' || n, '{"n":' || n || '}', 1700000000000000 + n, n, 0
FROM generate_series(1, 4000) AS n;
-- Planner statistics and the visibility map now, not from autovacuum in the middle of
-- whichever server is measured first.
VACUUM ANALYZE outbox_events;
SQL
    fi
}

# run_raw <engine> <database url>
run_raw() {
    local engine="$1" database_url="$2" db_flag
    if [[ "${engine}" == sqlite ]]; then db_flag=(--sqlite "${database_url#sqlite:}"); else db_flag=(--pg "${database_url}"); fi
    ensure_port_free "${RAW_PORT}"
    # The reference runs on the same allocator omc links (tcmalloc), so the comparison is of
    # the platform's work, not of two mallocs.
    local preload
    preload="$(ldd "${OMC_BIN}" | awk '/tcmalloc/ {print $3}')"
    LD_PRELOAD="${preload}" "${RAW_BIN}" --port "${RAW_PORT}" --threads "${IO_THREADS}" --tenant "${BENCH_TENANT}" "${db_flag[@]}" >"${WORK}/raw.log" 2>&1 &
    local pid=$!
    PIDS+=("${pid}")
    wait_ready "${RAW_PORT}" "${pid}" || { echo "raw_restinio did not start" >&2; exit 1; }
    measure "raw ${engine} /health/live" "http://127.0.0.1:${RAW_PORT}/health/live" "${pid}"
    measure "raw ${engine} /api/v1/events?limit=1" "http://127.0.0.1:${RAW_PORT}/api/v1/events?limit=1" "${pid}"
    stop "${pid}"
}

# The bench measures the pipeline, not the limiter: one token would be rate-limited within a
# second, so every class is unlimited (per_second = 0) unless OMC_BENCH_KEEP_RATE_LIMITS=1.
write_config() {
    : >"${WORK}/bench.toml"
    if [[ "${OMC_BENCH_KEEP_RATE_LIMITS:-0}" != "1" ]]; then
        for cls in default auth write read; do
            printf '[rate_limits.%s]\nper_second = 0\nburst = 0\n\n' "${cls}" >>"${WORK}/bench.toml"
        done
    fi
}

omc_env() {
    # omc refuses unknown OMC_* variables, so this script's own knobs are not passed on.
    env -u OMC_BIN -u OMC_PORT -u OMC_BENCH_PG_URL -u OMC_BENCH_KEEP_RATE_LIMITS "$@"
}

# run_omc <engine label> <database url>
run_omc() {
    local engine="$1" database_url="$2"
    write_config
    ensure_port_free "${OMC_PORT}"
    # `env` (not the omc_env function) so that $! is the process that becomes omc.
    env -u OMC_BIN -u OMC_PORT -u OMC_BENCH_PG_URL -u OMC_BENCH_KEEP_RATE_LIMITS \
        OMC_LISTEN="127.0.0.1:${OMC_PORT}" OMC_DATABASE_URL="${database_url}" \
        OMC_IO_THREADS="${IO_THREADS}" OMC_WORKER_THREADS="${WORKER_THREADS}" \
        OMC_LOG_LEVEL="${OMC_LOG_LEVEL:-warn}" "${OMC_BIN}" -c "${WORK}/bench.toml" serve >"${WORK}/omc-${engine}.log" 2>&1 &
    local pid=$!
    PIDS+=("${pid}")
    if ! wait_ready "${OMC_PORT}" "${pid}"; then
        echo "omc serve (${engine}) did not start; its log:" >&2
        tail -20 "${WORK}/omc-${engine}.log" >&2
        exit 1
    fi
    measure "omc ${engine} /health/live" "http://127.0.0.1:${OMC_PORT}/health/live" "${pid}"
    measure "omc ${engine} ${INDEXED_READ_URL}" "http://127.0.0.1:${OMC_PORT}${INDEXED_READ_URL}" "${pid}"
    stop "${pid}"
}

mint_token() {
    if [[ -n "${TOKEN:-}" ]]; then return; fi
    # Without a TOKEN, mint one with a throwaway key (the omc under test is started with it).
    export OMC_AUTH_JWT_KEYS="${OMC_AUTH_JWT_KEYS:-bench:bench-secret-bench-secret-bench-secret}"
    export OMC_AUTH_ACTIVE_KID="${OMC_AUTH_ACTIVE_KID:-bench}"
    TOKEN="$(omc_env OMC_DATABASE_URL="sqlite:${WORK}/token.db" "${OMC_BIN}" admin token \
        --tenant "${BENCH_TENANT}" --ttl-minutes 60 2>/dev/null | tail -1 || true)"
}

# bench_engine <engine> <database url>: migrate and seed, then raw and omc on the same data.
bench_engine() {
    local engine="$1" database_url="$2"
    omc_env OMC_DATABASE_URL="${database_url}" "${OMC_BIN}" migrate >/dev/null
    seed "${engine}" "${database_url}"
    run_raw "${engine}" "${database_url}"
    run_omc "${engine}" "${database_url}"
}

build
mint_token
if [[ "${SKIP_SQLITE:-0}" != 1 ]]; then
    bench_engine sqlite "sqlite:${WORK}/bench.db"
fi
if [[ -n "${OMC_BENCH_PG_URL:-}" ]]; then
    bench_engine postgres "${OMC_BENCH_PG_URL}"
fi

echo
printf '%-44s %10s %8s %8s %11s %9s %9s\n' "measurement" "req/s" "p99 ms" "non-2xx" "CPU us/req" \
    "req/s" "CPU/req"
printf '%-44s %10s %8s %8s %11s %9s %9s\n' "" "" "" "" "" "vs raw" "vs raw"
for row in "${RESULTS[@]}"; do
    IFS='|' read -r label rps p99 errors cpu <<<"${row}"
    ratio="-"
    cpu_ratio="-"
    if [[ "${label}" == omc* ]]; then
        # The raw row for the same engine and endpoint.
        raw_label="raw${label#omc}"
        for other in "${RESULTS[@]}"; do
            IFS='|' read -r olabel orps _ _ ocpu <<<"${other}"
            if [[ "${olabel}" == "${raw_label}" ]]; then
                ratio="$(awk -v a="${rps}" -v b="${orps}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
                cpu_ratio="$(awk -v a="${cpu}" -v b="${ocpu}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
            fi
        done
    fi
    printf '%-44s %10s %8s %8s %11s %9s %9s\n' "${label}" "${rps}" "${p99}" "${errors}" "${cpu}" \
        "${ratio}" "${cpu_ratio}"
done
if [[ -f "${WORK}/syscalls.txt" ]]; then
    echo
    cat "${WORK}/syscalls.txt"
fi
