"""The mock's layers stay apart and its domain stays typed.

Handlers parse a request and render a view; the rules live in ``bria_mock/domain`` as functions
named after the catalog entry they enforce (catalog entry control.virtual-clock aside, every
scheduled event kind is registered there). These tests read the source: a handler importing
another handler, a wiring module importing a handler, a status spelled as a bare string outside
the domain, a refusal rule without its function, or scheduled work of a kind nobody handles
each fail here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest
from bria_conformance import catalog
from bria_mock import MockConfig, create_app, domain
from bria_mock.domain import events
from bria_mock.persistence import SqlitePersistence
from bria_mock.records import StateFormatError

PACKAGE = Path(domain.__file__).parent.parent
ROOT = PACKAGE.parent.parent.parent


def _modules(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")


def _imports(path: Path) -> set[str]:
    """Modules ``path`` imports, as dotted names inside bria_mock (``resources.models``)."""
    package = path.relative_to(PACKAGE).parent.parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - (node.level - 1)]) if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            if node.module and node.module.startswith("bria_mock"):
                module = node.module.split(".")[1:]
            for alias in node.names:
                found.add(".".join([*module, alias.name]))
                found.add(".".join(module))
    return found


def _handler_imports(path: Path) -> set[str]:
    return {
        name
        for name in _imports(path)
        if name.startswith("resources.") and name != "resources.HANDLERS"
    }


def test_no_handler_imports_another() -> None:
    for path in _modules(PACKAGE / "resources"):
        assert not _handler_imports(path), f"{path.name} imports {_handler_imports(path)}"


@pytest.mark.parametrize("name", ["core.py", "control.py", "testing.py", "signed_files.py"])
def test_wiring_modules_talk_to_the_domain_not_to_handlers(name: str) -> None:
    imports = _imports(PACKAGE / name)
    assert not {i for i in imports if i == "resources" or i.startswith("resources.")}, name
    assert "cli" not in imports, f"{name} imports the command line module"


def test_the_domain_imports_no_handler() -> None:
    for path in _modules(PACKAGE / "domain"):
        imports = _imports(path)
        assert not {i for i in imports if i.startswith("resources")}, path.name


def _status_values() -> set[str]:
    values: set[str] = set()
    for module in vars(domain).values():
        for item in vars(module).values() if hasattr(module, "__file__") else ():
            if (
                isinstance(item, type)
                and issubclass(item, StrEnum)
                and item.__name__.endswith("Status")
            ):
                values.update(member.value for member in item)
    return values


def test_statuses_are_enums_of_the_domain() -> None:
    statuses = _status_values()
    assert {"draft", "Completed", "IN_PROGRESS", "processing", "in_progress"} <= statuses
    spelled: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        # config.py sits below the domain; its one default names domain.models' status
        if rel.parts[0] == "domain" or rel.name == "config.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        spelled += [
            f"{rel}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in statuses
            and id(node) not in docstrings
        ]
    assert not spelled, "statuses spelled outside bria_mock/domain:\n" + "\n".join(spelled)


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_no_rule_is_held_by_a_handler() -> None:
    in_handlers = [
        f"{rule.rule}: {rule.enforced_in}"
        for _, rule in catalog.catalog().by_mock_rule().values()
        if "/bria_mock/resources/" in rule.enforced_in
    ]
    assert not in_handlers, "rules enforced in handlers:\n" + "\n".join(in_handlers)


def test_handlers_read_typed_requests_only() -> None:
    """A handler reads its body through ``ctx.parse`` (the domain's typed request) and its path
    through ``ctx.parse_path``, never the raw ``ctx.body`` or ``ctx.path``."""
    raw = [
        f"{path.name}:{node.lineno}"
        for path in _modules(PACKAGE / "resources")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in ("body", "json", "path")
        and isinstance(node.value, ast.Name)
        and node.value.id == "ctx"
    ]
    assert not raw, "handlers reading the raw body or path: " + ", ".join(raw)


def test_each_domain_rule_is_a_function_named_by_its_entry() -> None:
    """Every rule held by a domain module — a refusal, a change of state, a scheduled step — is
    a function of that module named after the entry: the part after the area
    (``dataset.no-reopen`` → ``no_reopen``) or the whole id (``status.values`` →
    ``status_values``)."""
    rules = [
        rule
        for _, rule in catalog.catalog().by_mock_rule().values()
        if "/domain/" in rule.enforced_in
    ]
    assert len(rules) > 95
    missing = []
    for rule in rules:
        area, name = rule.rule.split(".", 1)
        candidates = {name.replace("-", "_"), f"{area}_{name}".replace("-", "_")}
        if not candidates & _functions(ROOT / rule.enforced_in):
            missing.append(
                f"{rule.rule}: no {' or '.join(sorted(candidates))} in {rule.enforced_in}"
            )
    assert not missing, "\n".join(missing)


def test_every_scheduled_kind_has_one_handler() -> None:
    assert {"captions.done", "bulk.progress", "training.checkpoint", "request.expire"} <= set(
        events.HANDLERS
    )
    with pytest.raises(RuntimeError, match="two handlers"):
        events.handles("captions.done")(lambda tx, data, due: None)


def test_scheduling_an_unknown_kind_fails_loudly() -> None:
    app = create_app(MockConfig())
    store = app.state.mock.store
    refused = pytest.raises(ValueError, match="no handler is registered for scheduled work")
    with refused, store.transaction() as tx:
        tx.schedule(tx.now, "nobody.handles", {"id": 1})
    assert store._heap == [], "the refused schedule left nothing behind"


def test_a_state_file_with_unknown_scheduled_work_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    persistence = SqlitePersistence(str(state))
    try:
        persistence.write(
            [("event", "1", {"due": 0.0, "kind": "nobody.handles", "data": {}})], {}, ()
        )
    finally:
        persistence.close()
    with pytest.raises(StateFormatError, match=r"scheduled work of kinds .*nobody\.handles"):
        create_app(MockConfig(state_path=str(state)))


def test_a_reading_transaction_changes_nothing() -> None:
    """GET operations read without before-images; anything that would change the state raises."""
    from bria_mock.domain.projects import NewProject, Project, created_active
    from bria_mock.state import ReadOnly

    app = create_app(MockConfig())
    store = app.state.mock.store
    fields = NewProject("Brand", "", "", "", "illustration", "icons")
    with store.transaction() as tx:
        project = created_active(tx, "org", fields)
    with store.reading() as tx:
        assert tx.get(Project, project.id) is store.tables["project"][project.id]
        for change in (
            lambda: tx.put(project),
            lambda: tx.delete(Project, project.id),
            tx.new_id,
            lambda: tx.schedule(tx.now, "captions.done", {"dataset_id": 1, "job": 1}),
            lambda: tx.put_blob("k", "text/plain", b""),
        ):
            with pytest.raises(ReadOnly):
                change()
    assert store.meta["next_id"] == project.id + 1
