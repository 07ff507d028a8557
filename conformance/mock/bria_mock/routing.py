"""Match request paths to the spec's operations.

Templates with more literal segments are tried first so ``/models/upload_model`` wins over
``/models/{model_id}``. The most literal templates that match decide: a path that matches one
with the wrong method is a 405 listing its methods, never a less literal template's operation
(``GET .../images/bulk-upload`` is not "image_id must be an integer").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .spec import Operation

_PARAM = re.compile(r"\{([^}/]+)\}")


@dataclass
class _Template:
    regex: re.Pattern[str]
    literal_segments: int
    by_method: dict[str, Operation]


class Router:
    def __init__(self, operations: list[Operation]) -> None:
        templates: dict[str, _Template] = {}
        for op in operations:
            tpl = templates.get(op.path)
            if tpl is None:
                pattern = (
                    "^"
                    + _PARAM.sub(lambda m: f"(?P<{_group(m.group(1))}>[^/]+)", _escape(op.path))
                    + "$"
                )
                literal = sum(1 for seg in op.path.split("/") if seg and "{" not in seg)
                tpl = _Template(re.compile(pattern), literal, {})
                templates[op.path] = tpl
            tpl.by_method[op.method] = op
        ordered = sorted(templates.items(), key=lambda item: -item[1].literal_segments)
        # Only templates with as many segments as the path can match it.
        self._by_length: dict[int, list[_Template]] = {}
        for path, tpl in ordered:
            self._by_length.setdefault(path.count("/"), []).append(tpl)
        # Exact paths without parameters resolve through a dict (the common GET /projects case).
        self._static = {path: tpl for path, tpl in templates.items() if "{" not in path}
        self._names = {_group(name): name for op in operations for name in _PARAM.findall(op.path)}

    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], list[str]]:
        """Return (operation, raw path params, allowed methods if the path matched at all)."""
        tpl = self._static.get(path)
        if tpl is not None:
            op = tpl.by_method.get(method)
            return (op, {}, sorted(tpl.by_method))
        allowed: list[str] = []
        decided_at: int | None = None
        for tpl in self._by_length.get(path.count("/"), ()):
            if decided_at is not None and tpl.literal_segments < decided_at:
                break
            found = tpl.regex.fullmatch(path)  # "$" alone also matches before a final "\n"
            if not found:
                continue
            decided_at = tpl.literal_segments
            op = tpl.by_method.get(method)
            if op is not None:
                params = {self._names[k]: v for k, v in found.groupdict().items()}
                return (op, params, sorted(tpl.by_method))
            allowed = allowed or sorted(tpl.by_method)
        return (None, {}, allowed)


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


def _escape(path: str) -> str:
    parts = _PARAM.split(path)
    # split() alternates literal text and parameter names
    return "".join(re.escape(p) if i % 2 == 0 else "{" + p + "}" for i, p in enumerate(parts))
