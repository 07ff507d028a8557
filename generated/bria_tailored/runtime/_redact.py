"""Keep API tokens out of every message, repr, log line and error attribute the runtime produces.

Error messages quote what the server answered, and a server may echo the credential it rejected.
Every token a client is built with is registered here (by :func:`bria_tailored.runtime.make_client`
and by the generated ``AuthenticatedClient`` itself), and every text the runtime builds for humans,
every error body and every error header passes through :func:`redact` / :func:`redact_value`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

REDACTED = "[REDACTED]"

# A secret this long is masked wherever it occurs. A shorter one (a test token such as "A") is
# masked only where it stands alone, or every word holding that letter sequence would be mangled.
_MIN_SUBSTRING_SECRET = 8

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()
_short_pattern: re.Pattern[str] | None = None


def register_secret(secret: str) -> None:
    """Remember ``secret`` (of any length) so that :func:`redact` masks it from now on."""
    global _secrets, _short_pattern
    if not secret or secret in _secrets:
        return
    with _lock:
        # Longest first, so a token that contains another is masked whole.
        _secrets = tuple(sorted({*_secrets, secret}, key=len, reverse=True))
        short = [s for s in _secrets if len(s) < _MIN_SUBSTRING_SECRET]
        _short_pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in short) + r")(?![\w-])")
            if short
            else None
        )


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]``."""
    for secret in _secrets:
        if len(secret) >= _MIN_SUBSTRING_SECRET and secret in text:
            text = text.replace(secret, REDACTED)
    pattern = _short_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    return text


def redact_value(value: object) -> object:
    """A decoded JSON value (or any nesting of str, list, tuple, dict) with secrets masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {
            redact(str(k)) if isinstance(k, str) else k: redact_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value
