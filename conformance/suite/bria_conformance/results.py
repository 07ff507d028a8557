"""Per-test outcomes of a run and their roll-up to catalog entries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from . import catalog
from .budget import OVER_BUDGET
from .journal import Exchange, mask


@dataclass
class TestRecord:
    nodeid: str
    function: str
    entries: tuple[str, ...]
    outcome: str  # passed | failed | skipped
    message: str = ""
    blamed: frozenset[str] = frozenset()
    reproduction: str | None = None
    #: The requests of the failing scenario (from its reset), for an exported reproduction.
    exchanges: list[Exchange] = field(default_factory=list)
    dropped: int = 0
    #: Wall time of the test's setup and call phases.
    seconds: float = 0.0


@dataclass
class EntryResult:
    entry: catalog.Entry
    status: str  # passed | failed | skipped | not run
    detail: str = ""
    failures: list[TestRecord] = field(default_factory=list)
    #: Wall time of the tests that verified the entry (a test shared by entries counts for each).
    seconds: float = 0.0


def function_id(nodeid: str) -> str:
    """`.../suite/test_x.py::test_y[param]` -> `test_x.py::test_y`."""
    path, _, rest = nodeid.partition("::")
    name = rest.split("[", 1)[0]
    return f"{path.rsplit('/', 1)[-1]}::{name}"


#: Statuses of an entry, in report order. "not run": no test of it was selected (--only, or
#: left to another --phase); "over budget": a cap stopped every test of it before it was checked.
STATUSES = ("passed", "failed", "skipped", "over budget", "not run")


class Results:
    def __init__(self) -> None:
        self.records: list[TestRecord] = []
        #: Entries whose tests were collected; None until collection finished (all count).
        self.selected: set[str] | None = None
        #: Why an entry's tests were left out of this run (e.g. another --phase): entry -> why.
        self.left_out: dict[str, str] = {}

    def record(
        self, item: pytest.Item, report: pytest.TestReport, run: Any, seconds: float
    ) -> None:
        secrets = [run.target.token, run.target.other_token or ""]
        # A test may leave some of its entries unexercised on this target (it says which):
        # its outcome says nothing about them.
        idle = run.not_exercised.get(item.nodeid, set())
        entries = tuple(
            str(a) for m in item.iter_markers("catalog") for a in m.args if str(a) not in idle
        )
        if report.passed:
            outcome, message = "passed", ""
        elif report.skipped:
            outcome = "skipped"
            message = _skip_reason(report)
            if hasattr(report, "wasxfail"):
                message = f"expected failure: {report.wasxfail}"
        else:
            outcome = "failed"
            message = mask(run.messages.get(item.nodeid) or _failure_text(report), secrets)
        curl = run.journal.last_curl() if outcome == "failed" else None
        self.records.append(
            TestRecord(
                nodeid=item.nodeid,
                function=function_id(item.nodeid),
                entries=entries,
                outcome=outcome,
                message=message,
                blamed=frozenset(run.blamed.get(item.nodeid, set())),
                reproduction=mask(curl, secrets) if curl else None,
                exchanges=list(run.journal.exchanges) if outcome == "failed" else [],
                dropped=run.journal.dropped if outcome == "failed" else 0,
                seconds=seconds,
            )
        )

    def by_entry(self) -> list[EntryResult]:
        records_for: dict[str, list[TestRecord]] = {}
        for rec in self.records:
            for entry_id in rec.entries:
                records_for.setdefault(entry_id, []).append(rec)
        out = []
        # Entries the suite does not check against a target (our choice, mock only) are not
        # results of a run: see `not_checked`.
        for entry in catalog.suite_entries().values():
            recs = records_for.get(entry.id, [])
            if not recs and self.selected is not None and entry.id not in self.selected:
                # Only a recorded reason is given: a run that deselected nothing says so.
                why = self.left_out.get(entry.id, "no test of it was collected in this run")
                out.append(EntryResult(entry, "not run", why))
                continue
            result = _roll_up(entry, recs)
            result.seconds = sum(r.seconds for r in recs)
            out.append(result)
        return out

    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.by_entry())


def _roll_up(entry: catalog.Entry, recs: list[TestRecord]) -> EntryResult:
    if not recs:
        return EntryResult(entry, "skipped", "no test ran for it in this run (deselected)")
    failing = [r for r in recs if r.outcome == "failed" and (not r.blamed or entry.id in r.blamed)]
    if failing:
        return EntryResult(
            entry,
            "failed",
            failing[0].message.splitlines()[0][:300] if failing[0].message else "",
            failing,
        )
    if any(r.outcome == "passed" for r in recs):
        return EntryResult(entry, "passed")
    stopped = [r for r in recs if r.outcome == "failed"]
    if stopped:
        blamed = ", ".join(sorted(stopped[0].blamed))
        return EntryResult(
            entry,
            "skipped",
            f"not verified: {stopped[0].function} stopped at a failure of {blamed}",
        )
    reasons = sorted({r.message for r in recs if r.message})
    if reasons and all(r.startswith(OVER_BUDGET) for r in reasons):
        return EntryResult(entry, "over budget", "; ".join(reasons))
    return EntryResult(entry, "skipped", "; ".join(reasons) or "skipped")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


def _failure_text(report: pytest.TestReport) -> str:
    text = report.longreprtext or ""
    # The assertion message is the informative part; tracebacks belong in the JUnit file.
    lines = [ln for ln in text.splitlines() if ln.startswith("E ")]
    if lines:
        return "\n".join(ln[2:].strip() for ln in lines)
    return text[-2000:]


def summary_lines(results: Results, run: Any, elapsed: float) -> list[str]:
    by_kind: dict[str, Counter[str]] = {}
    for res in results.by_entry():
        by_kind.setdefault(res.entry.kind, Counter())[res.status] += 1
    total = results.counts()
    lines = [
        "",
        f"Bria conformance against {run.target.label}: seed {run.seed}",
        f"catalog entries: {total['passed']} passed, {total['failed']} failed, "
        f"{total['skipped']} skipped"
        + (f", {total['over budget']} over budget" if total["over budget"] else "")
        + (f", {total['not run']} not run" if total["not run"] else "")
        + f" (of {sum(total.values())})",
        _not_checked_line(),
    ]
    for kind in catalog.KINDS:
        c = by_kind.get(kind, Counter())
        lines.append(
            f"  {kind:<6} {c['passed']:>4} passed {c['failed']:>4} failed {c['skipped']:>4} skipped"
            + (f" {c['over budget']:>4} over budget" if total["over budget"] else "")
            + (f" {c['not run']:>4} not run" if total["not run"] else "")
        )
    spent = run.budget.spent
    lines.append(
        f"spent: {spent['trainings']} trainings, {spent['generations']} generations, "
        f"{spent['requests']} requests in all"
    )
    lines.append(
        f"generated cases: {run.generated_cases} "
        f"(Schemathesis {run.schemathesis_cases}, state-machine steps {run.stateful_steps}); "
        f"time {elapsed:.1f} s"
    )
    return lines


def not_checked() -> list[catalog.Entry]:
    """Catalog entries no suite run checks: our choice, or enforced by the mock alone."""
    return [e for e in catalog.load().values() if not e.checked_against_target]


def _not_checked_line() -> str:
    entries = not_checked()
    total, ours = len(entries), sum(e.ours for e in entries)
    return (
        f"not checked against a target: {total} catalog entries the mock alone enforces "
        f"({ours} of them our choice, never sent to a live server)"
    )
