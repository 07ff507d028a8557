"""The promise ledger accounts for every sentence of Bria's documents, each exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from bria_conformance import catalog
from ledger_sentences import (
    CLASSES,
    DOCUMENTS,
    LEDGER,
    Sentence,
    classes,
    classification,
    collect,
    ledger_items,
    occurs,
    quoted_by,
    read_ledger,
    split_sentences,
)

FIX = "run `python tests/ledger_sentences.py`, then classify the `classify: TODO` items"


@pytest.fixture(scope="module")
def quoted() -> dict[tuple[str, str], list[str]]:
    return quoted_by()


@pytest.fixture(scope="module")
def ledger() -> dict[str, Any]:
    return read_ledger()


def test_splitter_keeps_sentences_as_they_stand() -> None:
    text = "- Create a dataset. Images (e.g. PNG) are resized.\n* Up to 200 images!\n|"
    assert split_sentences(text) == [
        "Create a dataset.",
        "Images (e.g. PNG) are resized.",
        "Up to 200 images!",
    ]
    assert all(sentence in text for sentence in split_sentences(text))


def test_ledger_names_the_documents(ledger: dict[str, Any]) -> None:
    assert ledger["documents"] == DOCUMENTS


def test_every_sentence_is_in_the_ledger_exactly_once(ledger: dict[str, Any]) -> None:
    listed = Counter((doc, item["text"]) for doc, _, item in ledger_items(ledger))
    twice = sorted(key for key, count in listed.items() if count > 1)
    assert not twice, f"listed more than once in {LEDGER.name}: {twice}"
    found = collect()
    missing = sorted(set(found) - set(listed))
    assert not missing, (
        f"{len(missing)} sentence(s) of Bria's documents are not in {LEDGER.name} ({FIX}): "
        + "; ".join(f"[{doc}] {text!r}" for doc, text in missing[:20])
    )
    gone = sorted(set(listed) - set(found))
    assert not gone, (
        f"{len(gone)} ledger sentence(s) no longer stand in their document ({FIX}): "
        + "; ".join(f"[{doc}] {text!r}" for doc, text in gone[:20])
    )
    for doc, _, item in ledger_items(ledger):
        expected = found[(doc, item["text"])].at
        assert item["at"] == expected, (
            f"[{doc}] {item['text']!r} stands at {expected}, the ledger says {item['at']} ({FIX})"
        )


def test_every_ledger_sentence_stands_where_it_says(ledger: dict[str, Any]) -> None:
    problems = [
        f"[{doc}] {item['text']!r} is not at {at}"
        for doc, _, item in ledger_items(ledger)
        for at in item["at"]
        if not occurs(doc, at, item["text"])
    ]
    assert not problems, "\n".join(problems)


def test_every_sentence_is_classified(
    ledger: dict[str, Any], quoted: dict[tuple[str, str], list[str]]
) -> None:
    entries = catalog.load()
    problems = []
    for doc, group, item in ledger_items(ledger):
        where = f"[{doc}] {group}: {item['text']!r}"
        found = classes(item, quoted.get((doc, item["text"]), []))
        keys = list(found)
        if len(keys) != 1 or keys[0] not in CLASSES:
            problems.append(f"{where} needs exactly one of {CLASSES}, has {keys}")
            continue
        value = found[keys[0]]
        if keys[0] == "entries":
            if not isinstance(value, list) or not value:
                problems.append(f"{where}: `entries` must list catalog ids")
                continue
            problems += [f"{where} names unknown entry {i!r}" for i in value if i not in entries]
        elif keys[0] in ("untestable", "pending"):
            if not isinstance(value, str) or len(value.split()) < 3:
                problems.append(f"{where}: `{keys[0]}` needs a reason, got {value!r}")
        elif not isinstance(value, str):
            problems.append(f"{where}: `no-promise` takes a short note")
    assert not problems, "\n".join(problems)


def test_a_quoted_sentence_is_classified_by_its_quote_alone(
    ledger: dict[str, Any], quoted: dict[tuple[str, str], list[str]]
) -> None:
    """One home: the entry's quote says it checks the sentence; the ledger does not repeat it."""
    problems = []
    for doc, group, item in ledger_items(ledger):
        quoting = quoted.get((doc, item["text"]), [])
        if not quoting:
            continue
        where = f"[{doc}] {group}: {item['text']!r} is quoted by {quoting}"
        hand = [key for key in classification(item) if key != "entries"]
        if hand:
            problems.append(f"{where}, so it is checked: drop its `{hand[0]}`")
        repeated = [i for i in item.get("entries", []) if i in quoting]
        if repeated:
            problems.append(f"{where}: drop {repeated} from its `entries` ({FIX})")
    assert not problems, "\n".join(problems)


def test_a_quote_classifies_the_sentences_it_holds() -> None:
    sentences = {
        ("002", text): Sentence("002", text, "POST /x", ["#/paths/~1x/post/description"])
        for text in ("An archived project accepts no new datasets.", "Archive a project.", "Ok.")
    }
    entry = catalog.Entry(
        id="project.archived-refuses-datasets",
        kind="state",
        statement="An archived project accepts no new datasets.",
        source=(
            {
                "doc": "002",
                "at": "#/paths/~1x/post/description",
                "quote": "An archived project accepts no new datasets.",
            },
        ),
        tests=("test_projects.py::test_archived",),
    )
    found = quoted_by(sentences, [entry])
    assert found == {("002", "An archived project accepts no new datasets."): [entry.id]}
    elsewhere = {**entry.source[0], "at": "#/paths/~1y/post/description"}
    assert quoted_by(sentences, [catalog.Entry(**{**entry.__dict__, "source": (elsewhere,)})]) == {}
    part = {**entry.source[0], "quote": "accepts no new datasets"}
    assert quoted_by(sentences, [catalog.Entry(**{**entry.__dict__, "source": (part,)})]) == found


def test_an_operation_s_success_description_is_its_responses_entry_s() -> None:
    responses = "#/paths/~1x/post/responses"
    sentences = {
        ("002", "Project archived"): Sentence(
            "002", "Project archived", "POST /x", [f"{responses}/200/description"]
        ),
        ("002", "Project not found"): Sentence(
            "002", "Project not found", "POST /x", [f"{responses}/404/description"]
        ),
        ("002", "Unauthorized"): Sentence(
            "002",
            "Unauthorized",
            "shared",
            [f"{responses}/401/description", "#/paths/~1y/get/responses/401/description"],
        ),
    }
    [entry] = [
        e
        for e in catalog.operation_entries(
            {
                "paths": {
                    "/x": {
                        "post": {
                            "operationId": "archive-project",
                            "x-bria-upstream": "tailored-generation.openapi.json#/paths/~1x/post",
                        }
                    }
                }
            },
            catalog.catalog().documents,
        )
        if e.id.endswith(".responses")
    ]
    assert quoted_by(sentences, [entry]) == {("002", "Project archived"): [entry.id]}
