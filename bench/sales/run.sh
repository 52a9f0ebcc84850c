#!/usr/bin/env bash
# Sales throughput: unique fuel sales posted to `omc serve` (release) with wrk, on PostgreSQL and
# on SQLite, against pgbench running the same writes one transaction per sale, in the same run.
#
#   bench/sales/run.sh                        # 30 s per measurement, 64 connections, 20 stations
#   DURATION=10 bench/sales/run.sh
#   ENGINES=sqlite DURATION=5 bench/sales/run.sh
#   OMC_BIN=/path/to/omc bench/sales/run.sh   # measure another build (no build step)
#   PG_STATEMENTS=1 bench/sales/run.sh        # also print PostgreSQL's costliest statements
#                                             # of the omc run (pg_stat_statements)
#
# For each engine: a fresh database (a throwaway PostgreSQL cluster from scripts/pg-cluster.sh,
# fsync off; a new SQLite file), `omc migrate`, a tenant made with `omc admin`, then through the
# HTTP API: a product and its network price, a region, STATIONS stations each with a tank, a pump
# with NOZZLES nozzles and an open shift, and a StationManager scoped to every station. wrk
# (bench/sales/sale.lua) then posts new sales, each with a fresh UUIDv7-shaped client id, at
# random stations and nozzles. Any answer other than 2xx fails the run.
#
# After each omc run the database is checked: every sale answered 2xx is stored once, nothing is
# stored that was not sent, the only extra rows are sales whose answer wrk dropped when it stopped
# (at most one per connection), receipts are 1..n per station, each tank's book stock is minus its
# sales and sales_daily adds up to the sales.
#
# pgbench baseline (PostgreSQL): bench/sales/pgbench_sale.sql, one transaction per sale with the
# writes SalesService makes for a sale (receipt counter, sale row, outbox event, book stock,
# daily rollup; see that file), prepared statements, CONNECTIONS clients, same duration, same
# stations, run after the omc run on the same database.
#
# Targets (issue 4): omc on PostgreSQL >= 2x pgbench's sales/s with p99 <= 20 ms; omc on SQLite
# >= 10,000 sales/s. The machine is shared: compare the ratio, measured in one run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="${ROOT}/bench/sales"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-2}"
STATIONS="${STATIONS:-20}"
NOZZLES="${NOZZLES:-2}"
IO_THREADS="${IO_THREADS:-2}"
# Sales no longer use the HTTP workers (the I/O thread hands each sale to the group committer,
# whose thread answers it); 64 keeps an older build, whose worker waited per sale, comparable.
WORKER_THREADS="${WORKER_THREADS:-64}"
POOL_SIZE="${POOL_SIZE:-8}"
ENGINES="${ENGINES:-postgres sqlite}"
OMC_PORT="${OMC_PORT:-18090}"
OMC_BIN="${OMC_BIN:-${ROOT}/build/release/omc}"
PASSWORD="bench-sales-kumasi-42-petrol"
WORK="$(mktemp -d /tmp/omc-bench-sales.XXXXXX)"
chmod 755 "${WORK}"  # the PostgreSQL cluster runs as the postgres user, who must reach it
PG_DIR=""
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "${pid}" 2>/dev/null || true
        wait "${pid}" 2>/dev/null || true
    done
    if [[ -n "${PG_DIR}" ]]; then bash "${ROOT}/scripts/pg-cluster.sh" stop "${PG_DIR}" >/dev/null 2>&1 || true; fi
    # The servers' logs outlive the run, named apart from bench/http's.
    for log in "${WORK}"/omc-*.log; do
        [[ -e "${log}" ]] && cp "${log}" "/tmp/bench-sales-$(basename "${log}")"
    done
    if [[ -z "${KEEP_WORK:-}" ]]; then rm -rf "${WORK}"; else echo "kept ${WORK}" >&2; fi
}
trap cleanup EXIT

die() {
    echo "bench/sales: $*" >&2
    exit 1
}

