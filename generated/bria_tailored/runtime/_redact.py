"""Keep API tokens out of every message, repr and log line the runtime produces.

Error messages quote what the server answered, and a server may echo the credential it rejected.
Tokens handed to :func:`bria_tailored.runtime.make_client` are registered here, and every text the
runtime builds for humans passes through :func:`redact` before it is shown.
"""

from __future__ import annotations

import threading

REDACTED = "[REDACTED]"

# Shorter strings would match ordinary words; a real Bria key is much longer than this.
_MIN_SECRET_LENGTH = 8

_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()


def register_secret(secret: str) -> None:
    """Remember ``secret`` so that :func:`redact` masks it from now on."""
    global _secrets
    if len(secret) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets = _secrets | {secret}


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
