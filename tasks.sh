#!/usr/bin/env bash
# One entry point for newcomers and CI: each task sets up .venv (once) and runs.
#   bash tasks.sh conformance [ARGS]  main job: conformance suite vs the embedded mock + report
#   bash tasks.sh test                 build --check, spec lint, ruff, mypy, pytest (not the slow runs
#                                      nor the rest of the matrices)
#   bash tasks.sh test-matrix          every case of the matrices `test` samples (broken servers,
#                                      upgrade fixtures, wheel installs)
#   bash tasks.sh test-all             build --check, lint, then every test: matrices and the slow
#                                      whole-suite runs too
#   bash tasks.sh build                regenerate spec/ and generated/ (bria-build)
#   bash tasks.sh bench                benchmark scripts (figures printed, nothing asserted)
#   bash tasks.sh lint                 only the spec linters (Spectral, Redocly CLI) on the normalized spec
#   bash tasks.sh setup                only create/refresh .venv
set -euo pipefail
cd "$(dirname "$0")"
# Every test spawns Python processes (the mock, pytest runs, fresh virtualenvs); without cached
# bytecode each of them compiles its imports again, and pytest rewrites its plugins' assertions
# again. Caches live beside the sources in .venv and the checkout (ignored by git).
unset PYTHONDONTWRITEBYTECODE

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
        "$UV" sync --locked --quiet --compile-bytecode
}

lint_spec() {
    # Spectral and Redocly CLI, pinned in package-lock.json, lint the normalized spec: 0 errors and
    # 0 warnings beyond the rules .spectral.yaml and redocly.yaml turn off (each with its reason).
    # `npm ci` runs only when package-lock.json changed since the last install (stamp file).
    if ! command -v npm >/dev/null 2>&1; then
        # The linters are Node.js tools. CI has Node; a machine with only Python still runs the rest.
        if [ "${CI:-}" = "true" ]; then
            echo "spec lint: npm not found, and CI requires the spec linters" >&2
            return 1
        fi
        echo "spec lint: skipped (Node.js/npm not found; install Node.js 20 to run Spectral and Redocly)"
        return 0
    fi
    local stamp="node_modules/.installed-lock"
    if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
        npm ci --no-audit --no-fund --loglevel=error
        cp package-lock.json "$stamp"
    fi
    local spec="spec/bria-tailored.openapi.json"
    SCARF_ANALYTICS=false node_modules/.bin/spectral lint --ruleset .spectral.yaml \
        --fail-severity warn "$spec"
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1 \
        node_modules/.bin/redocly lint --config redocly.yaml --format json "$spec" 2>/dev/null \
        | "$BIN/python" -c '
import json, sys
report = json.load(sys.stdin)
for problem in report["problems"]:
    print("redocly %(severity)s %(ruleId)s: %(message)s" % problem)
totals = report["totals"]
print("redocly: %(errors)d errors, %(warnings)d warnings" % totals)
sys.exit(1 if totals["errors"] or totals["warnings"] else 0)
'
}

python_checks() {
    "$BIN/bria-build" --check
    "$BIN/ruff" check generated/bria_tailored/runtime scripts conformance tests benchmarks docs/examples
    "$BIN/ruff" format --check --quiet generated/bria_tailored/runtime scripts conformance tests \
        benchmarks docs/examples
    "$BIN/mypy" -p bria_build -p bria_mock -p bria_conformance -p bria_tailored.runtime
    # The example users copy is type-checked as they would check it.
    "$BIN/mypy" docs/examples
}

static_checks() {
    # The Python checks and the Node linters are independent single-core jobs: run them side by
    # side, then print each one's output whole, in a fixed order.
    local out status=0 python_pid lint_pid
    out="$(mktemp -d)"
    python_checks >"$out/python" 2>&1 &
    python_pid=$!
    lint_spec >"$out/lint" 2>&1 &
    lint_pid=$!
    wait "$python_pid" || status=1
    cat "$out/python"
    wait "$lint_pid" || status=1
    cat "$out/lint"
    rm -rf "$out"
    return "$status"
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
    test|test-all)
        setup
        static_checks
        selection=(-m "not slow and not matrix")
        [ "$task" = "test-all" ] && selection=()
        "$BIN/pytest" -q -n auto --dist loadgroup "${selection[@]}" "$@" ;;
    test-matrix)
        setup
        "$BIN/pytest" -q -n auto --dist loadgroup -m matrix "$@" ;;
    lint)
        setup
        lint_spec ;;
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
        sed -n '2,13p' "$0"
        exit 2 ;;
esac
