#!/usr/bin/env bash
# Installs what OMC ERP needs, builds the release binary, migrates the database, loads the demo
# tenant (50 stations with 90 days of history on the first run; printing its users' passwords)
# and serves the product on http://localhost:8080 with the embedded SQLite default
# (./omc-data/omc.db).
# Environment overrides (OMC_LISTEN, OMC_DATABASE_URL, ...) and OMC_CONFIG are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
cmake --preset release >/dev/null
cmake --build --preset release --target omc

mkdir -p omc-data
export OMC_DATABASE_URL="${OMC_DATABASE_URL:-sqlite:omc-data/omc.db}"
./build/release/omc migrate
# The demo tenant: a 50-station network with 90 days of history (built once; a later run keeps it)
# and one user per role, whose passwords are generated on every run (and kept in
# omc-data/demo-users.txt, readable only by you, so they survive scrolling). The progress line
# goes to the terminal only. `omc simulate` (in another terminal) then drives live sales.
umask 077
./build/release/omc demo --stations 50 --days 90 | tee omc-data/demo-users.txt
umask 022
echo "run: sign in with POST /api/v1/auth/login {\"login\":\"demo-admin\",\"password\":...}"
echo "run: serving on ${OMC_LISTEN:-0.0.0.0:8080} (Ctrl-C to stop)"
exec ./build/release/omc serve
