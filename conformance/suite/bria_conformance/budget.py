"""What a run spends on its target, and the caps that stop it.

Every request the suite sends is one of three kinds: a training (a POST to ``start_training``),
a paid generation (a POST to a generation operation) or another request. A capped kind is
checked before the request is sent: when the cap is reached the request is not sent and the
running check is skipped as *not checked: over budget*, so a run never spends more than its caps.
A training or generation counts when the target accepted it (2xx): a refused one costs nothing.
The request cap counts every request sent, whatever its kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

#: Paid calls: every v2 generation, and the v1 generation operations Bria documents in prose
#: (bria-guide-v1.md; overlays/80-v1-generation.yaml), generate_prefix included.
PAID_PREFIXES = (
    "/v2/",
    "/v1/text-to-image/",
    "/v1/text-to-vector/",
    "/v1/reimagine",
    "/v1/tailored-gen/restyle_portrait",
    "/v1/tailored-gen/generate_prefix",
)
#: The skip reason of a check stopped by a cap; reports turn it into the entry status.
OVER_BUDGET = "not checked: over budget"
KINDS = ("trainings", "generations", "requests")


def kind_of(method: str, path: str) -> str:
    """``trainings``, ``generations`` or ``requests``: what sending this request may spend."""
    path = path.split("?", 1)[0]
    if method.upper() == "POST":
        if path.endswith("/start_training"):
            return "trainings"
        if path.startswith(PAID_PREFIXES) and not path.startswith("/v2/status"):
            return "generations"
    return "requests"


@dataclass
class Budget:
    #: Caps per kind (None: no cap).
    caps: dict[str, int | None] = field(default_factory=dict)
    spent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    #: Trainings held back for the run's shared trained model (see `shared.py`).
    reserved_trainings: int = 0

    def cap(self, kind: str) -> int | None:
        return self.caps.get(kind)

    def left(self, kind: str) -> int | None:
        cap = self.cap(kind)
        return None if cap is None else max(cap - self.spent[kind], 0)

    def allows(self, kind: str, *, reserved: bool = False) -> bool:
        """Whether one more of ``kind`` fits (``reserved``: the shared model's own training)."""
        left = self.left(kind)
        if left is None:
            return True
        if kind == "trainings" and not reserved:
            left -= self.reserved_trainings
        return left > 0

    def before(
        self,
        method: str,
        path: str,
        *,
        reserved: bool = False,
        enforce: bool = True,
        refused: bool = False,
    ) -> str:
        """Check the caps before a request is sent; skip the check when it does not fit.

        ``refused``: the documents require the target to refuse this request (no token, an
        invalid body, a model that cannot train), so a conforming target spends nothing on it
        and only the request cap applies; should the target accept it anyway, `after` counts
        what it spent, and the check fails on the acceptance.
        """
        kind = kind_of(method, path)
        # The request cap counts every request sent, paid ones included: it keeps the run
        # within the account's quota.
        for capped in dict.fromkeys(("requests",) if refused else (kind, "requests")):
            if enforce and not self.allows(capped, reserved=reserved):
                held = (
                    f", {self.reserved_trainings} of them kept for the shared trained model"
                    if capped == "trainings" and self.reserved_trainings and not reserved
                    else ""
                )
                # The running check stops here, before the request is sent.
                pytest.skip(
                    f"{OVER_BUDGET} ({capped}: cap {self.cap(capped)}{held}; "
                    f"raise --max-{capped} to check it)"
                )
        self.spent["requests"] += 1
        return kind

    def after(self, kind: str, status: int, *, reserved: bool = False) -> None:
        """Count what a sent request spent: an accepted training or generation."""
        if kind == "requests" or status >= 300:
            return
        self.spent[kind] += 1
        if kind == "trainings" and reserved and self.reserved_trainings:
            self.reserved_trainings -= 1
