"""The upgrade's change report, as terminal text and as Markdown (for a pull request)."""

from __future__ import annotations

import re

from .changes import HTTP, LAYER_TITLES, OURS, PYTHON, Change
from .roundtrip import STEPS
from .upstream import Upgrade


def _counts(changes: list[Change]) -> str:
    breaking = sum(1 for c in changes if c.breaking)
    return f"{len(changes)} change(s), {breaking} breaking"


def _roundtrip_line(upgrade: Upgrade) -> str:
    trip = upgrade.roundtrip
    if trip.skipped:
        return f"round trip: {trip.skipped}"
    if not trip.steps:
        return "round trip: not run (the candidate could not be built)"
    marks = []
    for step in STEPS:
        if step in trip.steps:
            marks.append(f"{step} {'ok' if trip.steps[step][0] else 'BROKE'}")
        else:
            marks.append(f"{step} -")
    if "start" in trip.steps:
        marks.insert(0, "start BROKE")
    return "round trip: " + " → ".join(marks)


def _by_layer(upgrade: Upgrade) -> dict[str, list[Change]]:
    layers: dict[str, list[Change]] = {HTTP: [], PYTHON: [], OURS: []}
    for change in upgrade.changes:
        layers[change.layer].append(change)
    return layers


def headline(upgrade: Upgrade, *, dry_run: bool) -> str:
    mode = "dry run, nothing written" if dry_run else "candidate"
    return (
        f"upstream: {upgrade.bundle_file.name}"
        + (f" + {upgrade.status_file.name}" if upgrade.status_file else "")
        + f" ({mode}): {_counts(upgrade.changes)}"
    )


def render_text(upgrade: Upgrade, *, dry_run: bool) -> str:
    lines = [headline(upgrade, dry_run=dry_run)]
    for layer, changes in _by_layer(upgrade).items():
        lines.append(f"\n== {LAYER_TITLES[layer]}: {_counts(changes)} ==")
        if layer == HTTP:
            lines.append(f"  compared: {upgrade.http_basis}")
        if layer == PYTHON and upgrade.generation_error:
            lines.append(f"  client not generated: {upgrade.generation_error.splitlines()[0]}")
        lines += [f"  {c.line()}" for c in changes] or ["  (none)"]
        if layer == OURS:
            lines.append(f"  {_roundtrip_line(upgrade)}")
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in upgrade.seconds.items())
    lines.append(f"\ntimings (cumulative): {timing}")
    return "\n".join(lines)


def changelog_entry(upgrade: Upgrade, *, version: str, day: str) -> str:
    """The section ``bria-build --upstream`` adds to ``generated/CHANGELOG.md`` when it adopts
    an upgrade: what changed in Bria's contract and what breaks for code using the client."""
    upstream = upgrade.bundle_file.name + (
        f" + {upgrade.status_file.name}" if upgrade.status_file else ""
    )
    layers = _by_layer(upgrade)
    lines = [
        f"## {version} ({day}): upstream update",
        "",
        f"Adopted {upstream} with `bria-build --upstream`: {_counts(upgrade.changes)}.",
        "",
        "### What changed upstream",
        "",
    ]
    lines += [f"- {_cell(c.line())}" for c in layers[HTTP]] or ["- nothing in the HTTP contract"]
    breaking = [c for c in layers[HTTP] + layers[PYTHON] if c.breaking]
    lines += ["", "### Breaking for `bria_tailored` users", ""]
    lines += [f"- {_cell(c.where)}: {c.kind}: {_cell(c.detail)}" for c in breaking] or [
        "- nothing: code written against the previous version keeps working"
    ]
    return "\n".join(lines) + "\n"


def add_changelog_entry(changelog: str, entry: str) -> str:
    """``changelog`` with ``entry`` as its newest section (above the first ``## `` heading)."""
    found = re.search(r"^## ", changelog, flags=re.M)
    if found is None:
        return changelog.rstrip("\n") + "\n\n" + entry
    return changelog[: found.start()] + entry + "\n" + changelog[found.start() :]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(upgrade: Upgrade, *, dry_run: bool) -> str:
    lines = [
        "# Upstream change report",
        "",
        headline(upgrade, dry_run=dry_run),
        "",
    ]
    for layer, changes in _by_layer(upgrade).items():
        lines += [f"## {LAYER_TITLES[layer]}", "", _counts(changes), ""]
        if layer == HTTP:
            lines += [f"Compared: {upgrade.http_basis}.", ""]
        if layer == PYTHON and upgrade.generation_error:
            lines += [f"Client not generated: `{upgrade.generation_error.splitlines()[0]}`", ""]
        if changes:
            lines += ["| verdict | where | kind | change |", "| --- | --- | --- | --- |"]
            for c in changes:
                verdict = "**breaking**" if c.breaking else "compatible"
                where = _cell(c.where).replace("`", "")
                lines.append(f"| {verdict} | `{where}` | {c.kind} | {_cell(c.detail)} |")
            lines.append("")
        if layer == OURS:
            lines += [_roundtrip_line(upgrade).replace("round trip:", "**Round trip:**"), ""]
    return "\n".join(lines)
