"""``bria-build``: regenerate (or check) the normalized spec and the bria_tailored client.

Exit codes:
  0  build written, or ``--check`` found everything up to date
  1  ``--check`` found stale, hand-edited, missing or extra output files
  2  usage error or invalid input (bad overlay, invalid spec, generator failure)
  3  overlay drift: an overlay action matches nothing in the upstream spec, or (with
     ``--upstream``) still matches but no longer fits it
  4  ``--upstream``: the candidate breaks callers (HTTP contract, generated Python API, catalog
     pointers or the round trip); nothing is written unless ``--accept-breaking``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache
from .errors import BuildError
from .layout import Layout, find_root
from .outputs import compare_outputs, write_outputs
from .pipeline import run_pipeline

if TYPE_CHECKING:
    from .upstream import Upgrade

EXIT_OK = 0
EXIT_STALE = 1
EXIT_INPUT = 2
EXIT_DRIFT = 3
EXIT_BREAKING = 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bria-build",
        description=(
            "Normalize Bria's upstream OpenAPI bundle, apply the overlays in overlays/, validate, "
            "write spec/bria-tailored.openapi.json and regenerate generated/bria_tailored."
        ),
        epilog=(
            "exit codes: 0 ok, 1 stale outputs (--check), 2 invalid input or usage, "
            "3 overlay drift (an overlay action matches nothing, or with --upstream no longer "
            "fits), 4 breaking changes found (--upstream; nothing written unless "
            "--accept-breaking). With --upstream nothing is written on a dry run or a non-zero "
            "exit: all outputs and the vendored upstream files are written together or not at all."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="build in memory and fail if any committed output differs (writes nothing)",
    )
    mode.add_argument(
        "--upstream",
        metavar="FILE",
        type=Path,
        help=(
            "upgrade to a new upstream Tailored Generation bundle: build it in memory, print the "
            "change report, then write the vendored files and every output (or nothing)"
        ),
    )
    parser.add_argument(
        "--status-upstream",
        metavar="FILE",
        type=Path,
        help="with --upstream: also vendor a new Status Service spec",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --upstream: print the report and exit with its code, writing nothing",
    )
    parser.add_argument(
        "--accept-breaking",
        action="store_true",
        help="with --upstream: write even though breaking changes were found (not drift)",
    )
    parser.add_argument(
        "--report-md",
        metavar="PATH",
        type=Path,
        help="with --upstream: also write the report as Markdown to PATH (a pull request body)",
    )
    parser.add_argument(
        "--no-roundtrip",
        action="store_true",
        help="with --upstream: skip the round trip of the regenerated client against the mock",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=(
            "neither read nor write the build cache ($BRIA_BUILD_CACHE_DIR, else "
            "$XDG_CACHE_HOME/bria-build, else ~/.cache/bria-build)"
        ),
    )
    parser.add_argument("--root", type=Path, help="project root (default: found from the cwd)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return parser


def _report_drift(output_dead: list[object]) -> None:
    print(
        "overlay drift: these overlay actions no longer match anything in the upstream spec.\n"
        "Bria's spec changed under them: review each one, then fix or delete the action.",
        file=sys.stderr,
    )
    for action in output_dead:
        print(f"  - {action}", file=sys.stderr)


def _upgrade_exit(upgrade: Upgrade, accept_breaking: bool) -> tuple[int, str]:
    if upgrade.drift:
        return EXIT_DRIFT, (
            "overlay drift: review the overlay actions named above (file:line), fix or delete "
            "them, then run again"
        )
    if upgrade.generation_error:
        return EXIT_INPUT, f"the client could not be generated: {upgrade.generation_error}"
    if upgrade.breaking and not accept_breaking:
        return EXIT_BREAKING, (
            f"{len(upgrade.breaking)} breaking change(s): review them; pass --accept-breaking "
            "to adopt the new spec anyway"
        )
    return EXIT_OK, ""


def _run_upgrade(args: argparse.Namespace, layout: Layout, cache: BuildCache | None) -> int:
    # Imported here: the upgrade's diffing libraries are slow to import and only it needs them.
    from .report import render_markdown, render_text
    from .upstream import commit_upgrade, plan_upgrade

    upgrade = plan_upgrade(
        layout, args.upstream, args.status_upstream, roundtrip=not args.no_roundtrip, cache=cache
    )
    print(render_text(upgrade, dry_run=args.dry_run))
    if args.report_md:
        try:
            args.report_md.write_text(render_markdown(upgrade, dry_run=args.dry_run) + "\n")
        except OSError as exc:
            raise BuildError(
                f"cannot write the Markdown report to {args.report_md}: {exc}"
            ) from None
    code, why = _upgrade_exit(upgrade, args.accept_breaking)
    if code != EXIT_OK:
        print(f"bria-build: {why}; nothing written (exit {code})", file=sys.stderr)
        return code
    if args.dry_run:
        print("bria-build: dry run: nothing written (exit 0: the upgrade would be adopted)")
        return EXIT_OK
    commit_upgrade(layout, upgrade)
    print(
        f"bria-build: upgrade written: spec/upstream, {upgrade.output.operations} operations, "
        f"{upgrade.output.models} model modules"
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    layout = Layout(args.root.resolve() if args.root else find_root())
    started = time.perf_counter()
    cache = None if args.no_cache else BuildCache.default()
    try:
        upgrade_only = [
            flag
            for flag, value in (
                ("--status-upstream", args.status_upstream),
                ("--dry-run", args.dry_run),
                ("--accept-breaking", args.accept_breaking),
                ("--report-md", args.report_md),
                ("--no-roundtrip", args.no_roundtrip),
            )
            if value
        ]
        if upgrade_only and not args.upstream:
            raise BuildError(f"{', '.join(upgrade_only)} only make(s) sense with --upstream FILE")
        if args.upstream:
            return _run_upgrade(args, layout, cache)
        output = run_pipeline(layout, cache=cache)
        if output.dead_actions:
            _report_drift(list(output.dead_actions))
            return EXIT_DRIFT
        if args.check:
            problems = compare_outputs(layout, output.files)
            if problems:
                print("bria-build --check: outputs are out of date:", file=sys.stderr)
                for problem in problems:
                    print(f"  - {problem}", file=sys.stderr)
                print(
                    "Run `bria-build` to regenerate; never edit generated files by hand.",
                    file=sys.stderr,
                )
                return EXIT_STALE
            verb = "up to date"
        else:
            write_outputs(layout, output.files)
            verb = "written"
    except BuildError as exc:
        print(f"bria-build: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(
            f"bria-build: {verb}: {output.operations} operations, {output.models} model modules, "
            f"{len(output.merge_report.conflicts) if output.merge_report else 0} merge conflicts "
            f"recorded ({'cached, ' if output.cached else ''}{elapsed:.2f}s)"
        )
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
