"""Failures exported as runnable reproductions: a Python script using `bria_tailored` and the
curl lines of the same requests, saved beside the report.

The script replays the failing test's whole scenario, from the mock's reset (or from nothing,
against the live API) to the failing call: the client comes from `bria_tailored.runtime.make_client`
and the requests go out through its httpx client exactly as the suite sent them (bodies the typed
API would refuse to build, hostile JSON text included). Uploaded files are saved next to it.
Tokens are never written: the script reads BRIA_API_TOKEN (and BRIA_API_TOKEN_2).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .journal import Exchange
from .results import EntryResult, TestRecord

HEADER = '''"""Reproduces a failure of the Bria conformance suite.

Entry:     {entry}
Statement: {statement}
Test:      {test}
Failure:   {failure}

Run:  BRIA_API_TOKEN=... [BRIA_API_TOKEN_2=...] python {name} [BASE_URL]
{target_note}
Each request is printed with its status; the last one is the call that broke the rule.
"""

import os
import pathlib
import sys

from bria_tailored.runtime import make_client

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else {base_url!r}
HERE = pathlib.Path(__file__).parent
TOKENS = {{"main": os.environ.get("BRIA_API_TOKEN"), "other": os.environ.get("BRIA_API_TOKEN_2")}}
http = make_client(TOKENS["main"] or "unset", base_url=BASE_URL).get_httpx_client()


def send(method, path, role="main", token=None, **kw):
    headers = {{}}
    if role in TOKENS:
        headers["api_token"] = TOKENS[role] or "unset"
    elif role == "literal":
        headers["api_token"] = token
    if "raw_json" in kw:
        kw["content"] = kw.pop("raw_json").encode()
        headers["Content-Type"] = "application/json"
    if "files" in kw:
        kw["files"] = {{
            field: (name, (HERE / stored).read_bytes(), mime)
            for field, (name, stored, mime) in kw["files"].items()
        }}
    response = http.request(method, path, headers=headers, **kw)
    print(method, path, "->", response.status_code, response.text[:2000])
    return response


'''


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "entry"


def _path(exchange: Exchange, base_url: str) -> str:
    url = exchange.url
    return url[len(base_url.rstrip("/")) :] if url.startswith(base_url.rstrip("/")) else url


def _call(exchange: Exchange, base_url: str, files_dir: Path, index: int) -> str:
    args = [repr(exchange.method), repr(_path(exchange, base_url))]
    if exchange.token_role != "main":
        args.append(f"role={exchange.token_role!r}")
    if exchange.token_role == "literal":
        args.append(f"token={exchange.literal_token!r}")
    if exchange.json_body is not None:
        args.append(f"json={exchange.json_body!r}")
    if exchange.raw_json is not None:
        args.append(f"raw_json={exchange.raw_json!r}")
    if exchange.form:
        args.append(f"data={exchange.form!r}")
    if exchange.file_data:
        files: dict[str, tuple[str, str, str]] = {}
        for field_name, (name, data, mime) in exchange.file_data.items():
            stored = f"{files_dir.name}/{index:04d}-{_slug(name)}"
            (files_dir.parent / stored).write_bytes(data)
            files[field_name] = (name, stored, mime)
        args.append(f"files={files!r}")
    line = f"send({', '.join(args)})"
    if exchange.status is not None:
        line += f"  # the suite saw {exchange.status}"
    return line


def write_reproduction(
    directory: Path, result: EntryResult, record: TestRecord, target: Any
) -> Path:
    """Write `<entry>.py` (and `<entry>.sh` with the curl lines); return the script's path."""
    directory.mkdir(parents=True, exist_ok=True)
    slug = _slug(result.entry.id)
    files_dir = directory / f"{slug}-files"
    base_url = target.base_url
    calls = []
    for index, exchange in enumerate(record.exchanges):
        if exchange.file_data:
            files_dir.mkdir(exist_ok=True)
        calls.append(_call(exchange, base_url, files_dir, index))
    if target.app is not None:
        note = (
            "The suite ran against the embedded mock: start one with\n"
            "  bria-mock --port 8080 --token $BRIA_API_TOKEN --token $BRIA_API_TOKEN_2\n"
            "and pass http://127.0.0.1:8080 (a reset starts the replay, so ids match)."
        )
        default = "http://127.0.0.1:8080"
    else:
        note = f"The suite ran against {target.label}."
        default = base_url
    if record.dropped:
        note += f"\nThe first {record.dropped} requests of a very long scenario were not kept."
    script = directory / f"{slug}.py"
    failure = (record.message.splitlines() or [""])[0][:300]
    text = HEADER.format(
        entry=result.entry.id,
        statement=" ".join(result.entry.statement.split())[:400],
        test=record.nodeid,
        failure=failure.replace('"""', "'''"),
        name=script.name,
        target_note=note,
        base_url=default,
    )
    script.write_text(text + "\n".join(calls) + "\n", encoding="utf-8")
    curl = directory / f"{slug}.sh"
    curl.write_text(
        "#!/bin/sh\n# The same requests as curl lines (tokens masked as ***).\n"
        + "\n".join(e.as_curl() for e in record.exchanges)
        + "\n",
        encoding="utf-8",
    )
    return script


def export_all(directory: Path, results: list[EntryResult], target: Any) -> dict[str, str]:
    """One reproduction per failed entry (its first failing test); entry id -> script path."""
    written: dict[str, str] = {}
    for result in results:
        if result.status != "failed" or not result.failures:
            continue
        record = next((r for r in result.failures if r.exchanges), None)
        if record is None:
            continue
        written[result.entry.id] = str(write_reproduction(directory, result, record, target))
    return written
