"""`bria-conformance`: check a server against every documented Bria promise.

With no arguments it starts the mock in this process and runs the whole suite against it.
Exit codes: 0 every rule held, 1 at least one violation, 2 usage error, 3 target unreachable.
The options are declared in `options.py`, shared with the pytest plugin.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from . import options

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bria-conformance",
        description="Run the Bria Tailored Generation conformance suite. Without --base-url the "
        "embedded mock is started in-process.",
    )
    options.add_to_argparse(p)
    p.add_argument("-x", "--exitfirst", action="store_true", help="Stop at the first failing test")
    p.add_argument("-v", "--verbose", action="store_true", help="One line per test")
    return p


def _usage(message: str) -> int:
    print(f"bria-conformance: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    token = args.token or os.environ.get("BRIA_API_TOKEN")
    if args.base_url and args.mock_profile:
        return _usage(
            "--mock-profile applies to the embedded mock only; drop it or --base-url (start "
            "`bria-mock --profile ...` and point --base-url at it instead)"
        )
    if not args.base_url:
        for name in ("model_id", "state_file"):
            if getattr(args, name) is not None:
                return _usage(
                    f"--{name.replace('_', '-')} needs a server that keeps its data between "
                    "requests: pass --base-url (the embedded mock starts empty for every check)"
                )
        if args.cleanup:
            return _usage("--cleanup needs --base-url: the embedded mock keeps nothing behind")
    if args.base_url:
        if not token:
            return _usage("--base-url needs a token: pass --token or set BRIA_API_TOKEN")
        from .target import Target, TargetUnreachable, probe

        target = Target(label=args.base_url, base_url=args.base_url, token=token)
        try:
            probe(target)
        except TargetUnreachable as exc:
            print(f"bria-conformance: target unreachable: {exc}", file=sys.stderr)
            return EXIT_UNREACHABLE
        if args.cleanup:
            from .cleanup import cleanup

            other = args.other_token or os.environ.get("BRIA_API_TOKEN_2")
            keep = _state_project(args.state_file, target)
            return cleanup(target, args.prefix or "bria-conformance-", other, print, keep)
    pytest_args: list[str] = [
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::DeprecationWarning",
        "--tb=short",
        "-r",
        "fE",
        "-v" if args.verbose else "-q",
    ]
    if args.base_url:
        pytest_args += ["--bria-target", args.base_url, "--bria-token", str(token)]
    else:
        pytest_args += ["--bria-target", "mock"]
    if args.exitfirst:
        pytest_args.append("-x")
    pytest_args += options.plugin_args(args)

    from .runner import run_suite

    outcome = run_suite(pytest_args)
    if outcome.run is None:
        return EXIT_USAGE
    if outcome.exit_code in (0, 5) and args.plan:
        return EXIT_OK  # a plan runs no test: pytest's "no tests ran" is its success
    if outcome.exit_code == 0:
        return EXIT_OK
    if outcome.exit_code == 1:
        return EXIT_VIOLATIONS
    return EXIT_USAGE


def _state_project(path: str | None, target: Any) -> frozenset[int]:
    """The project of the model a --state-file keeps for the next run (none without one)."""
    if not path or not os.path.exists(path):
        return frozenset()
    from .shared import StateFile

    try:
        model = StateFile(path, target).read()
    except Exception as exc:  # a usage error of pytest's, raised outside a pytest run
        print(f"bria-conformance: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from exc
    return frozenset({int(model["project_id"])}) if model else frozenset()


if __name__ == "__main__":
    sys.exit(main())
