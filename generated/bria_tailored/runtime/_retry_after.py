"""Reading the ``Retry-After`` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any


def parse_retry_after(headers: Any, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait according to ``Retry-After``, or ``None`` when absent or unreadable.

    ``headers`` is any mapping with a ``get`` method (``httpx.Headers`` or a plain dict with
    lower-case keys). A date in the past gives ``0.0``.
    """
    raw = headers.get("retry-after") if headers is not None else None
    if raw is None and headers is not None:
        raw = headers.get("Retry-After")
    if raw is None:
        return None
    text = str(raw).strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # HTTP-dates are GMT by definition; "-0000" parses as zone-less but means the same.
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now())
