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
    echo "== running ${name} for ${SECONDS_PER_TARGET}s"
    if ! (cd "${work}" && "${bin}" -max_total_time="${SECONDS_PER_TARGET}" -max_len=65536 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus); then
        echo "!! ${name}: the fuzzer found a failure (see ${work})" >&2
        status=1
    fi
done < <(cd "${ROOT}" && find src -name '*_fuzz.cpp' | sort)
exit "${status}"
