"""`bria-conformance`: check a server against every documented Bria promise.

With no arguments it starts the mock in this process and runs the whole suite against it.
Exit codes: 0 every rule held, 1 at least one violation, 2 usage error, 3 target unreachable.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bria-conformance",
        description="Run the Bria Tailored Generation conformance suite. Without --base-url the "
        "embedded mock is started in-process.",
    )
    p.add_argument("--base-url", help="Server to check, e.g. https://engine.prod.bria-api.com")
    p.add_argument("--token", help="API token (default: $BRIA_API_TOKEN)")
    p.add_argument(
        "--other-token",
        help="A second organization's token for isolation rules (default: $BRIA_API_TOKEN_2)",
    )
    p.add_argument("--report", metavar="PATH", help="Write a Markdown report per catalog entry")
    p.add_argument(
        "--junit", metavar="PATH", help="Write JUnit XML, one test case per catalog entry"
    )
    p.add_argument("--allow-writes", action="store_true", help="Live API: create (and delete) data")
    p.add_argument("--allow-training", action="store_true", help="Live API: start paid trainings")
    p.add_argument("--allow-generation", action="store_true", help="Live API: run paid generations")
    p.add_argument("--seed", type=int, help="Seed for generated cases (printed at the end)")
    p.add_argument(
        "--max-examples",
        type=int,
        help="Fuzzed cases per operation, beyond the coverage phase (default 10)",
    )
    p.add_argument(
        "--stateful-examples", type=int, help="Lifecycle state machine runs (default 12)"
    )
    p.add_argument(
        "--only",
        metavar="IDS",
        help="Only the tests of these catalog entries "
        "(comma-separated ids or glob patterns such as 'dataset.*')",
    )
    p.add_argument(
        "--live-wait", type=float, help="Live API: seconds to wait for async work (default 60)"
    )
    p.add_argument(
        "--completion-min-images",
        type=int,
        help="Images needed to complete a dataset (default 5, the bundle; bria-guide-v1.md: 1)",
    )
    p.add_argument(
        "--serve-files",
        metavar="URL",
        help="Serve the files a target fetches by URL (bulk-upload archives, when multipart is "
        "refused) at this http://HOST:PORT the target can reach (default: 127.0.0.1, any port)",
    )
    p.add_argument(
        "--mock-profile",
        choices=["canonical", "documented"],
        help="Embedded mock only: answer as the normalized spec declares (canonical, default) or "
        "in the literal forms Bria's documents show (documented; see docs/contract.md)",
    )
    p.add_argument(
        "--webhook-url",
        metavar="URL",
        help="A URL the target can reach that arrives at this run's webhook listener (needed "
        "for the webhook rule on any target but the embedded mock)",
    )
    p.add_argument(
        "--webhook-listen",
        metavar="HOST:PORT",
        help="Where the webhook listener binds (default 127.0.0.1 on a free port)",
    )
    p.add_argument("-x", "--exitfirst", action="store_true", help="Stop at the first failing test")
    p.add_argument("-v", "--verbose", action="store_true", help="One line per test")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for name, value in (
        ("--max-examples", args.max_examples),
        ("--stateful-examples", args.stateful_examples),
        ("--completion-min-images", args.completion_min_images),
    ):
        if value is not None and value < 1:
            print(f"bria-conformance: {name} must be at least 1, got {value}", file=sys.stderr)
            return EXIT_USAGE
    token = args.token or os.environ.get("BRIA_API_TOKEN")
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
    if args.base_url and args.mock_profile:
        print(
            "bria-conformance: --mock-profile applies to the embedded mock only; drop it or "
            "--base-url (start `bria-mock --profile ...` and point --base-url at it instead)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.base_url:
        if not token:
            print(
                "bria-conformance: --base-url needs a token: pass --token or set BRIA_API_TOKEN",
                file=sys.stderr,
            )
            return EXIT_USAGE
        from .target import Target, TargetUnreachable, probe

        try:
            probe(Target(label=args.base_url, base_url=args.base_url, token=token))
        except TargetUnreachable as exc:
            print(f"bria-conformance: target unreachable: {exc}", file=sys.stderr)
            return EXIT_UNREACHABLE
        pytest_args += ["--bria-target", args.base_url, "--bria-token", token]
        if args.other_token:
            pytest_args += ["--bria-other-token", args.other_token]
    else:
        pytest_args += ["--bria-target", "mock"]
    for flag, on in (
        ("--bria-allow-writes", args.allow_writes),
        ("--bria-allow-training", args.allow_training),
        ("--bria-allow-generation", args.allow_generation),
        ("-x", args.exitfirst),
    ):
        if on:
            pytest_args.append(flag)
    for flag, value in (
        ("--bria-seed", args.seed),
        ("--bria-max-examples", args.max_examples),
        ("--bria-stateful-examples", args.stateful_examples),
        ("--bria-only", args.only),
        ("--bria-live-wait", args.live_wait),
        ("--bria-completion-min-images", args.completion_min_images),
        ("--bria-mock-profile", args.mock_profile),
        ("--bria-serve-files", args.serve_files),
        ("--bria-webhook-url", args.webhook_url),
        ("--bria-webhook-listen", args.webhook_listen),
        ("--bria-report", args.report),
        ("--bria-junit", args.junit),
    ):
        if value is not None:
            pytest_args += [flag, str(value)]

    from .runner import run_suite

    outcome = run_suite(pytest_args)
    if outcome.run is None:
        return EXIT_USAGE
    if outcome.exit_code == 0:
        return EXIT_OK
    if outcome.exit_code == 1:
        return EXIT_VIOLATIONS
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
