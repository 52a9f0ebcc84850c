#!/usr/bin/env bash
# Group commit: rows/s written by N threads, one transaction per row against db::GroupCommitter,
# on SQLite and PostgreSQL.
#
#   bench/groupcommit/run.sh                     # 3 s per run, 16 and 64 threads
#   SECONDS_PER_RUN=5 THREADS="16" bench/groupcommit/run.sh
#   PG_DURABLE=1 ENGINES=postgres bench/groupcommit/run.sh   # fsync and synchronous_commit on
#   OMC_BENCH_PG_URL=postgresql://omc_app@127.0.0.1/omc_bench bench/groupcommit/run.sh
#
# Without OMC_BENCH_PG_URL it starts a throwaway cluster with scripts/pg-cluster.sh, which has
# durability off (fsync, synchronous_commit, full_page_writes): that hides the cost of a commit's
# flush, which is what group commit saves most on a real server. PG_DURABLE=1 restarts that
# cluster with all three on. The SQLite database is a file under /tmp (WAL, synchronous=NORMAL,
# as omc runs it).
#
# Modes: `single` (one transaction per row), `group` (the group committer, each row in its own
# savepoint), `group --optimistic` (ItemIsolation::kOptimistic: rows back to back, savepoints only
# when a batch has a bad row) and `group --no-savepoints` (the batch's rows in one pipeline with
# no isolation at all: the ceiling). Each runs with plain inserts and with
# inserts that also update one shared "till" row (--hot-row: per transaction in single mode, once
# per batch in group mode). The machine is shared: read the numbers as ratios, and do not run this
# in a loop.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-3}"
THREADS="${THREADS:-16 64}"
ENGINES="${ENGINES:-sqlite postgres}"
BIN="${ROOT}/build/release/bench/groupcommit/omc_bench_groupcommit"
WORK="$(mktemp -d /tmp/omc-bench-gc.XXXXXX)"
PG_DIR=""

cleanup() {
    if [[ -n "${PG_DIR}" ]]; then bash "${ROOT}/scripts/pg-cluster.sh" stop "${PG_DIR}" >/dev/null 2>&1 || true; fi
    rm -rf "${WORK}"
}
trap cleanup EXIT

echo "== building omc_bench_groupcommit (release)"
(cd "${ROOT}" && cmake --preset release -DOMC_BUILD_BENCH=ON >/dev/null &&
    cmake --build --preset release --target omc_bench_groupcommit >/dev/null)

pg_url="${OMC_BENCH_PG_URL:-}"
if [[ -z "${pg_url}" ]]; then
    chmod 755 "${WORK}"
    PG_DIR="${WORK}/pg"
    eval "$(bash "${ROOT}/scripts/pg-cluster.sh" start "${PG_DIR}")"
    pg_url="${OMC_TEST_PG_URL}"
    durability="off"
    if [[ "${PG_DURABLE:-0}" == "1" ]]; then
        owner=()
        if [[ "$(id -u)" -eq 0 ]]; then owner=(runuser -u postgres --); fi
        "${owner[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "${PG_DIR}/data" -l "${PG_DIR}/postgres.log" \
            -w -t 60 restart -o "-c listen_addresses=127.0.0.1 -p $(cat "${PG_DIR}/port") -k ${PG_DIR} \
            -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200" >/dev/null
        durability="on"
    fi
    echo "== throwaway PostgreSQL at ${pg_url} (durability ${durability})"
fi

run() {  # run <url> <extra args...>
    timeout $((SECONDS_PER_RUN + 60)) "${BIN}" --url "$1" --seconds "${SECONDS_PER_RUN}" "${@:2}"
}

for engine in ${ENGINES}; do
    url="${pg_url}"
    if [[ "${engine}" == sqlite ]]; then url="sqlite:${WORK}/gc.db"; fi
    for threads in ${THREADS}; do
        for hot in "" "--hot-row"; do
            for mode in "single" "group" "group --optimistic" "group --no-savepoints"; do
                # shellcheck disable=SC2086
                run "${url}" --threads "${threads}" --mode ${mode} ${hot}
            done
        done
    done
done
