#!/usr/bin/env bash
# APEBench 0.1.1's own test suite, run against this package (not part of CI).
#
#     bash benchmarks/peer_tests.sh [pytest args...]
#
# Downloads the apebench 0.1.1 source distribution with pip, copies its tests/ to a
# scratch folder with `import apebench` replaced by `import apebench_core as apebench`,
# and runs them with pytest in benchmarks/.venvs/peer (created on first use: this package
# in editable mode plus exponax==0.1.0 without its dependencies, which the peer's tests
# import for `exponax.rollout`). PEER_PYTHON=/path/to/python uses another environment.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
VENV="$HERE/.venvs/peer"
PYTHON="${PEER_PYTHON:-$VENV/bin/python}"
if [ ! -x "$PYTHON" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -e "$ROOT[test]"
    "$VENV/bin/pip" install -q --no-deps exponax==0.1.0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" -m pip download -q --no-deps --no-binary :all: apebench==0.1.1 -d "$WORK"
tar xzf "$WORK"/apebench-0.1.1.tar.gz -C "$WORK"
mkdir "$WORK/peer_tests"
for test in "$WORK"/apebench-0.1.1/tests/test_*.py; do
    sed -E 's/^import apebench$/import apebench_core as apebench/' "$test" > "$WORK/peer_tests/$(basename "$test")"
done
cd "$WORK/peer_tests"
JAX_PLATFORMS=cpu "$PYTHON" -m pytest -q -p no:cacheprovider --rootdir="$WORK/peer_tests" "$@" .
