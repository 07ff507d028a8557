"""Split Bria's documents into sentences for the promise ledger (``bria_conformance/ledger.yaml``).

The ledger lists every sentence of the bundle's and the Status Service's ``description`` texts and
of the v1 guide's prose, each classified: checked by catalog entries, no promise, untestable (with
the reason) or pending (a promise with no entry yet, with the reason). The splitter here is the one
definition of "a sentence": ``tests/conformance/test_ledger.py`` compares the ledger with what it
finds, so a new upstream sentence fails that test until someone classifies it.

A sentence a catalog entry quotes in its ``source`` (a ``quote`` that holds the whole sentence,
or a passage of three words or more of it; for a JSON document, at the sentence's own pointer) is
checked by that entry, and the description of a success response that stands in one operation
alone by that operation's `responses` entry: :func:`quoted_by` derives those classifications from
the catalog when the ledger is read, so the ledger holds a classification by hand only for a
sentence no entry cites, or the entries that check a cited sentence without citing it.

``python tests/ledger_sentences.py`` brings the ledger up to date: it appends new sentences no entry
quotes with ``classify: TODO``, drops the ones that left their document and the hand-listed
entries that now quote their sentence, keeping every other classification.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bria_build.inputs import load_yaml
from bria_conformance import catalog

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "conformance/suite/bria_conformance/ledger.yaml"
DOCUMENTS = {
    "002": "spec/upstream/tailored-generation.openapi.json",
    "status": "spec/upstream/status.openapi.yaml",
    "001": "spec/upstream/bria-guide-v1.md",
}
CLASSES = ("entries", "no-promise", "untestable", "pending")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

# A sentence ends at . ! ? followed by white space and something that starts a sentence;
# abbreviations such as "e.g." do not end one.
_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'`(\[*])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.")
_BULLET = re.compile(r"^(?:(?:[-*+]|\d+\.)\s+)+")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _lines(text: str) -> list[str]:
    """Lines of ``text``, a line wrapped mid-sentence joined with its continuation.

    A continuation starts with a lower-case letter or "(" after a line that does not end a
    sentence or introduce a list; the joined line keeps its line break, so it still stands in
    ``text`` as it is.
    """
    lines: list[str] = []
    for line in text.splitlines():
        head = lines[-1].rstrip() if lines else ""
        if head and not head.endswith((".", "!", "?", ":")) and re.match(r"\s*[a-z(]", line):
            lines[-1] = f"{lines[-1]}\n{line}"
        else:
            lines.append(line)
    return lines


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: per line, split after . ! ?; list markers dropped.

    Each sentence is a substring of ``text`` as it stands; pieces without a word are dropped.
    """
    sentences: list[str] = []
    for line in _lines(text):
        line = _BULLET.sub("", line.strip()).strip()
        start = 0
        for match in _END.finditer(line):
            head = line[start : match.start()]
            if head.lower().endswith(_ABBREVIATIONS):
                continue
            sentences.append(head.strip())
            start = match.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if _WORD.search(s)]


