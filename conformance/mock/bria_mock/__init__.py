"""A stateful mock of Bria's Tailored Generation API that enforces the documented rules.

``create_app(MockConfig(...))`` returns a Starlette ASGI app (use it in-process with
``httpx.ASGITransport``); ``bria-mock`` serves it over HTTP. See docs/mock.md.
"""

from .app import create_app
from .config import MockConfig

__all__ = ["MockConfig", "create_app"]