for tool in wrk pgbench psql sqlite3 curl jq; do
    command -v "${tool}" >/dev/null || die "${tool} is not installed (scripts/setup.sh installs it)"
done

if [[ "${OMC_BIN}" == "${ROOT}/build/release/omc" ]]; then
    echo "== building omc (release)"
    (cd "${ROOT}" && cmake --preset release >/dev/null && cmake --build --preset release --target omc >/dev/null)
fi

# omc refuses unknown OMC_* variables, so this script's own knobs are not passed on.
omc() {
    env -u OMC_BIN -u OMC_PORT OMC_DATABASE_URL="${DATABASE_URL}" OMC_LOG_LEVEL=warn "${OMC_BIN}" "$@"
}

# api <token> <method> <path> [json body]: prints the answer's data; fails on anything but 2xx.
api() {
    local token="$1" method="$2" path="$3" body="${4:-}" out status
    local args=(-s -o "${WORK}/api.json" -w '%{http_code}' -X "${method}" --max-time 30
        -H "Content-Type: application/json")
    if [[ -n "${token}" ]]; then args+=(-H "Authorization: Bearer ${token}"); fi
    if [[ -n "${body}" ]]; then args+=(--data "${body}"); fi
    status="$(curl "${args[@]}" "http://127.0.0.1:${OMC_PORT}${path}")"
    out="$(cat "${WORK}/api.json")"
    [[ "${status}" == 2* ]] || die "${method} ${path} answered ${status}: ${out}"
    jq -c '.data' <<<"${out}"
}

# login <username>: the session (access_token, user, ...).
login() {
    api "" POST /api/v1/auth/login "{\"login\":\"$1\",\"password\":\"${PASSWORD}\"}"
}

wait_ready() {
    for _ in $(seq 1 150); do
        kill -0 "$1" 2>/dev/null || return 1
        if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${OMC_PORT}/health/ready"; then return 0; fi
        sleep 0.1
    done
    return 1
}

start_omc() {
    local engine="$1"
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${OMC_PORT}/"; then
        die "port ${OMC_PORT} is already in use (a server from an earlier run?); stop it first"
    fi
    : >"${WORK}/bench.toml"
    for cls in default auth write read; do
        printf '[rate_limits.%s]\nper_second = 0\nburst = 0\n\n' "${cls}" >>"${WORK}/bench.toml"
    done
    env -u OMC_BIN -u OMC_PORT OMC_DATABASE_URL="${DATABASE_URL}" OMC_LOG_LEVEL=warn \
        OMC_LISTEN="127.0.0.1:${OMC_PORT}" OMC_IO_THREADS="${IO_THREADS}" \
        OMC_WORKER_THREADS="${WORKER_THREADS}" OMC_DATABASE_POOL_SIZE="${POOL_SIZE}" \
        "${OMC_BIN}" -c "${WORK}/bench.toml" serve >"${WORK}/omc-${engine}.log" 2>&1 &
    OMC_PID=$!
    PIDS+=("${OMC_PID}")
    wait_ready "${OMC_PID}" || { tail -20 "${WORK}/omc-${engine}.log" >&2; die "omc serve (${engine}) did not start"; }
}

stop_omc() {
    kill -TERM "${OMC_PID}" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "${OMC_PID}" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "${OMC_PID}" 2>/dev/null || true
    wait "${OMC_PID}" 2>/dev/null || true
}