@dataclass
class Sentence:
    doc: str
    text: str
    group: str
    at: list[str] = field(default_factory=list)


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _descriptions(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{escape(str(key))}"
            if key == "description" and isinstance(value, str):
                yield child, value
            else:
                yield from _descriptions(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _descriptions(value, f"{pointer}/{index}")


def unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def spec_group(pointer: str) -> str:
    """The operation (``POST /tailored-gen/projects``) or component a pointer lies in."""
    parts = [unescape(p) for p in pointer[2:].split("/")]
    if parts[0] == "paths":
        parts = parts[1:]
    if parts[0].startswith("/") and len(parts) > 1 and parts[1] in HTTP_METHODS:
        return f"{parts[1].upper()} {parts[0]}"
    if parts[0] == "components" and len(parts) > 2:
        return f"components/{parts[1]}/{parts[2]}"
    return parts[0]


def load(doc: str) -> Any:
    text = (ROOT / DOCUMENTS[doc]).read_text(encoding="utf-8")
    if doc == "002":
        return json.loads(text)
    if doc == "status":
        return load_yaml(text)
    return text


def _spec_sentences(doc: str) -> Iterator[tuple[str, str, str]]:
    for pointer, text in _descriptions(load(doc), "#"):
        for sentence in split_sentences(text):
            yield spec_group(pointer), pointer, sentence


def _guide_sentences() -> Iterator[tuple[str, str, str]]:
    """The v1 guide's prose; headings, code fences and table rows are not sentences."""
    sections: dict[str, list[str]] = {}
    section = "Overview"
    for line in load("001").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            section = stripped.lstrip("#").strip().strip("*").strip()
            sections.setdefault(section, []).append("")
            continue
        skipped = stripped.startswith("```") or stripped.startswith("|") or stripped.endswith("|")
        # a skipped line still ends the line before it: nothing is joined across it
        sections.setdefault(section, []).append("" if skipped else line)
    for section, lines in sections.items():
        for sentence in split_sentences("\n".join(lines)):
            yield f"§ {section}", f"§ {section}", sentence


def collect() -> dict[tuple[str, str], Sentence]:
    """Every sentence of the three documents, once per document and text, with where it stands.

    A text that stands in several operations or sections is grouped under ``shared``.
    """
    found: dict[tuple[str, str], Sentence] = {}
    for doc in DOCUMENTS:
        source = _guide_sentences() if doc == "001" else _spec_sentences(doc)
        for group, at, text in source:
            sentence = found.setdefault((doc, text), Sentence(doc, text, group))
            if at not in sentence.at:
                sentence.at.append(at)
            if sentence.group != group:
                sentence.group = "shared"
    return found


def occurs(doc: str, at: str, text: str) -> bool:
    """``text`` stands in ``doc`` where ``at`` says (a description's pointer, or a § section)."""
    document = load(doc)
    if doc == "001":
        return text in document and any(
            group == at and sentence == text for group, _, sentence in _guide_sentences()
        )
    node = document
    try:
        for part in at[2:].split("/"):
            key = unescape(part)
            node = node[int(key)] if isinstance(node, list) else node[key]
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return isinstance(node, str) and text in node


def classification(item: dict[str, Any]) -> list[str]:
    """The class keys an item carries by hand (at most one is expected)."""
    return [key for key in (*CLASSES, "classify") if key in item]


#: A quote shorter than this many words is too common to say which sentence it cites.
_QUOTE_WORDS = 3
Key = tuple[str, str]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _quotes(entries: Iterable[catalog.Entry]) -> list[tuple[str, str, str, str]]:
    """(doc, at, quoted passage, entry id) of every quote in an entry's ``source``."""
    return [
        (source["doc"], source["at"], _words(fragment), entry.id)
        for entry in entries
        for source in entry.source
        if source.get("doc") in DOCUMENTS and "quote" in source
        for fragment in source["quote"].split("...")
        if len(_words(fragment).split()) >= _QUOTE_WORDS
    ]


def quoted_by(
    sentences: Mapping[Key, Sentence] | None = None,
    entries: Iterable[catalog.Entry] | None = None,
) -> dict[Key, list[str]]:
    """The catalog entries that cite each sentence (``(doc, text)`` -> ids, cited ones only): a
    ``quote`` in an entry's source, and an operation's `responses` entry for the description of
    a success response of that operation alone."""
    sentences = collect() if sentences is None else sentences
    entries = list(catalog.load().values() if entries is None else entries)
    quotes = _quotes(entries)
    successes = _success_responses(entries)
    found: dict[Key, list[str]] = {}
    for key, sentence in sentences.items():
        text = _words(sentence.text)
        long_enough = len(text.split()) >= _QUOTE_WORDS
        ids = [
            entry
            for doc, at, passage, entry in quotes
            # a pointer names the one description quoted; a guide's section may be another
            # heading level than the one the splitter groups the sentence under
            if doc == sentence.doc and (not at.startswith("#") or at in sentence.at)
            if (long_enough and text in passage) or passage in text
        ]
        ids += [
            entry
            for doc, responses, entry in successes
            if doc == sentence.doc
            and all(
                _SUCCESS.fullmatch(a, len(responses)) and a.startswith(responses)
                for a in sentence.at
            )
        ]
        if ids:
            found[key] = list(dict.fromkeys(ids))
    return found


#: What follows an operation's ``responses`` pointer in a success response's description.
_SUCCESS = re.compile(r"/2[0-9X]{2}/description")


def _success_responses(entries: Iterable[catalog.Entry]) -> list[tuple[str, str, str]]:
    """(doc, responses pointer, entry id) of each operation's derived `responses` entry.

    That entry checks the operation's documented answers and cites where Bria's file holds them,
    so the description of a success response that stands in that operation alone ("Project
    successfully created") is the entry's; a description shared by several operations, or of an
    error, says more than the operation's answer and is classified by hand.
    """
    return [
        (source["doc"], source["at"], entry.id)
        for entry in entries
        if entry.id.startswith(catalog.OPERATION_PREFIX) and entry.id.endswith(".responses")
        for source in entry.source
        if source.get("doc") in DOCUMENTS and source["at"].endswith("/responses")
    ]


def classes(item: dict[str, Any], quoting: list[str]) -> dict[str, Any]:
    """The item's classification: the entries that cite it, with what it holds by hand."""
    hand = {key: item[key] for key in classification(item)}
    if not quoting:
        return hand
    listed = hand.pop("entries", [])
    extra = [i for i in listed if i not in quoting] if isinstance(listed, list) else []
    return {**hand, "entries": [*quoting, *extra]}


def read_ledger(path: Path = LEDGER) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    return data


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render(groups: dict[tuple[str, str], list[dict[str, Any]]]) -> str:
    """The ledger as reviewable YAML: one block per document and operation/section."""
    lines = [
        "# Ledger of every sentence of Bria's documents that could promise behaviour.",
        "# Written by tests/ledger_sentences.py, checked by tests/conformance/test_ledger.py;",
        "# docs/conformance.md (The ledger) says how to classify a new sentence.",
        "# Each item is one sentence as it stands in the document (`at`: the JSON pointer",
        "# of its description, or the § section of the v1 guide) and exactly one of:",
        "#   (nothing)             a catalog entry cites it: quotes it in its `source`, or is the",
        "#                         `responses` entry of the one operation whose success response",
        "#                         it describes (derived when the ledger is read)",
        "#   entries: [ids]        the promise is checked by these catalog entries (beside any",
        "#                         entry that cites it)",
        "#   no-promise: <note>    names a field, type or purpose, or is marketing or a link",
        "#   untestable: <reason>  observable only with what the suite cannot do or judge",
        "#   pending: <reason>     a promise no entry checks yet",
        "version: 1",
        "documents:",
        *(f"  '{key}': {value}" for key, value in DOCUMENTS.items()),
        "groups:",
    ]
    for (doc, group), items in groups.items():
        lines.append(f"- doc: '{doc}'")
        lines.append(f"  group: {_scalar(group)}")
        lines.append("  sentences:")
        for item in items:
            lines.append(f"  - text: {_scalar(item['text'])}")
            lines.append(f"    at: [{', '.join(_scalar(a) for a in item['at'])}]")
            for key in (*CLASSES, "classify"):
                if key not in item:
                    continue
                value = item[key]
                if isinstance(value, list):
                    lines.append(f"    {key}: [{', '.join(value)}]")
                else:
                    lines.append(f"    {key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def ledger_items(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for block in data.get("groups") or ():
        for item in block.get("sentences") or ():
            yield block["doc"], block["group"], item


def update(path: Path = LEDGER) -> tuple[int, int, int]:
    """Append new sentences (``classify: TODO`` unless an entry cites them), drop vanished ones
    and hand-listed entries that cite their sentence; (added, added to classify, dropped)."""
    known: dict[tuple[str, str], dict[str, Any]] = {}
    if path.exists():
        for doc, _, item in ledger_items(read_ledger(path)):
            known[(doc, item["text"])] = item
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    added = todo = 0
    sentences = collect()
    quoted = quoted_by(sentences)
    for (doc, text), sentence in sentences.items():
        item = known.pop((doc, text), None)
        if item is None:
            item, added = {"text": text}, added + 1
            if (doc, text) not in quoted:
                item["classify"], todo = "TODO", todo + 1
        listed = item.get("entries")
        if isinstance(listed, list) and (doc, text) in quoted:
            # one home: an entry that cites the sentence says so in its own source
            item["entries"] = [i for i in listed if i not in quoted[(doc, text)]]
            if not item["entries"]:
                del item["entries"]
        item["at"] = sentence.at
        groups.setdefault((doc, sentence.group), []).append(item)
    path.write_text(render(groups), encoding="utf-8")
    return added, todo, len(known)


if __name__ == "__main__":
    new, todo, gone = update()
    print(
        f"{LEDGER.relative_to(ROOT)}: {new} new sentence(s), {new - todo} classified by the "
        f"catalog entries that cite them, {todo} to classify; {gone} dropped"
    )
    sys.exit(0)
