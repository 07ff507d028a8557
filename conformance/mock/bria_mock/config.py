"""Every tunable of the mock in one place.

Defaults follow the newest Bria documentation (the OpenAPI bundle,
spec/upstream/tailored-generation.openapi.json, and the training defaults of
bria-start-training.md). Where two documents disagree, the field that settles the disagreement is
named ``*_rule`` or says so in its comment, and bria_conformance/catalog.yaml records the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MB = 1024 * 1024


@dataclass
class MockConfig:
    # --- answers ----------------------------------------------------------------------------
    # "canonical" answers as the normalized spec declares; "documented" in the literal forms of
    # Bria's own documents where they are looser (string steps, offset-less timestamps, ...; see
    # profiles.py and docs/contract.md).
    profile: Literal["canonical", "documented"] = "canonical"

    # --- spec -------------------------------------------------------------------------------
    # None loads ``bria_tailored/openapi.json`` from the installed client package.
    spec_path: str | None = None

    # --- tenancy ----------------------------------------------------------------------------
    # Empty: any non-empty api_token is accepted and names its own organization.
    tokens: tuple[str, ...] = ()
    # Total requests an organization may make (None = unlimited). Bria documents this as
    # "Quota exceeded: Free users can make up to 1000 requests in total".
    quota_requests: int | None = None
    # 403 (the bundle's `quota_exceeded` example) or 429 (the team contract); see the
    # catalog entries limit.*.
    quota_status: Literal[403, 429] = 429
    # Requests per window per organization (None = unlimited), answered with 429 + Retry-After.
    rate_limit: int | None = None
    rate_window_seconds: float = 60.0

    # --- time -------------------------------------------------------------------------------
    realtime: bool = False
    speed: float = 1.0
    # Virtual epoch (unix seconds) the clock starts at; None = wall clock at start.
    clock_start: float | None = None

    # --- durations of long work, in (virtual) seconds ------------------------------------------
    training_seconds_per_step: float = 10.0
    stop_seconds: float = 60.0
    caption_seconds_per_image: float = 2.0
    bulk_seconds_per_image: float = 1.0
    upload_model_sync_seconds: float = 120.0
    generation_seconds: float = 8.0
    structured_prompt_seconds: float = 3.0
    video_seconds: float = 60.0
    # Status-service requests are forgotten this long after they finish (404 afterwards).
    request_retention_seconds: float = 24 * 3600.0
    signed_url_ttl_seconds: float = 3600.0

    # --- documented limits ------------------------------------------------------------------
    # The bundle says 5 images to complete a dataset; bria-guide-v1.md says 1.
    min_images_to_complete: int = 5
    max_basic_images: int = 200
    max_advanced_images: int = 5000
    min_upscale_side: int = 256
    target_side: int = 1024
    # The bundle describes models created from a completed dataset; start_training answers
    # 412 for a draft one. False keeps creation open and lets start_training enforce the rule.
    require_completed_dataset_on_create: bool = False
    # Status an uploaded model settles in: the prose says "completed", the example "Completed"
    # (domain.models.UPLOADED_END_STATUSES; this module sits below the domain, so the value is
    # spelled out here).
    uploaded_model_completed_status: str = "Completed"
    # Enforce the prose word limits on ip_name (1-3 words) and ip_description (<= 6 words).
    strict_ip_text: bool = False

    # --- safety limits (the mock's own; Bria's are far larger) ----------------------------------
    max_request_bytes: int = 64 * MB
    max_image_bytes: int = 25 * MB
    max_image_pixels: int = 40_000_000
    max_zip_bytes: int = 256 * MB
    max_zip_uncompressed_bytes: int = 2048 * MB
    max_zip_member_bytes: int = 50 * MB
    max_zip_ratio: float = 100.0
    max_model_bytes: int = 64 * MB
    fetch_timeout_seconds: float = 10.0
    # URL prefixes the mock may fetch image_url / zip_url / model_url from, besides itself,
    # and deliver webhooks to.
    allow_url_prefixes: tuple[str, ...] = ()

    # --- webhooks (a v2 job submitted with webhook_url; domain/webhooks.py) ----------------------
    # Seconds an attempt may take: Bria's SDK asks receivers to answer within 10 seconds.
    webhook_timeout_seconds: float = 10.0
    # Attempts before a delivery fails (5xx, timeouts and connection errors are retried).
    webhook_attempts: int = 5
    # Wait before the second attempt; it doubles for each further one (1, 2, 4, 8 s).
    webhook_backoff_seconds: float = 1.0
    # Deliveries that may wait or be due at once; a submit beyond that is refused with 429.
    webhook_queue_size: int = 1000

    # --- deterministic triggers ---------------------------------------------------------------
    # An input (image bytes or prompt text) containing this marker is refused by moderation.
    moderation_marker: str = "BRIA-MOCK-UNSAFE"
    # Prompt terms that raise Bria's IP warning (case-insensitive whole words/phrases).
    ip_terms: tuple[str, ...] = (
        "disney",
        "mickey mouse",
        "marvel",
        "spider-man",
        "pokemon",
        "pikachu",
        "coca-cola",
        "nike",
        "lego",
        "star wars",
        "harry potter",
        "taylor swift",
    )

    # --- persistence / serving ----------------------------------------------------------------
    state_path: str | None = None
    # Base URL used in artefact and status URLs; None derives it from each request.
    public_base_url: str | None = None
    # Secret for signed URLs; None generates one (persisted with --state).
    signing_secret: str | None = None
    enable_control: bool = True
