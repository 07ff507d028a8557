"""The Markdown report: one line per catalog entry, details and a curl reproduction per failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import catalog
from .journal import mask
from .results import Results, not_checked


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: Results, run: Any) -> str:
    rows = results.by_entry()
    unchecked = not_checked()
    counts = results.counts()
    secrets = [run.target.token, run.target.other_token or ""]
    out = [
        "# Bria Tailored Generation conformance report",
        "",
        f"- Target: {run.target.label}",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Seed: {run.seed} (re-run with `--seed {run.seed}`)",
        f"- Duration: {run.elapsed:.1f} s; generated cases: {run.generated_cases} "
        f"(Schemathesis {run.schemathesis_cases}, state-machine steps {run.stateful_steps})",
        f"- Catalog entries: **{counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped, {counts['over budget']} over budget, "
        f"{counts['not run']} not run** of {len(rows)}",
        f"- Spent: {run.budget.spent['trainings']} trainings, "
        f"{run.budget.spent['generations']} generations, "
        f"{run.budget.spent['requests']} requests in all",
        f"- Not checked against a target: {len(unchecked)} catalog entries the mock alone "
        f"enforces, {sum(e.ours for e in unchecked)} of them our choice (listed at the end)",
        "",
        "| kind | passed | failed | skipped | over budget | not run |",
        "|---|---|---|---|---|---|",
    ]
    for kind in catalog.KINDS:
        of_kind = [r for r in rows if r.entry.kind == kind]
        out.append(
            f"| {kind} | {sum(r.status == 'passed' for r in of_kind)} | "
            f"{sum(r.status == 'failed' for r in of_kind)} | "
            f"{sum(r.status == 'skipped' for r in of_kind)} | "
            f"{sum(r.status == 'over budget' for r in of_kind)} | "
            f"{sum(r.status == 'not run' for r in of_kind)} |"
        )
    failed = [r for r in rows if r.status == "failed"]
    if failed:
        out += ["", "## Failures", ""]
        for res in failed:
            out += [f"### `{res.entry.id}` ({res.entry.kind})", "", res.entry.statement, ""]
            sources = "; ".join(
                f"{s['doc']} {s.get('at') or s.get('why', '')}" for s in res.entry.source
            )
            out += [f"Source: {sources}", ""]
            for rec in res.failures[:3]:
                out += [
                    f"Test `{rec.nodeid}`:",
                    "",
                    "```text",
                    mask(rec.message.strip()[:3000], secrets),
                    "```",
                    "",
                ]
                if rec.reproduction:
                    out += ["Reproduce:", "", "```sh", mask(rec.reproduction, secrets), "```", ""]
            script = run.reproductions.get(res.entry.id)
            if script:
                out += [f"Whole scenario as a Python script: `{script}`", ""]
    out += ["", "## All entries", "", "| entry | kind | result | detail |", "|---|---|---|---|"]
    for res in rows:
        out.append(
            f"| `{res.entry.id}` | {res.entry.kind} | {res.status} | "
            f"{_cell(mask(res.detail, secrets))} |"
        )
    out += [
        "",
        "## Not checked against a target",
        "",
        "These catalog entries are enforced by bria-mock and held by its own tests; a suite run "
        "neither passes, fails nor skips them. Our-choice entries state no Bria rule and are never "
        "sent to a live server.",
        "",
        "| entry | kind | why |",
        "|---|---|---|",
    ]
    for entry in unchecked:
        out.append(f"| `{entry.id}` | {entry.kind} | {_cell(entry.why_not_checked)} |")
    return "\n".join(out) + "\n"


def write_markdown(path: Path, results: Results, run: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, run), encoding="utf-8")
