"""``bria-build``: regenerate (or check) the normalized spec and the bria_tailored client.

Exit codes:
  0  build written, or ``--check`` found everything up to date
  1  ``--check`` found stale, hand-edited, missing or extra output files
  2  usage error or invalid input (bad overlay, invalid spec, generator failure)
  3  overlay drift: one or more overlay actions match nothing in the upstream spec
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import BuildError
from .layout import Layout, find_root
from .outputs import compare_outputs, write_outputs
from .pipeline import run_pipeline
from .upstream import vendor_upstream

EXIT_OK = 0
EXIT_STALE = 1
EXIT_INPUT = 2
EXIT_DRIFT = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bria-build",
        description=(
            "Normalize Bria's upstream OpenAPI bundle, apply the overlays in overlays/, validate, "
            "write spec/bria-tailored.openapi.json and regenerate generated/bria_tailored."
        ),
        epilog=(
            "exit codes: 0 ok, 1 stale outputs (--check), 2 invalid input or usage, "
            "3 overlay drift (an overlay action matches nothing)"
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
        help="vendor a new upstream Tailored Generation bundle, print what changed, then rebuild",
    )
    parser.add_argument(
        "--status-upstream",
        metavar="FILE",
        type=Path,
        help="with --upstream: also vendor a new Status Service spec",
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    layout = Layout(args.root.resolve() if args.root else find_root())
    started = time.perf_counter()
    try:
        if args.status_upstream and not args.upstream:
            raise BuildError("--status-upstream only makes sense together with --upstream FILE")
        if args.upstream:
            print(vendor_upstream(layout, args.upstream, args.status_upstream))
        output = run_pipeline(layout)
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
            f"recorded ({elapsed:.2f}s)"
        )
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
