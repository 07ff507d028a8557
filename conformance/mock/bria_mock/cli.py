"""``bria-mock``: run the stateful Bria Tailored Generation mock as a local HTTP server."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import MockConfig
from .domain.models import UPLOADED_END_STATUSES, ModelStatus
from .fetch import parse_url
from .profiles import PROFILES
from .records import StateFormatError
from .sockets import bind
from .spec import SpecError


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be greater than 0")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} must not be negative")
    return number


def _rate(value: str) -> tuple[int, float]:
    count, _, window = value.partition("/")
    try:
        return (int(count), float(window) if window else 60.0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not N or N/SECONDS (e.g. 100/60)") from None


def _url_prefix(value: str) -> str:
    if parse_url(value) is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} must be an http:// or https:// URL with a host (and a valid port)"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bria-mock",
        description="Stateful mock of Bria's Tailored Generation API (see docs/mock.md).",
    )
    net = parser.add_argument_group("server")
    net.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    net.add_argument("--port", type=int, default=8080, help="port to bind (default 8080; 0 = any)")
    net.add_argument(
        "--public-url", help="base URL used in signed/status URLs (default: from request)"
    )
    net.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"]
    )
    net.add_argument("--spec", help="normalized OpenAPI JSON to serve (default: the bundled one)")
    net.add_argument(
        "--no-control", action="store_true", help="disable the /_mock control endpoints"
    )

    state = parser.add_argument_group("state and time")
    state.add_argument(
        "--state", metavar="PATH", help="keep state in this SQLite file (survives restarts)"
    )
    state.add_argument("--realtime", action="store_true", help="let the clock run by itself")
    state.add_argument(
        "--speed", type=_positive, default=1.0, help="real-time speed factor (default 1)"
    )
    state.add_argument(
        "--signing-secret", help="HMAC secret for signed URLs (default: random, persisted)"
    )

    tenancy = parser.add_argument_group("tenancy and limits")
    tenancy.add_argument(
        "--token",
        action="append",
        default=[],
        help="accept only these api_tokens (repeatable; default: any non-empty token)",
    )
    tenancy.add_argument("--quota", type=_count, help="total requests per organization")
    tenancy.add_argument(
        "--quota-status",
        type=int,
        choices=[403, 429],
        default=429,
        help="status for an exhausted quota",
    )
    tenancy.add_argument("--rate-limit", type=_rate, metavar="N[/SECONDS]", help="e.g. 100/60")
    tenancy.add_argument(
        "--allow-url",
        action="append",
        default=[],
        type=_url_prefix,
        metavar="PREFIX",
        help="URL prefix image_url/zip_url/model_url may be fetched from and webhooks "
        "delivered to (repeatable)",
    )
    tenancy.add_argument(
        "--fetch-timeout", type=_positive, default=10.0, help="seconds (default 10)"
    )

    hooks = parser.add_argument_group("webhooks (a v2 job submitted with webhook_url)")
    hooks.add_argument(
        "--webhook-timeout", type=_positive, default=10.0, help="seconds an attempt may take (10)"
    )
    hooks.add_argument(
        "--webhook-attempts", type=_count, default=5, help="attempts before a delivery fails (5)"
    )
    hooks.add_argument(
        "--webhook-backoff",
        type=_positive,
        default=1.0,
        help="seconds before the second attempt, doubling after (1)",
    )
    hooks.add_argument(
        "--webhook-queue", type=_count, default=1000, help="deliveries that may wait at once (1000)"
    )

    docs = parser.add_argument_group("documented contradictions (see docs/mock.md)")
    docs.add_argument(
        "--profile",
        choices=list(PROFILES),
        default="canonical",
        help="answer as the normalized spec declares (canonical, default) or in the literal "
        "forms of Bria's documents: string steps, offset-less timestamps, no Retry-After, "
        "JSON-only bulk upload, lowercase uploaded-model status (documented)",
    )
    docs.add_argument(
        "--min-images-to-complete",
        type=_count,
        default=5,
        help="images needed to complete a dataset: 5 (bundle, default) or 1 (v1 guide)",
    )
    docs.add_argument(
        "--require-completed-dataset-on-create",
        action="store_true",
        help="refuse create-model on a draft dataset (default: start_training refuses with 412)",
    )
    docs.add_argument(
        "--uploaded-model-status",
        choices=[str(status) for status in UPLOADED_END_STATUSES],
        default=str(ModelStatus.COMPLETED),
        help="status an uploaded model settles in after syncing",
    )
    docs.add_argument(
        "--strict-ip-text", action="store_true", help="enforce ip_name/ip_description word limits"
    )
    return parser


def config_from_args(args: argparse.Namespace) -> MockConfig:
    rate = args.rate_limit
    return MockConfig(
        profile=args.profile,
        spec_path=args.spec,
        tokens=tuple(args.token),
        quota_requests=args.quota,
        quota_status=args.quota_status,
        rate_limit=rate[0] if rate else None,
        rate_window_seconds=rate[1] if rate else 60.0,
        realtime=args.realtime,
        speed=args.speed,
        min_images_to_complete=args.min_images_to_complete,
        require_completed_dataset_on_create=args.require_completed_dataset_on_create,
        uploaded_model_completed_status=args.uploaded_model_status,
        strict_ip_text=args.strict_ip_text,
        fetch_timeout_seconds=args.fetch_timeout,
        allow_url_prefixes=tuple(args.allow_url),
        webhook_timeout_seconds=args.webhook_timeout,
        webhook_attempts=args.webhook_attempts,
        webhook_backoff_seconds=args.webhook_backoff,
        webhook_queue_size=args.webhook_queue,
        state_path=args.state,
        public_base_url=args.public_url,
        signing_secret=args.signing_secret,
        enable_control=not args.no_control,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not between 0 and 65535")
    if args.state:
        parent = Path(args.state).expanduser().resolve().parent
        if not parent.is_dir():
            parser.error(f"--state {args.state}: directory {parent} does not exist")
    if args.spec and not Path(args.spec).is_file():
        parser.error(f"--spec {args.spec}: no such file")
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    config = config_from_args(args)
    try:
        from .app import create_app

        app = create_app(config)
    except SpecError as exc:
        print(f"bria-mock: {exc}", file=sys.stderr)
        return 2
    except (OSError, StateFormatError) as exc:
        print(f"bria-mock: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    try:
        sock = bind(args.host, args.port)
        # As uvicorn's own bind leaves it: its reloader and worker processes inherit it.
        sock.set_inheritable(True)
    except OSError as exc:
        app.state.mock.close()
        print(f"bria-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(startup_line(sock, config), flush=True)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=args.log_level in ("debug", "info"),
            lifespan="on",
        )
    )
    server.run(sockets=[sock])
    return 0


def startup_line(sock: socket.socket, config: MockConfig) -> str:
    """One line a person or a script (``--port 0``) can read: where, what state, control on/off."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    state = f"state file {config.state_path}" if config.state_path else "state in memory"
    control = "control endpoints on" if config.enable_control else "control endpoints off"
    public = f"; public URL {config.public_base_url}" if config.public_base_url else ""
    return f"bria-mock: listening on http://{shown}:{port}/ ({state}; {control}{public})"


if __name__ == "__main__":
    sys.exit(main())
