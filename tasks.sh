#!/usr/bin/env bash
# One entry point for newcomers and CI: each task sets up .venv (once) and runs.
#   bash tasks.sh conformance [ARGS]  main job: conformance suite vs the embedded mock + report
#   bash tasks.sh test                 everything CI checks: build --check, ruff, mypy, pytest
#   bash tasks.sh build                regenerate spec/ and generated/ (bria-build)
#   bash tasks.sh bench                benchmark scripts (figures printed, nothing asserted)
#   bash tasks.sh setup                only create/refresh .venv
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=".venv"
BIN="$VENV/bin"

setup() {
    if [ ! -x "$BIN/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    # Reinstall only when the dependency list changed; a stamp holds the pyproject hash.
    local stamp="$VENV/.installed" want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$BIN/python" -m pip install --quiet --upgrade pip
        "$BIN/python" -m pip install --quiet -e '.[dev]'
        echo "$want" > "$stamp"
    fi
}

task="${1:-help}"
shift || true
case "$task" in
    setup)
        setup ;;
    conformance)
        setup
        mkdir -p reports
        "$BIN/bria-conformance" --report reports/conformance.md --junit reports/conformance.xml "$@" ;;
    test)
        setup
        "$BIN/bria-build" --check
        "$BIN/ruff" check scripts conformance client_runtime tests benchmarks
        "$BIN/mypy" scripts/bria_build conformance/bria_mock conformance/bria_conformance
        "$BIN/mypy" -p bria_tailored.runtime
        "$BIN/pytest" -q "$@" ;;
    build)
        setup
        "$BIN/bria-build" "$@" ;;
    bench)
        setup
        for script in benchmarks/bench_pipeline.py benchmarks/bench_mock.py \
                      benchmarks/bench_conformance.py; do
            echo "== $script"
            "$BIN/python" "$script"
        done ;;
    *)
        sed -n '2,8p' "$0"
        exit 2 ;;
esac
