"""What handlers and artefact readers use of the running mock, as an interface.

``core.Mock`` provides it; handlers and ``resources/files.py`` see only this, so the modules that
wire the mock together (``core``) and the ones it wires (``context``, ``resources``) do not
import each other.
"""

from __future__ import annotations

from typing import Protocol

from .clock import Clock
from .config import MockConfig
from .fetch import Fetcher
from .signing import Signer
from .state import Store


class Services(Protocol):
    config: MockConfig
    clock: Clock
    store: Store
    signer: Signer
    fetcher: Fetcher

    def signed_url(self, base_url: str, artefact: str, now: float) -> str: ...