# setup: the tenant, its master data and open shifts; writes ${WORK}/targets ("station nozzle"
# lines), ${WORK}/pgbench-targets ("station tank product nozzle shift" lines) and sets TENANT and
# MANAGER_TOKEN.
setup() {
    TENANT="$(omc admin create-tenant --code bench --name 'Bench Oil' | awk '/created:/ {print $NF}')"
    [[ -n "${TENANT}" ]] || die "create-tenant failed"
    echo "${PASSWORD}" | omc admin create-user --tenant bench --username bench-admin \
        --email admin@bench.example --role CompanyAdmin --password-stdin >/dev/null
    local admin region product stations=() scopes=()
    admin="$(login bench-admin | jq -r .access_token)"
    product="$(api "${admin}" POST /api/v1/products \
        '{"code":"PMS","name":"Premium motor spirit","kind":"fuel","unit":"L","density15":"745.0"}' | jq -r .id)"
    api "${admin}" POST /api/v1/prices "{\"product_id\":\"${product}\",\"unit_price\":\"14.95\"}" >/dev/null
    region="$(api "${admin}" POST /api/v1/regions '{"code":"bench","name":"Bench region"}' | jq -r .id)"
    : >"${WORK}/targets"
    : >"${WORK}/pgbench-targets"
    local i station tank pump nozzle n totalizers
    for ((i = 1; i <= STATIONS; i++)); do
        station="$(api "${admin}" POST /api/v1/stations \
            "{\"code\":\"ST${i}\",\"name\":\"Station ${i}\",\"region_id\":\"${region}\",\"operating_model\":\"COCO\"}" | jq -r .id)"
        stations+=("${station}")
        scopes+=(--scope "${station}")
        tank="$(api "${admin}" POST /api/v1/tanks \
            "{\"station_id\":\"${station}\",\"code\":\"T1\",\"product_id\":\"${product}\",\"capacity\":\"30000\",\"safe_fill\":\"28500\",\"low_level\":\"3000\",\"water_limit_mm\":50}" | jq -r .id)"
        pump="$(api "${admin}" POST /api/v1/pumps "{\"station_id\":\"${station}\",\"code\":\"P1\"}" | jq -r .id)"
        for ((n = 1; n <= NOZZLES; n++)); do
            nozzle="$(api "${admin}" POST /api/v1/nozzles \
                "{\"pump_id\":\"${pump}\",\"number\":${n},\"tank_id\":\"${tank}\",\"totalizer\":\"1000.000\"}" | jq -r .id)"
            echo "${station} ${nozzle}" >>"${WORK}/targets"
            echo "${station} ${tank} ${product} ${nozzle} ${pump}" >>"${WORK}/pgbench-targets"
        done
    done
    echo "${PASSWORD}" | omc admin create-user --tenant bench --username bench-manager \
        --email manager@bench.example --role StationManager "${scopes[@]}" --password-stdin >/dev/null
    local session manager_id
    session="$(login bench-manager)"
    MANAGER_TOKEN="$(jq -r .access_token <<<"${session}")"
    manager_id="$(jq -r .user.id <<<"${session}")"
    for station in "${stations[@]}"; do
        pump="$(awk -v s="${station}" '$1 == s {print $5; exit}' "${WORK}/pgbench-targets")"
        totalizers="$(awk -v s="${station}" '$1 == s {printf "%s{\"nozzle_id\":\"%s\",\"totalizer\":\"1000.000\"}", sep, $4; sep=","}' "${WORK}/pgbench-targets")"
        api "${MANAGER_TOKEN}" POST /api/v1/shifts \
            "{\"station_id\":\"${station}\",\"attendants\":[{\"pump_id\":\"${pump}\",\"attendant_id\":\"${manager_id}\"}],\"totalizers\":[${totalizers}]}" >/dev/null
    done
}

# sql <engine> <statement>: one value from the database, as the system (past row-level security).
sql() {
    if [[ "$1" == sqlite ]]; then
        sqlite3 "${DATABASE_URL#sqlite:}" "$2"
    else
        PGOPTIONS="--client-min-messages=warning" psql -X -q -t -A -v ON_ERROR_STOP=1 \
            "${DATABASE_URL}" -c "SET app.system = 'on'" -c "$2"
    fi
}

