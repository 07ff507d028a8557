"""Match request paths to the spec's operations.

Templates with more literal segments are tried first so ``/models/upload_model`` wins over
``/models/{model_id}``. The most literal templates that match decide: a path that matches one
with the wrong method is a 405 listing its methods, never a less literal template's operation
(``GET .../images/bulk-upload`` is not "image_id must be an integer").

Every request is routed, so the common case costs one dict lookup (paths without parameters) or
one regular expression: the templates with as many segments as the path, joined in the order
they are tried, find the first that matches in a single call. Only when that template lacks the
method are the others of its rank looked at one by one.
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
    names: tuple[str, ...]
    # the methods in the order an Allow header lists them (filled once all are known)
    allowed: tuple[str, ...] = ()


@dataclass
class _Bucket:
    """The templates with one number of segments, most literal first, and their joined regex."""

    templates: list[_Template]
    joined: re.Pattern[str]
    # the index of each template's outer group in ``joined`` (its parameters' groups follow)
    by_group: dict[int, _Template]


class Router:
    def __init__(self, operations: list[Operation]) -> None:
        templates: dict[str, _Template] = {}
        for op in operations:
            tpl = templates.get(op.path)
            if tpl is None:
                body = _PARAM.sub("([^/]+)", _escape(op.path))
                literal = sum(1 for seg in op.path.split("/") if seg and "{" not in seg)
                tpl = _Template(re.compile(body), literal, {}, tuple(_PARAM.findall(op.path)))
                templates[op.path] = tpl
            tpl.by_method[op.method] = op
        for tpl in templates.values():
            tpl.allowed = tuple(sorted(tpl.by_method))
        ordered = sorted(templates.items(), key=lambda item: -item[1].literal_segments)
        by_length: dict[int, list[_Template]] = {}
        for path, tpl in ordered:
            by_length.setdefault(path.count("/"), []).append(tpl)
        self._buckets = {n: _bucket(tpls) for n, tpls in by_length.items()}
        # Exact paths without parameters resolve through a dict (the common GET /projects case).
        self._static = {path: tpl for path, tpl in templates.items() if "{" not in path}

    def match(
        self, method: str, path: str
    ) -> tuple[Operation | None, dict[str, str], tuple[str, ...]]:
        """Return (operation, raw path params, allowed methods if the path matched at all)."""
        tpl = self._static.get(path)
        if tpl is not None:
            return (tpl.by_method.get(method), {}, tpl.allowed)
        bucket = self._buckets.get(path.count("/"))
        if bucket is None:
            return (None, {}, ())
        # fullmatch: "$" alone also matches before a final "\n"
        found = bucket.joined.fullmatch(path)
        if found is None:
            return (None, {}, ())
        start = found.lastindex or 0
        first = bucket.by_group[start]
        op = first.by_method.get(method)
        if op is not None:
            values = found.groups()[start : start + len(first.names)]
            return (op, dict(zip(first.names, values, strict=True)), first.allowed)
        # The first template lacks the method: another of its rank may have it; else 405.
        for tpl in bucket.templates:
            if tpl.literal_segments < first.literal_segments:
                break
            one = tpl.regex.fullmatch(path)
            if one is None or method not in tpl.by_method:
                continue
            return (
                tpl.by_method[method],
                dict(zip(tpl.names, one.groups(), strict=True)),
                tpl.allowed,
            )
        return (None, {}, first.allowed)


def _bucket(templates: list[_Template]) -> _Bucket:
    branches: list[str] = []
    by_group: dict[int, _Template] = {}
    group = 1
    for tpl in templates:
        # The outer group closes last, so ``lastindex`` names the template that matched.
        branches.append(f"({tpl.regex.pattern})")
        by_group[group] = tpl
        group += 1 + len(tpl.names)
    return _Bucket(templates, re.compile("|".join(branches)), by_group)


def _escape(path: str) -> str:
    parts = _PARAM.split(path)
    # split() alternates literal text and parameter names
    return "".join(re.escape(p) if i % 2 == 0 else "{" + p + "}" for i, p in enumerate(parts))
