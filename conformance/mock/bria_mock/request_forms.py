"""Request forms Bria's published clients send, read as the canonical value.

Bria's ComfyUI nodes send some booleans as the integers 0/1, and model ids as digit strings;
Bria's bundle types the v2 ``tailored_model_id`` a string; a recreate sends back the digit-string
seed the status service wrote. spec/clients/bria-clients.yaml records each form with its
evidence, and the normalized spec carries them (``x-bria-request-forms``). Each is accepted on
every profile: the value is read as the canonical one before the body is validated, so a handler
only ever sees the canonical types. A value outside the form (``fast: 2``, ``"12a"``) is left as
it came and refused by the schema.
"""

from __future__ import annotations

import re
from typing import Any

EXTENSION = "x-bria-request-forms"
# fullmatch: "$" alone would also match before a trailing newline ("12\n")
_DIGITS = re.compile(r"-?[0-9]{1,18}")


def forms_by_operation(doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """operationId → {field: kind} from the spec's ``x-bria-request-forms``."""
    found: dict[str, dict[str, str]] = {}
    for form in (doc.get(EXTENSION) or {}).values():
        if not isinstance(form, dict):
            continue
        for operation in form.get("operations") or ():
            found.setdefault(str(operation), {})[str(form["field"])] = str(form["sent_as"])
    return found


def canonical_value(kind: str, value: Any) -> Any:
    """``value`` as the canonical type when it is in the form ``kind``; else unchanged."""
    if kind == "integer-boolean" and type(value) is int and value in (0, 1):
        return bool(value)
    if kind == "digit-string" and isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return value


def canonical_body(forms: dict[str, str], body: Any) -> Any:
    """``body`` with each documented form of ``forms`` read as its canonical value."""
    if not forms or not isinstance(body, dict):
        return body
    changed = {
        name: canonical_value(kind, body[name]) for name, kind in forms.items() if name in body
    }
    return {**body, **changed} if changed else body