# CPU time (user + system) in clock ticks: of one process (cpu_ticks <pid>), or of the benchmark's
# PostgreSQL cluster (cpu_ticks pg): its postmaster, the backends that exited (reaped into the
# postmaster's children's time) and the live ones. The machine is shared, so CPU per sale is the
# steadier measure next to sales/s.
cpu_ticks() {
    if [[ "$1" != pg ]]; then
        awk '{print $14 + $15}' "/proc/$1/stat"
        return
    fi
    local master children=0 pid
    master="$(head -1 "${PG_DIR}/data/postmaster.pid")"
    for pid in $(ps -o pid= --ppid "${master}"); do
        children=$((children + $(awk '{print $14 + $15}' "/proc/${pid}/stat" 2>/dev/null || echo 0)))
    done
    echo $(($(awk '{print $14 + $15 + $16 + $17}' "/proc/${master}/stat") + children))
}

# thread_ticks <pid>: "<thread name> <ticks>" per thread name of a process, summed over the
# threads sharing a name (omc names its threads: omc-http-io, omc-http-work, omc-commit, ...).
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        # comm is field 2, in parentheses; utime and stime are fields 14 and 15.
        sed -E 's/^[0-9]+ \((.*)\) /\1 /' "${task}/stat" 2>/dev/null | awk '{print $1, $13 + $14}'
    done | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}' | sort
}

# cpu_us_per_sale <ticks> <sales>
cpu_us_per_sale() {
    awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }'
}

# load_ids <engine> <table> <file>: a table of one id column, for the checks.
load_ids() {
    if [[ "$1" == sqlite ]]; then
        sqlite3 "${DATABASE_URL#sqlite:}" "DROP TABLE IF EXISTS $2; CREATE TABLE $2 (id TEXT PRIMARY KEY);" \
            ".import $3 $2" >/dev/null
    else
        PGOPTIONS="--client-min-messages=warning" psql -X -q -v ON_ERROR_STOP=1 "${DATABASE_URL}" -c "DROP TABLE IF EXISTS $2" \
            -c "CREATE TABLE $2 (id UUID PRIMARY KEY)" -c "\\copy $2 FROM '$3'" >/dev/null
    fi
}

# verify <engine> <2xx count> <sent count>: the database against what wrk saw.
verify() {
    local engine="$1" ok="$2" sent="$3" failures=0
    sort -u "${WORK}/ok-ids" >"${WORK}/ok-ids.sorted"
    sort -u "${WORK}/sent-ids" >"${WORK}/sent-ids.sorted"
    [[ "$(wc -l <"${WORK}/ok-ids.sorted")" -eq "${ok}" ]] || { echo "verify: 2xx ids are not unique or unreadable"; failures=$((failures + 1)); }
    load_ids "${engine}" bench_ok_ids "${WORK}/ok-ids.sorted"
    load_ids "${engine}" bench_sent_ids "${WORK}/sent-ids.sorted"
    local t="tenant_id = '${TENANT}'"
    local stored missing unsent receipts stock daily
    stored="$(sql "${engine}" "SELECT COUNT(*) FROM sales WHERE ${t}")"
    missing="$(sql "${engine}" "SELECT COUNT(*) FROM bench_ok_ids o WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.${t} AND s.id = o.id)")"
    unsent="$(sql "${engine}" "SELECT COUNT(*) FROM sales s WHERE s.${t} AND NOT EXISTS (SELECT 1 FROM bench_sent_ids o WHERE o.id = s.id)")"
    # Receipts 1..n per station, and the counter at n + 1.
    receipts="$(sql "${engine}" "SELECT COUNT(*) FROM (SELECT s.station_id, COUNT(*) AS n, COUNT(DISTINCT receipt_no) AS d, MIN(receipt_no) AS lo, MAX(receipt_no) AS hi FROM sales s WHERE s.${t} GROUP BY s.station_id) x JOIN station_receipts r ON r.${t} AND r.station_id = x.station_id WHERE NOT (x.n = x.d AND x.lo = 1 AND x.hi = x.n AND r.next_receipt = x.n + 1)")"
    stock="$(sql "${engine}" "SELECT COUNT(*) FROM tanks k WHERE k.${t} AND k.book_stock_milli <> -(SELECT COALESCE(SUM(quantity_milli), 0) FROM sales s WHERE s.${t} AND s.tank_id = k.id)")"
    daily="$(sql "${engine}" "SELECT (SELECT COALESCE(SUM(sales_count), 0) || '/' || COALESCE(SUM(quantity_milli), 0) || '/' || COALESCE(SUM(amount), 0) FROM sales_daily WHERE ${t}) = (SELECT COUNT(*) || '/' || COALESCE(SUM(quantity_milli), 0) || '/' || COALESCE(SUM(amount), 0) FROM sales WHERE ${t})")"
    local extra=$((stored - ok)) in_flight=$((sent - ok))
    echo "verify (${engine}): stored ${stored}, answered 2xx ${ok}, 2xx missing ${missing}, stored but never sent ${unsent}, stored without an answer ${extra} (of ${in_flight} in flight when wrk stopped)"
    echo "verify (${engine}): stations with receipt gaps ${receipts}, tanks off their sales ${stock}, daily rollup matches: ${daily}"
    [[ "${missing}" -eq 0 && "${unsent}" -eq 0 && "${extra}" -ge 0 && "${extra}" -le "${in_flight}" && "${extra}" -le "${CONNECTIONS}" ]] || failures=$((failures + 1))
    [[ "${receipts}" -eq 0 && "${stock}" -eq 0 && ( "${daily}" == 1 || "${daily}" == t ) ]] || failures=$((failures + 1))
    sql "${engine}" "DROP TABLE bench_ok_ids" >/dev/null
    sql "${engine}" "DROP TABLE bench_sent_ids" >/dev/null
    [[ "${failures}" -eq 0 ]] || die "verification failed on ${engine}"
}

