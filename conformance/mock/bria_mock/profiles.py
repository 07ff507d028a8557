"""Answer profiles: the same mock speaking the repaired contract or Bria's documented literal forms.

``canonical`` (the default) answers exactly as the normalized spec declares. ``documented``
answers in the forms Bria's own documents show where they are looser than the normalized spec,
so a client or suite can be held against them:

* ``checkpoint_steps`` and ``model_ids`` items and status ``result.seed`` as digit strings
  (tailored-generation.openapi.json get-models: ``["1500", "1000", "500"]``; status.openapi.yaml
  completed examples: ``seed: '42'``; only the status service's answers, never a sync 200);
* timestamps without a UTC offset (``"2025-08-20T06:06:05.849402"``, eight bundle examples);
* 429 without ``Retry-After`` (no document promises the header);
* bulk upload as JSON ``{zip_url}`` only, the one body the bundle declares for it;
* an uploaded model settling as ``completed`` (upload_model prose) rather than ``Completed``.

The layer is thin on purpose: the rules and the state are the same in both profiles; a profile
changes configuration once (:meth:`Profile.configure`), refuses request forms the documents do not
show (:meth:`Profile.refusal`) and rewrites an answer on its way out (:meth:`Profile.render`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Literal

from .config import MockConfig
from .domain.models import ModelStatus
from .errors import ApiError

ProfileName = Literal["canonical", "documented"]
PROFILES: tuple[ProfileName, ...] = ("canonical", "documented")

_STRING_INTEGER_LISTS = ("checkpoint_steps", "model_ids")
STATUS_OPERATION = "get_status"
_UTC_SUFFIX = re.compile(r"(Z|\+00:00)$")


@dataclasses.dataclass(frozen=True)
class Profile:
    name: ProfileName = "canonical"

    @property
    def documented(self) -> bool:
        return self.name == "documented"

    def configure(self, config: MockConfig) -> MockConfig:
        if not self.documented:
            return config
        return dataclasses.replace(
            config, uploaded_model_completed_status=ModelStatus.SYNCED_AS_DOCUMENTED
        )

    def refusal(self, operation_id: str, media_type: str | None) -> ApiError | None:
        """A request form this profile's documents do not show, as the error to answer."""
        if (
            self.documented
            and operation_id == "bulk-upload-images"
            and media_type != "application/json"
        ):
            # 415 where declared; the bundle declares none for bulk upload, so it is 400 there.
            return ApiError(
                (415, 400),
                'bulk upload takes a JSON body {"zip_url": ...} (the only body '
                "tailored-generation.openapi.json declares); host the zip and send its URL",
            )
        return None

    def render(
        self,
        status: int,
        body: Any,
        headers: dict[str, str] | None,
        operation_id: str | None = None,
    ) -> tuple[Any, dict[str, str] | None]:
        """The answer to ``operation_id`` as this profile sends it."""
        if not self.documented:
            return body, headers
        if status == 429 and headers:
            headers = {k: v for k, v in headers.items() if k.lower() != "retry-after"}
        string_seed = operation_id == STATUS_OPERATION
        return _documented_body(body, string_seed=string_seed), headers or None


def _documented_body(value: Any, *, string_seed: bool, in_result: bool = False) -> Any:
    if isinstance(value, list):
        return [_documented_body(item, string_seed=string_seed) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _STRING_INTEGER_LISTS and isinstance(item, list):
            out[key] = [str(v) if isinstance(v, int) else v for v in item]
        elif key == "result" and isinstance(item, dict):
            out[key] = _documented_body(item, string_seed=string_seed, in_result=True)
        elif (
            string_seed
            and in_result
            and key == "seed"
            and isinstance(item, int)
            and not isinstance(item, bool)
        ):
            # Only the status service's `result` object shows string seeds (status.openapi.yaml
            # completed examples); a sync 200 of the generation operations keeps the integer.
            out[key] = str(item)
        elif key.endswith("_at") and isinstance(item, str):
            out[key] = _UTC_SUFFIX.sub("", item)
        else:
            out[key] = _documented_body(item, string_seed=string_seed)
    return out


def profile_for(config: MockConfig) -> Profile:
    return Profile(config.profile)
