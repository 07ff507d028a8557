"""The embedded target: Bria's mock running in this process (ASGI, no network)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .target import ASGI_BASE_URL, Permissions, Target, random_token


def mock_app(**config: Any) -> Any:
    """A fresh mock application; `config` sets `bria_mock.config.MockConfig` fields."""
    from bria_mock.app import create_app
    from bria_mock.config import MockConfig

    return create_app(MockConfig(**config))


def embedded_target(
    completion_min_images: int = 5,
    wrap: Callable[[Any], Any] | None = None,
    tokens: tuple[str, str] | None = None,
    **config: Any,
) -> Target:
    """The mock in-process; `wrap` puts an ASGI middleware around it (e.g. a broken variant)."""
    token, other = tokens or (random_token("org-a"), random_token("org-b"))
    settings = {"tokens": (token, other), "min_images_to_complete": completion_min_images, **config}
    wrapper = wrap or (lambda app: app)
    app = wrapper(mock_app(**settings))

    def rate_limited(limit: int) -> Target:
        limited = wrapper(mock_app(**{**settings, "rate_limit": limit, "rate_window_seconds": 2.0}))
        return Target(
            label="embedded mock (rate limited)",
            base_url=ASGI_BASE_URL,
            token=token,
            other_token=other,
            app=limited,
            controls=True,
            permissions=Permissions.everything(),
        )

    from bria_mock.config import MockConfig

    return Target(
        label=f"embedded mock (in-process, {settings.get('profile', 'canonical')} profile)",
        moderation_probe=f"a poster that says {MockConfig().moderation_marker}",
        base_url=ASGI_BASE_URL,
        token=token,
        other_token=other,
        app=app,
        controls=True,
        permissions=Permissions.everything(),
        rate_limited=rate_limited,
        completion_min_images=completion_min_images,
    )