# Converts wrk's "1.23ms" / "850.00us" / "1.02s" to milliseconds.
us_to_ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }

RESULTS=()

# run_wrk <engine>: posts sales for DURATION seconds; records the result and verifies.
run_wrk() {
    local engine="$1" out="${WORK}/wrk-${engine}.txt"
    rm -f "${WORK}/ok-ids" "${WORK}/sent-ids"
    echo "== omc ${engine}: ${CONNECTIONS} connections, ${DURATION}s, ${STATIONS} stations x ${NOZZLES} nozzles (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    local omc_before pg_before=0 omc_after pg_after=0 xact_before=0 xact_after=0
    local xacts="SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    omc_before="$(cpu_ticks "${OMC_PID}")"
    thread_ticks "${OMC_PID}" >"${WORK}/threads-before"
    if [[ "${engine}" == postgres ]]; then
        pg_before="$(cpu_ticks pg)"
        xact_before="$(sql postgres "${xacts}")"
        if [[ -n "${PG_STATEMENTS:-}" ]]; then
            psql -X -q "${DATABASE_URL/omc_app@/postgres@}" -c "SELECT pg_stat_statements_reset()" >/dev/null
        fi
    fi
    SALES_TOKEN="${MANAGER_TOKEN}" SALES_TARGETS="${WORK}/targets" SALES_OK_IDS="${WORK}/ok-ids" \
        SALES_SENT_IDS="${WORK}/sent-ids" timeout $((DURATION + 60)) \
        wrk -t"${WRK_THREADS}" -c"${CONNECTIONS}" -d"${DURATION}s" --latency --timeout 10s \
        -s "${HERE}/sale.lua" "http://127.0.0.1:${OMC_PORT}" >"${out}" || die "wrk failed: $(cat "${out}")"
    omc_after="$(cpu_ticks "${OMC_PID}")"
    thread_ticks "${OMC_PID}" >"${WORK}/threads-after"
    if [[ "${engine}" == postgres ]]; then
        pg_after="$(cpu_ticks pg)"
        xact_after="$(sql postgres "${xacts}")"
    fi
    grep '^sales:' "${out}"
    # Where omc's CPU went, by thread name, per sale answered.
    local answered
    answered="$(awk '/^sales: sent/ {print $5}' "${out}")"
    join -a2 -e0 -o '0,1.2,2.2' "${WORK}/threads-before" "${WORK}/threads-after" |
        awk -v n="${answered}" -v hz="$(getconf CLK_TCK)" \
            '$3 > $2 && n > 0 {printf "omc threads: %s %.0f us per sale\n", $1, ($3 - $2) * 1e6 / hz / n}'
    if [[ "${engine}" == postgres && -n "${PG_STATEMENTS:-}" ]]; then
        psql -X -q -P pager=off "${DATABASE_URL/omc_app@/postgres@}" -c "
            SELECT calls, round(total_exec_time) AS total_ms,
                   round((total_exec_time * 1000 / NULLIF(calls, 0))::numeric, 1) AS us_per_call,
                   rows, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20"
    fi
    local sent ok other p50 p99 rps
    read -r sent ok other < <(awk '/^sales: sent/ {print $3, $5, $7}' "${out}")
    read -r p50 p99 < <(awk '/^sales: latency/ {print $4, $6}' "${out}")
    rps="$(awk -v n="${ok}" -v d="${DURATION}" 'BEGIN { printf "%.0f", n / d }')"
    local cpu
    cpu="$(awk '/^Requests\/sec:/ {print $2}' "${out}")"
    local cpu_omc cpu_db
    cpu_omc="$(cpu_us_per_sale $((omc_after - omc_before)) "${ok}")"
    cpu_db="$(cpu_us_per_sale $((pg_after - pg_before)) "${ok}")"
    [[ "${engine}" == sqlite ]] && cpu_db="-"  # SQLite runs inside omc
    RESULTS+=("omc ${engine}|${rps}|$(us_to_ms "${p50}")|$(us_to_ms "${p99}")|${other}|${cpu_omc}|${cpu_db}")
    echo "omc ${engine}: ${ok} sales answered 2xx in ${DURATION}s = ${rps} sales/s (wrk: ${cpu} req/s), other ${other}"
    if [[ "${engine}" == postgres ]]; then
        # Every committed transaction of the run: sale batches, and the outbox relay's steps.
        echo "omc postgres: $((xact_after - xact_before)) transactions committed for ${ok} sales" \
            "($(awk -v a="${ok}" -v b=$((xact_after - xact_before)) 'BEGIN { if (b > 0) printf "%.1f", a / b }') sales per transaction)"
    fi
    stop_omc
    verify "${engine}" "${ok}" "${sent}"
    [[ "${other}" -eq 0 ]] || die "${other} sales were not answered 2xx on ${engine}"
}

