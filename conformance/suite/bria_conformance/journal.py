"""A per-test record of the requests the suite sent, to reproduce a failure with curl.

The token never enters the journal: headers are stored with the token already masked.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

MASK = "***"


@dataclass
class Exchange:
    method: str
    url: str
    headers: dict[str, str]
    json_body: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    #: A body sent as raw JSON text (hostile input that json.dumps cannot produce).
    raw_json: str | None = None
    #: Whose token was sent: "main", "other", "none", or "literal" (a made-up token, kept in
    #: `literal_token`); the real tokens never enter the journal.
    token_role: str = "main"
    literal_token: str | None = None
    #: The uploaded files themselves (field -> (file name, bytes, media type)), for replay.
    file_data: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)

    def as_curl(self) -> str:
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers.items():
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.json_body is not None:
            parts += ["-H", shlex.quote("Content-Type: application/json")]
            parts += ["-d", shlex.quote(json.dumps(self.json_body, separators=(",", ":")))]
        elif self.raw_json is not None:
            parts += ["-H", shlex.quote("Content-Type: application/json")]
            parts += ["--data-binary", shlex.quote(self.raw_json)]
        for name, value in self.form.items():
            parts += ["-F", shlex.quote(f"{name}={value}")]
        for name, filename in self.files.items():
            parts += ["-F", shlex.quote(f"{name}=@{filename}")]
        return " ".join(parts)


@dataclass
class Journal:
    exchanges: list[Exchange] = field(default_factory=list)
    #: curl commands supplied directly (e.g. by Schemathesis for a generated case).
    reproductions: list[str] = field(default_factory=list)

    #: Exchanges dropped from the front of a very long scenario (the replay then starts late).
    dropped: int = 0

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        # A reproduction replays the whole scenario; only pathological ones are cut.
        if len(self.exchanges) > 2000:
            del self.exchanges[:1000]
            self.dropped += 1000

    def last_curl(self) -> str | None:
        if self.reproductions:
            return self.reproductions[-1]
        if self.exchanges:
            return self.exchanges[-1].as_curl()
        return None


def mask(text: str, secrets: list[str]) -> str:
    # Longest first, so a token that contains another is masked whole. A short token (a test
    # token such as "A") is masked only where it stands alone, or every word holding that
    # letter sequence would be mangled; real API tokens are long and masked everywhere.
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        if len(secret) >= _WHOLE_TOKEN_BELOW:
            text = text.replace(secret, MASK)
        else:
            text = re.sub(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", MASK, text)
    return text


_WHOLE_TOKEN_BELOW = 8
