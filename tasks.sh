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
UV_VERSION="0.13.8"
UV=".tools/bin/uv"

setup() {
    # uv comes from PyPI through pip into a tool folder of its own; it then makes .venv exactly
    # what uv.lock says (the three products and bria-build as editable installs, plus the dev tools).
    if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        "$PYTHON" -m venv .tools
        .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    fi
    UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT="$VENV" \
        "$UV" sync --locked --quiet
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
        "$BIN/ruff" check generated/bria_tailored/runtime scripts conformance tests benchmarks docs/examples
        "$BIN/mypy" -p bria_build -p bria_mock -p bria_conformance -p bria_tailored.runtime
        "$BIN/pytest" -q -n 2 --dist loadgroup "$@" ;;
    build)
        setup
        "$BIN/bria-build" "$@" ;;
    bench)
        setup
        for script in benchmarks/bench_pipeline.py benchmarks/bench_mock.py \
                      benchmarks/bench_mock_hostile.py benchmarks/bench_conformance.py; do
            echo "== $script"
            "$BIN/python" "$script"
        done ;;
    *)
        sed -n '2,8p' "$0"
        exit 2 ;;
esac
