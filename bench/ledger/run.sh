#!/usr/bin/env bash
# Ledger throughput: batched transfers/s through ledger::CreateTransfers against the same rows
# written raw (one multi-row INSERT per 16 transfers and one delta UPDATE per touched account,
# no checks), on SQLite and PostgreSQL, and pgbench inserting the same rows on PostgreSQL.
#
#   bench/ledger/run.sh                          # 5 s per run, batches of 100, 1 and 2 threads
#   SECONDS_PER_RUN=10 BATCH=500 THREADS="1" ENGINES=postgres bench/ledger/run.sh
#   OMC_BENCH_PG_URL=postgresql://omc_app@127.0.0.1/omc_bench bench/ledger/run.sh
#
# Without OMC_BENCH_PG_URL a throwaway cluster is started with scripts/pg-cluster.sh (durability
# off, as the other benchmarks). The machine is shared and noisy: read ledger/raw as a ratio
# measured in the same run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
BATCH="${BATCH:-100}"
ACCOUNTS="${ACCOUNTS:-200}"
THREADS="${THREADS:-1 2}"
ENGINES="${ENGINES:-sqlite postgres}"
BIN="${ROOT}/build/release/bench/ledger/omc_bench_ledger"
WORK="$(mktemp -d /tmp/omc-bench-ledger.XXXXXX)"
PG_DIR=""

cleanup() {
    if [[ -n "${PG_DIR}" ]]; then bash "${ROOT}/scripts/pg-cluster.sh" stop "${PG_DIR}" >/dev/null 2>&1 || true; fi
    rm -rf "${WORK}"
}
trap cleanup EXIT

echo "== building omc_bench_ledger (release)"
(cd "${ROOT}" && cmake --preset release -DOMC_BUILD_BENCH=ON >/dev/null &&
    cmake --build --preset release --target omc_bench_ledger >/dev/null)

pg_url=""
if [[ " ${ENGINES} " == *" postgres "* ]]; then
    pg_url="${OMC_BENCH_PG_URL:-}"
    if [[ -z "${pg_url}" ]]; then
        chmod 755 "${WORK}"
        PG_DIR="${WORK}/pg"
        eval "$(bash "${ROOT}/scripts/pg-cluster.sh" start "${PG_DIR}")"
        pg_url="${OMC_TEST_PG_URL}"
        echo "== throwaway PostgreSQL at ${pg_url}"
    fi
fi

echo "== $(date -u +%FT%TZ) $(nproc) cores; batch ${BATCH}, ${ACCOUNTS} accounts, ${SECONDS_PER_RUN} s per run"
if [[ -n "${pg_url}" ]]; then
    # A fresh cluster's first seconds (catalog caches, autovacuum of the new tables) would be
    # charged to whichever run comes first: warm it up, unmeasured.
    "${BIN}" --url "${pg_url}" --mode raw --batch "${BATCH}" --accounts "${ACCOUNTS}" --threads 1 \
        --seconds 3 >/dev/null
    psql "${pg_url}" -qc "VACUUM ANALYZE" 2>/dev/null || true
fi
for engine in ${ENGINES}; do
    for threads in ${THREADS}; do
        for mode in raw ledger; do
            if [[ "${engine}" == "sqlite" ]]; then
                url="sqlite://${WORK}/ledger-${mode}-${threads}.db"
            else
                url="${pg_url}"
            fi
            "${BIN}" --url "${url}" --mode "${mode}" --batch "${BATCH}" --accounts "${ACCOUNTS}" \
                --threads "${threads}" --seconds "${SECONDS_PER_RUN}"
        done
    done
done

PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)"
if [[ -n "${pg_url}" && -n "${PGBENCH}" ]]; then
    # pgbench: each transaction inserts BATCH transfer rows (one INSERT ... SELECT) and updates
    # two accounts' totals per transfer as one UPDATE ... FROM per side: the same rows and
    # account writes as a ledger batch, with no checks and no round trips between statements.
    tenant="$(PGOPTIONS="-c app.system=on" psql "${pg_url}" -Atc \
        "SELECT tenant_id FROM ledger_accounts LIMIT 1")"
    cat > "${WORK}/pgbench.sql" <<SQL
BEGIN;
WITH a AS (SELECT array_agg(id) AS ids FROM ledger_accounts WHERE tenant_id = '${tenant}'),
t AS (SELECT gen_random_uuid() AS id, ids[1 + floor(random() * array_length(ids, 1))::int] AS d,
             ids[1 + floor(random() * array_length(ids, 1))::int] AS c,
             1 + floor(random() * 100000)::bigint AS amount
      FROM a, generate_series(1, ${BATCH})),
i AS (INSERT INTO ledger_transfers (tenant_id, id, debit_account_id, credit_account_id, amount,
        currency, flags, timeout_s, entry_id, kind, booked_on, created_at_us, created_by)
      SELECT '${tenant}', id, d, c, amount, 'GHS', 0, 0, id, 'pgbench', '2026-11-22', 0, 'pgbench'
      FROM t WHERE d <> c RETURNING debit_account_id, credit_account_id, amount),
dd AS (UPDATE ledger_accounts SET debits_posted = debits_posted + s.amount
       FROM (SELECT debit_account_id AS id, SUM(amount) AS amount FROM i GROUP BY 1) s
       WHERE tenant_id = '${tenant}' AND ledger_accounts.id = s.id RETURNING 1)
UPDATE ledger_accounts SET credits_posted = credits_posted + s.amount
FROM (SELECT credit_account_id AS id, SUM(amount) AS amount FROM i GROUP BY 1) s
WHERE tenant_id = '${tenant}' AND ledger_accounts.id = s.id;
COMMIT;
SQL
    # One client: pgbench's clients would share one tenant's accounts.
    for threads in 1; do
        tps="$(PGOPTIONS="-c app.system=on" "${PGBENCH}" -n -f "${WORK}/pgbench.sql" -c "${threads}" -j "${threads}" \
            -T "${SECONDS_PER_RUN}" "${pg_url}" 2>"${WORK}/pgbench.err" | awk '/^tps/ {print $3}' || true)"
        [[ -n "${tps}" ]] || { echo "pgbench failed:" >&2; cat "${WORK}/pgbench.err" >&2; continue; }
        awk -v t="${tps}" -v b="${BATCH}" -v n="${threads}" \
            'BEGIN {printf "mode=pgbench engine=postgres threads=%d batch=%d: %.0f transfers/s (%.1f batches/s)\n", n, b, t * b, t}'
    done
fi
