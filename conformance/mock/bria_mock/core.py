"""The mock's parts wired together: spec, clock, state, signer, fetcher, tenancy, handlers.

The operation handlers come in as a table (``resources.HANDLERS``, given by ``app.py``), so
nothing here imports a handler module; importing ``domain`` registers every kind of scheduled
work (``domain/events.py``), which the state is given whole.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from .clock import Clock
from .config import MockConfig
from .context import Handler
from .domain import events
from .fetch import Fetcher
from .persistence import SqlitePersistence
from .records import Secret
from .routing import Router
from .signed_files import Artefacts
from .signing import Signer
from .spec import Spec, compile_spec, compiled_spec
from .state import Store
from .tenancy import Tenancy
from .unmodelled import spec_handler
from .webhooks import WebhookSender

log = logging.getLogger("bria_mock")


class Mock:
    def __init__(
        self,
        config: MockConfig,
        handlers: Mapping[str, Handler],
        spec_doc: dict[str, Any] | None = None,
    ) -> None:
        self.config = config
        self.spec: Spec = (
            compile_spec(spec_doc) if spec_doc is not None else compiled_spec(config.spec_path)
        )
        self.clock = Clock(config.clock_start, config.realtime, config.speed)
        self.persistence = SqlitePersistence(config.state_path) if config.state_path else None
        try:
            self.store = Store(config, self.clock, self.persistence, events=events.HANDLERS)
        except BaseException:
            if self.persistence is not None:
                self.persistence.close()
            raise
        self.signer = Signer(self._secret())
        self.artefacts = Artefacts(self)
        self.fetcher = Fetcher(
            self.artefacts.resolve,
            config.allow_url_prefixes,
            config.fetch_timeout_seconds,
            config.public_base_url,
        )
        self.tenancy = Tenancy(config)
        self.handlers: dict[str, Handler] = {}
        missing = []
        for op_id in self.spec.operations:
            handler = handlers.get(op_id)
            if handler is None:
                missing.append(op_id)
            else:
                self.handlers[op_id] = handler
        # Operations without a handler are served from the spec (see unmodelled.py) so a new
        # upstream operation never stops the mock from starting.
        self.unmodelled: list[str] = sorted(missing)
        for op_id in self.unmodelled:
            self.handlers[op_id] = spec_handler(self.spec, self.spec.operations[op_id])
        if self.unmodelled:
            log.warning(
                "operations served from the spec only (no handler yet; answers carry "
                "x-bria-mock: unimplemented): %s",
                ", ".join(self.unmodelled),
            )
        unused = sorted(set(handlers) - set(self.spec.operations))
        if unused:
            log.warning("operations missing from the spec are not served: %s", ", ".join(unused))
        self.router = Router([self.spec.operations[op_id] for op_id in self.handlers])
        self.webhooks = WebhookSender(self)

    def _secret(self) -> bytes:
        if self.config.signing_secret:
            return self.config.signing_secret.encode()
        with self.store.transaction() as tx:
            record = tx.get(Secret, "secret")
            if record is None:
                record = tx.put(Secret(name="secret", value=secrets.token_hex(32)))
            return record.value.encode()

    def signed_url(self, base_url: str, artefact: str, now: float) -> str:
        base = self.config.public_base_url or base_url
        return self.signer.sign(base, artefact, now, self.config.signed_url_ttl_seconds)

    def reset(self) -> None:
        self.store.reset()
        self.tenancy.reset()
        self.artefacts.cache.clear()
        self.signer = Signer(self._secret())

    def close(self) -> None:
        # both a server's shutdown and its owner (LoopbackMock) close it: the second is a no-op
        if self.persistence is not None:
            self.persistence.close()
            self.persistence = None
