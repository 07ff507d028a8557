"""Print the share of audited parts that a broken variant of the mock breaks.

``python tests/conformance/audit_coverage.py``: every part of every entry the suite checks (the
entries' `parts` in bria_conformance/catalog.yaml), which of them some variant in
conformance_broken_servers.py breaks, and the parts still without one, by entry.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from bria_conformance import audit

sys.path.insert(0, str(Path(__file__).parent))
from conformance_broken_servers import VARIANTS


def covered() -> set[tuple[str, str]]:
    named = {(v.entry, v.part) for v in VARIANTS if v.part is not None}
    return named | {pair for v in VARIANTS for pair in v.more}


def main() -> None:
    parts = audit.audit().all_parts()
    observable = [p for p in parts if p.by]
    broken = covered()
    with_variant = [p for p in observable if (p.entry, p.name) in broken]
    print(f"parts: {len(parts)}, asserted: {len(observable)}")
    print(f"broken variants: {len(VARIANTS)} ({len(broken)} distinct parts named)")
    share = len(with_variant) / len(observable) if observable else 0.0
    print(f"asserted parts with a variant: {len(with_variant)} ({share:.1%})")
    entries = {p.entry for p in with_variant}
    print(
        f"entries with at least one part broken: {len(entries)} of {len({p.entry for p in parts})}"
    )
    if "-v" in sys.argv:
        missing: dict[str, list[str]] = defaultdict(list)
        for p in observable:
            if (p.entry, p.name) not in broken:
                missing[p.entry].append(p.name)
        for entry, names in sorted(missing.items()):
            print(f"  {entry}: {'; '.join(names)}")


if __name__ == "__main__":
    main()
