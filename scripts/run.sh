#!/usr/bin/env bash
# Installs what OMC ERP needs, builds the release binary, migrates the database, loads the demo
# tenant (50 stations with 90 days of history on the first run; printing its users' passwords)
# and serves the product (the web console at /, the API under /api/v1) on http://localhost:8080 with the embedded SQLite default
# (./omc-data/omc.db). The local MTN MoMo simulator (`omc momo-sim`, log omc-data/momo-sim.log)
# runs beside it on MOMO_SIM_LISTEN (default 127.0.0.1:8091), and the demo tenant's MTN provider
# points at it, so a MoMo sale works in the demo; it stops when the server stops.
# Environment overrides (OMC_LISTEN, OMC_DATABASE_URL, ...) and OMC_CONFIG are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
cmake --preset release >/dev/null
cmake --build --preset release --target omc
# The web console, served by `omc serve` at / from web/dist (web.root).
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)

mkdir -p omc-data
export OMC_DATABASE_URL="${OMC_DATABASE_URL:-sqlite:omc-data/omc.db}"
./build/release/omc migrate
# The demo tenant: a 50-station network with 90 days of history (built once; a later run keeps it)
# and one user per role, whose passwords are generated on every run (and kept in
# omc-data/demo-users.txt, readable only by you, so they survive scrolling). The progress line
# goes to the terminal only. `omc simulate` (in another terminal) then drives live sales.
MOMO_SIM_LISTEN="${MOMO_SIM_LISTEN:-127.0.0.1:8091}"
LISTEN="${OMC_LISTEN:-0.0.0.0:8080}"
PUBLIC_URL="http://127.0.0.1:${LISTEN##*:}"
./build/release/omc momo-sim --listen "$MOMO_SIM_LISTEN" --delay-ms 5000 \
    >omc-data/momo-sim.log 2>&1 &
MOMO_SIM_PID=$!
trap 'kill "$MOMO_SIM_PID" 2>/dev/null || true' EXIT
umask 077
./build/release/omc demo --stations 50 --days 90 --momo-sim-url "http://$MOMO_SIM_LISTEN" \
    --public-url "$PUBLIC_URL" | tee omc-data/demo-users.txt
umask 022
echo "run: sign in with POST /api/v1/auth/login {\"login\":\"demo-admin\",\"password\":...}"
echo "run: MoMo simulator on $MOMO_SIM_LISTEN (pid $MOMO_SIM_PID, log omc-data/momo-sim.log)"
echo "run: serving on $LISTEN (Ctrl-C to stop)"
./build/release/omc serve
