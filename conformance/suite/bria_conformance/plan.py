"""What a run will spend, worked out from the collected checks before anything is sent.

Each check that trains or generates declares it with ``@pytest.mark.spends(trainings=N,
generations=M, shared_model=True)``: its own trainings, its accepted paid generations, and
whether it uses the run's shared trained model (`shared.py`). `tests/conformance` runs the
suite on the mock and fails when a check spends other than it declares. Other requests are an
estimate (generated cases depend on what the target answers); ``--max-requests`` caps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from .budget import OVER_BUDGET

#: Typical requests of a targeted check (measured on the mock: most send 5-30).
TARGETED_REQUESTS = 15
#: Systematic cases of the coverage phase per operation, on top of --max-examples.
COVERAGE_CASES = 40
#: Requests of one step of the lifecycle state machine.
STEPS_PER_EXAMPLE = 25
STATELESS_MODULE = "test_stateless.py"
LIFECYCLE_MODULE = "test_lifecycle.py"


@dataclass(frozen=True)
class Spend:
    trainings: int = 0
    generations: int = 0
    shared_model: bool = False

    @property
    def paid(self) -> bool:
        return bool(self.trainings or self.generations or self.shared_model)


def spend_of(item: pytest.Item) -> Spend:
    mark = item.get_closest_marker("spends")
    if mark is None:
        return Spend()
    # A parametrized check may spend by its parameters: a callable gets them.
    params = getattr(getattr(item, "callspec", None), "params", {})
    return Spend(**{k: v(params) if callable(v) else v for k, v in mark.kwargs.items()})


@dataclass
class Plan:
    trainings: int = 0
    generations: int = 0
    requests: int = 0
    #: Whether the run starts the shared training (False: --model-id, or the state file has one).
    shared_training: bool = False
    shared_users: int = 0
    #: Node ids of checks whose spending goes over a cap.
    over_budget: list[str] = field(default_factory=list)
    #: Whether the mock's own draws (world, state machine) may add trainings and generations.
    open_ended: bool = False


def make_plan(items: Iterable[pytest.Item], run: Any) -> Plan:
    items = list(items)
    budget = run.budget
    sharing = run.shared_active
    plan = Plan()
    spends = [(item, spend_of(item)) for item in items]
    plan.shared_users = sum(s.shared_model for _, s in spends)
    if sharing and plan.shared_users and run.shared_needs_training:
        plan.shared_training = True
    cap_t = budget.cap("trainings")
    cap_g = budget.cap("generations")
    trainings = 0
    if plan.shared_training and (cap_t is None or cap_t > 0):
        trainings = 1
    elif plan.shared_training:
        plan.shared_training = False
    generations = 0
    for item, spend in spends:
        name = short_name(item.nodeid)
        module = name.split("::", 1)[0]
        own = spend.trainings + (spend.shared_model and not sharing)
        room_t = None if cap_t is None else cap_t - trainings
        room_g = None if cap_g is None else cap_g - generations
        shared_missing = spend.shared_model and sharing and not _shared_available(plan, run)
        over = (
            (room_t is not None and own > room_t)
            or (room_g is not None and spend.generations > room_g)
            or shared_missing
        )
        trainings += own if room_t is None else max(min(own, room_t), 0)
        if not shared_missing:
            fits = spend.generations if room_g is None else min(spend.generations, room_g)
            generations += max(fits, 0)
        if over:
            plan.over_budget.append(name)
        if module == STATELESS_MODULE:
            plan.requests += run.max_examples + COVERAGE_CASES
        elif module == LIFECYCLE_MODULE:
            plan.requests += run.stateful_examples * STEPS_PER_EXAMPLE
            plan.open_ended = plan.open_ended or not run.target.is_live
        else:
            plan.requests += TARGETED_REQUESTS
    if run.target.controls and any(_module(i) == STATELESS_MODULE for i in items):
        # The world the generated cases aim at holds a trained model and one generation.
        plan.open_ended = True
    plan.trainings, plan.generations = trainings, generations
    cap_r = budget.cap("requests")
    if cap_r is not None:
        plan.requests = min(plan.requests, cap_r)
    return plan


def short_name(nodeid: str) -> str:
    """`.../suite/test_x.py::test_y[a/b]` -> `test_x.py::test_y[a/b]`."""
    path, _, name = nodeid.partition("::")
    return f"{path.rsplit('/', 1)[-1]}::{name}"


def _module(item: pytest.Item) -> str:
    return short_name(item.nodeid).split("::", 1)[0]


def _shared_available(plan: Plan, run: Any) -> bool:
    return run.model_id is not None or not run.shared_needs_training or plan.shared_training


def plan_lines(plan: Plan, run: Any) -> list[str]:
    budget = run.budget

    def capped(kind: str) -> str:
        cap = budget.cap(kind)
        return f" (cap {cap})" if cap is not None else ""

    if run.model_id is not None:
        shared = f"model {run.model_id} (--model-id): no training for {plan.shared_users} checks"
    elif not run.shared_active:
        shared = "none: each check trains its own model on the mock's virtual clock"
    elif plan.shared_training:
        shared = f"one training, used by {plan.shared_users} checks"
    elif plan.shared_users and not run.shared_needs_training:
        shared = f"the model in --state-file {run.state_file}, used by {plan.shared_users} checks"
    else:
        shared = "not needed" if not plan.shared_users else "over budget"
    more = " (and what the mock's world and state machine draw)" if plan.open_ended else ""
    lines = [
        f"Plan against {run.target.label} (phase {run.phase}):",
        f"  trainings:   {plan.trainings}{capped('trainings')}{more}",
        f"  generations: {plan.generations}{capped('generations')}{more}",
        f"  other requests: about {plan.requests}{capped('requests')}",
        f"  shared trained model: {shared}",
    ]
    if plan.over_budget:
        lines.append(f"  {OVER_BUDGET}: {len(plan.over_budget)} checks")
        lines.extend(f"    {name}" for name in plan.over_budget[:20])
        if len(plan.over_budget) > 20:
            lines.append(f"    ... and {len(plan.over_budget) - 20} more")
    return lines
