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
    #: Gets its trainings before other checks when the trainings are capped: it checks training
    #: behaviour itself (most checks only need a trained model).
    first: bool = False

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
    #: Checks whose spending goes over a cap (short names), and their node ids.
    over_budget: list[str] = field(default_factory=list)
    over_ids: dict[str, str] = field(default_factory=dict)
    #: Whether the mock's own draws (world, state machine) may add trainings and generations.
    open_ended: bool = False
    #: What the world of generated cases (world.py) trains on a live target, when it does.
    world: str = ""


def make_plan(items: Iterable[pytest.Item], run: Any) -> Plan:
    """Spend check by check; a check a cap cannot afford is over budget and never started.

    Trainings go first to the shared model, then to the checks marked ``first``, then to the
    others in run order; generations and requests in run order.
    """
    items = list(items)
    budget = run.budget
    sharing = run.shared_active
    plan = Plan()
    spends = [spend_of(item) for item in items]
    plan.shared_users = sum(s.shared_model for s in spends)
    cap_t, cap_g = budget.cap("trainings"), budget.cap("generations")
    trainings = generations = 0
    shared_ok = run.model_id is not None or not (sharing and run.shared_needs_training)
    if sharing and plan.shared_users and not shared_ok and (cap_t is None or cap_t > 0):
        plan.shared_training, shared_ok, trainings = True, True, 1
    over: dict[int, str] = {}
    world = _world_spend(items, run)
    if world.trainings:
        if cap_t is not None and trainings + 1 > cap_t:
            plan.world = "over budget: generated cases are not aimed at a trained model"
            world = Spend()
        else:
            trainings += 1
            plan.world = (
                "at most one training (an expert model with checkpoints the generated cases "
                "aim at; none when its build stops earlier)"
            )
    for index in sorted(range(len(items)), key=lambda i: (not spends[i].first, i)):
        spend = spends[index]
        own = spend.trainings + int(spend.shared_model and not sharing)
        if spend.shared_model and sharing and not shared_ok:
            over[index] = "the shared trained model"
        elif cap_t is not None and trainings + own > cap_t:
            over[index] = f"trainings: cap {cap_t}"
        else:
            trainings += own
    generations = min(world.generations, cap_g if cap_g is not None else world.generations)
    for index, spend in enumerate(spends):
        if index in over:
            continue
        if cap_g is not None and generations + spend.generations > cap_g:
            over[index] = f"generations: cap {cap_g}"
            continue
        generations += spend.generations
    for index, item in enumerate(items):
        module = _module(item)
        if index in over:
            name = short_name(item.nodeid)
            plan.over_budget.append(name)
            plan.over_ids[item.nodeid] = over[index]
        elif module == STATELESS_MODULE:
            target = run.target
            sends = not target.is_live or is_get(item) or target.permissions.writes
            plan.requests += run.max_examples + COVERAGE_CASES if sends else 0
            plan.open_ended = plan.open_ended or run.target.controls
        elif module == LIFECYCLE_MODULE:
            plan.requests += run.stateful_examples * STEPS_PER_EXAMPLE
            plan.open_ended = plan.open_ended or run.target.controls
        else:
            plan.requests += TARGETED_REQUESTS
    plan.trainings, plan.generations = trainings, generations
    cap_r = budget.cap("requests")
    if cap_r is not None:
        plan.requests = min(plan.requests, cap_r)
    return plan


def _world_spend(items: list[pytest.Item], run: Any) -> Spend:
    """What building the world of the generated cases spends on a live target.

    With writes and training allowed it trains one expert model (and sends one generation when
    generation is allowed) before the first generated case; on a mock it is open-ended.
    """
    target = run.target
    perms = target.permissions
    if target.controls or not (perms.writes and perms.training):
        return Spend()
    if not any(_module(item) == STATELESS_MODULE for item in items):
        return Spend()
    return Spend(trainings=1, generations=int(perms.generation), first=True)


def is_get(item: pytest.Item) -> bool:
    # Schemathesis names its items after the operation: test_operation[GET /v1/...].
    return "[GET " in item.nodeid


def short_name(nodeid: str) -> str:
    """`.../suite/test_x.py::test_y[a/b]` -> `test_x.py::test_y[a/b]`."""
    path, _, name = nodeid.partition("::")
    return f"{path.rsplit('/', 1)[-1]}::{name}"


def _module(item: pytest.Item) -> str:
    return short_name(item.nodeid).split("::", 1)[0]


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
        f"  requests in all: about {plan.requests}{capped('requests')}",
        f"  shared trained model: {shared}",
    ]
    if plan.world:
        lines.append(f"  world of the generated cases: {plan.world}")
    if plan.over_budget:
        lines.append(f"  {OVER_BUDGET}: {len(plan.over_budget)} checks")
        lines.extend(f"    {name}" for name in plan.over_budget[:20])
        if len(plan.over_budget) > 20:
            lines.append(f"    ... and {len(plan.over_budget) - 20} more")
    return lines
