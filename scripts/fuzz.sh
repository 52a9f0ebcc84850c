#!/usr/bin/env bash
# Builds every src/**/*_fuzz.cpp as a libFuzzer target (clang, ASan, UBSan) into build/fuzz and
# runs each for ${OMC_FUZZ_SECONDS:-20} seconds. Exits non-zero on the first crash, leak or
# sanitizer report; the reproducer is left in build/fuzz/<target>/.
#
#   scripts/fuzz.sh                  # all targets
#   OMC_FUZZ_SECONDS=300 scripts/fuzz.sh json_body
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${ROOT}/build/fuzz"
SECONDS_PER_TARGET="${OMC_FUZZ_SECONDS:-20}"
CXX="${OMC_FUZZ_CXX:-clang++-14}"
FILTER="${1:-}"
mkdir -p "${OUT}"

# The sources each target needs besides itself. A target not listed links src/platform/base.
declare -A DEPS=(
    [json_body]="src/platform/http/json_body.cpp src/platform/base/*.cpp"
    [json_text]="src/platform/http/json_text.cpp"
)

status=0
while IFS= read -r fuzz_src; do
    name="$(basename "${fuzz_src}" _fuzz.cpp)"
    if [[ -n "${FILTER}" && "${name}" != "${FILTER}" ]]; then continue; fi
    deps="${DEPS[${name}]:-src/platform/base/*.cpp}"
    # shellcheck disable=SC2086  # the dependency globs must expand
    dep_files=$(cd "${ROOT}" && ls ${deps} | grep -v '_test\.cpp$')
    bin="${OUT}/${name}_fuzz"
    echo "== building ${name}"
    (cd "${ROOT}" && "${CXX}" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=undefined -DSPDLOG_FMT_EXTERNAL -Isrc "${fuzz_src}" ${dep_files} \
        -lfmt -lsodium -o "${bin}")
    work="${OUT}/${name}"
    mkdir -p "${work}/corpus"
    # Seeds, so the short runs start from valid requests instead of rediscovering JSON.
    if [[ -d "${ROOT}/src/testing/fuzz_seeds/${name}" ]]; then
        cp -n "${ROOT}/src/testing/fuzz_seeds/${name}"/* "${work}/corpus/" 2>/dev/null || true
    elif [[ "${name}" == "json_body" && -z "$(ls -A "${work}/corpus")" ]]; then
        printf '%s' '{"name":"Accra 1","count":3,"flag":true,"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","kind":"a","price":"12.34","station":{"name":"s","address":{"street":"x"}},"lines":[{"quantity_ml":1000,"product":"diesel","price":"1.2345"}],"tags":["t"],"ids":["0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"],"note":"n"}' >"${work}/corpus/seed-full.json"
        printf '%s' '{"count":18446744073709551615,"price":1e30,"lines":[1,{"quantity_ml":1.5}],"x":null}' >"${work}/corpus/seed-bad.json"
        printf '%s' '{"a":[[[[{"b":"\u00e9\"q"}]]]]}' >"${work}/corpus/seed-nested.json"
    fi
    echo "== running ${name} for ${SECONDS_PER_TARGET}s"
    if ! (cd "${work}" && "${bin}" -max_total_time="${SECONDS_PER_TARGET}" -max_len=65536 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus); then
        echo "!! ${name}: the fuzzer found a failure (see ${work})" >&2
        status=1
    fi
done < <(cd "${ROOT}" && find src -name '*_fuzz.cpp' | sort)
exit "${status}"
