"""Conveniences around the generated client: typed errors, retries, waiters, result parsing.

::

    from bria_tailored.api.model import get_model, start_training
    from bria_tailored.models import TrainingRequest
    from bria_tailored.runtime import make_client, raise_for_status, wait_for_training

    client = make_client()                     # token from $BRIA_API_TOKEN
    raise_for_status(start_training.sync_detailed(42, client=client, body=TrainingRequest()))
    model = wait_for_training(client, 42, on_progress=lambda p: print(p.status))

This package is written by hand and lives inside the generated ``bria_tailored`` package:
``bria-build`` never writes, deletes or compares it, so regeneration leaves it as it is.
"""

from .client import (
    BASE_URL_ENV_VAR,
    CONNECT_TIMEOUT,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    TOKEN_ENV_VAR,
    make_client,
    register_token,
    resolve_base_url,
    resolve_token,
)
from .deadline import current_deadline, deadline
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BriaError,
    ConflictError,
    InternalServerError,
    InvalidField,
    InvalidTokenError,
    JobFailed,
    MissingTokenError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    UnexpectedResponseError,
    UnexpectedStatusError,
    UnknownJobStatus,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
    WaitTimeout,
    error_class_for_status,
    expect,
    raise_for_status,
    status_error_from_response,
)
from .results import GenerationOutput, parse_generation_response
from .retry import (
    IDEMPOTENT_METHODS,
    JOB_STARTING_PUTS,
    RequestKind,
    RetryPolicy,
    RetryTransport,
    parse_retry_after,
    request_kind,
    single_attempt,
)
from .spec import openapi_document, openapi_text
from .waiters import (
    DEFAULT_UNKNOWN_STATUS_GRACE,
    Progress,
    StatusTable,
    wait_for_bulk_upload,
    wait_for_bulk_upload_async,
    wait_for_captions,
    wait_for_captions_async,
    wait_for_request,
    wait_for_request_async,
    wait_for_training,
    wait_for_training_async,
)
from .webhooks import (
    VerifiedDelivery,
    WebhookVerificationError,
    is_valid_signature,
    parse_webhook,
    verify_webhook,
)

__all__ = [
    "BASE_URL_ENV_VAR",
    "CONNECT_TIMEOUT",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_UNKNOWN_STATUS_GRACE",
    "IDEMPOTENT_METHODS",
    "JOB_STARTING_PUTS",
    "TOKEN_ENV_VAR",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BriaError",
    "ConflictError",
    "GenerationOutput",
    "InternalServerError",
    "InvalidField",
    "InvalidTokenError",
    "JobFailed",
    "MissingTokenError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "Progress",
    "RateLimitError",
    "RequestKind",
    "RetryPolicy",
    "RetryTransport",
    "StatusTable",
    "UnexpectedResponseError",
    "UnexpectedStatusError",
    "UnknownJobStatus",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "VerifiedDelivery",
    "WaitTimeout",
    "WebhookVerificationError",
    "current_deadline",
    "deadline",
    "error_class_for_status",
    "expect",
    "is_valid_signature",
    "make_client",
    "openapi_document",
    "openapi_text",
    "parse_generation_response",
    "parse_retry_after",
    "parse_webhook",
    "raise_for_status",
    "register_token",
    "request_kind",
    "resolve_base_url",
    "resolve_token",
    "single_attempt",
    "status_error_from_response",
    "verify_webhook",
    "wait_for_bulk_upload",
    "wait_for_bulk_upload_async",
    "wait_for_captions",
    "wait_for_captions_async",
    "wait_for_request",
    "wait_for_request_async",
    "wait_for_training",
    "wait_for_training_async",
]