# run_pgbench: the same writes, one transaction per sale, one script per nozzle (pgbench picks
# one at random per transaction, as wrk picks a nozzle).
run_pgbench() {
    local shift_of scripts=() i=0
    while read -r station tank product nozzle _; do
        i=$((i + 1))
        local shift
        shift="$(sql postgres "SELECT id FROM shifts WHERE tenant_id = '${TENANT}' AND station_id = '${station}' AND status = 'open'")"
        sed -e "s/:tenant/'${TENANT}'/g" -e "s/:station/'${station}'/g" -e "s/:tank/'${tank}'/g" \
            -e "s/:product/'${product}'/g" -e "s/:nozzle/'${nozzle}'/g" -e "s/:shift/'${shift}'/g" \
            "${HERE}/pgbench_sale.sql" >"${WORK}/pgbench-${i}.sql"
        scripts+=(-f "${WORK}/pgbench-${i}.sql@1")
    done <"${WORK}/pgbench-targets"
    local before after pg_before pg_after
    before="$(sql postgres "SELECT COUNT(*) FROM sales WHERE tenant_id = '${TENANT}'")"
    pg_before="$(cpu_ticks pg)"
    echo "== pgbench: ${CONNECTIONS} clients, ${DURATION}s, the same writes one transaction per sale (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    (cd "${WORK}" && timeout $((DURATION + 60)) pgbench -n -M prepared -c "${CONNECTIONS}" -j 2 \
        -T "${DURATION}" --log --log-prefix=pgb "${scripts[@]}" "${DATABASE_URL}") >"${WORK}/pgbench.txt" 2>&1 ||
        die "pgbench failed: $(tail -20 "${WORK}/pgbench.txt")"
    pg_after="$(cpu_ticks pg)"
    after="$(sql postgres "SELECT COUNT(*) FROM sales WHERE tenant_id = '${TENANT}'")"
    local tx failed tps p50 p99
    tx="$(awk '/number of transactions actually processed:/ {print $6; exit}' "${WORK}/pgbench.txt")"
    failed="$(awk '/number of failed transactions:/ {print $5; exit}' "${WORK}/pgbench.txt")"
    tps="$(awk -v n="${tx%%/*}" -v d="${DURATION}" 'BEGIN { printf "%.0f", n / d }')"
    # Per-transaction log lines: client, transaction, latency in microseconds, ...
    cat "${WORK}"/pgb.* | awk '{print $3}' | sort -n >"${WORK}/pgb-latencies"
    local count
    count="$(wc -l <"${WORK}/pgb-latencies")"
    p50="$(sed -n "$(((count + 1) / 2))p" "${WORK}/pgb-latencies")"
    p99="$(sed -n "$(((count * 99 + 99) / 100))p" "${WORK}/pgb-latencies")"
    grep -E '^(tps|latency average|number of)' "${WORK}/pgbench.txt"
    echo "pgbench: $((after - before)) sales stored for ${tx%%/*} transactions"
    RESULTS+=("pgbench postgres|${tps}|$(us_to_ms "${p50}")|$(us_to_ms "${p99}")|${failed:-0}|-|$(cpu_us_per_sale $((pg_after - pg_before)) "${tx%%/*}")")
}

bench_engine() {
    local engine="$1"
    if [[ "${engine}" == postgres ]]; then
        PG_DIR="${WORK}/pg"
        local extra=""
        if [[ -n "${PG_STATEMENTS:-}" ]]; then
            extra="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        fi
        eval "$(OMC_PG_EXTRA_OPTIONS="${extra}" bash "${ROOT}/scripts/pg-cluster.sh" start "${PG_DIR}")"
        DATABASE_URL="${OMC_TEST_PG_URL}"
        if [[ -n "${PG_STATEMENTS:-}" ]]; then
            psql -X -q "${DATABASE_URL/omc_app@/postgres@}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
        fi
    else
        DATABASE_URL="sqlite:${WORK}/sales.db"
    fi
    omc migrate >/dev/null
    start_omc "${engine}"
    setup
    run_wrk "${engine}"
    if [[ "${engine}" == postgres ]]; then
        run_pgbench
        bash "${ROOT}/scripts/pg-cluster.sh" stop "${PG_DIR}" >/dev/null
        PG_DIR=""
    fi
}

for engine in ${ENGINES}; do bench_engine "${engine}"; done

echo
echo "sales, ${DURATION}s, ${CONNECTIONS} connections, ${STATIONS} stations x ${NOZZLES} nozzles, omc workers ${WORKER_THREADS}, pool ${POOL_SIZE}; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %10s %8s %8s %8s %12s %12s\n' "measurement" "sales/s" "p50 ms" "p99 ms" "failed" \
    "omc CPU us" "PG CPU us"
printf '%-20s %10s %8s %8s %8s %12s %12s\n' "" "" "" "" "" "per sale" "per sale"
omc_pg="" pgbench=""
for row in "${RESULTS[@]}"; do
    IFS='|' read -r label rps p50 p99 failed cpu_omc cpu_db <<<"${row}"
    printf '%-20s %10s %8s %8s %8s %12s %12s\n' "${label}" "${rps}" "${p50}" "${p99}" "${failed}" \
        "${cpu_omc}" "${cpu_db}"
    [[ "${label}" == "omc postgres" ]] && omc_pg="${rps}"
    [[ "${label}" == "pgbench postgres" ]] && pgbench="${rps}"
done
if [[ -n "${omc_pg}" && -n "${pgbench}" ]]; then
    echo "omc postgres / pgbench: $(awk -v a="${omc_pg}" -v b="${pgbench}" 'BEGIN { printf "%.2f", a / b }') (target >= 2.00)"
fi
