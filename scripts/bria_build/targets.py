"""Overlay targets: RFC 9535 JSONPath queries (python-jsonpath, strict), compiled once and
evaluated more cheaply where python-jsonpath spends its time.

The overlays walk the whole ``$.paths`` tree with a descendant segment (``..``) dozens of times.
python-jsonpath builds a match object and its canonical path string for every node it passes,
strings included, and runs every ``@.name`` inside a filter through its query machinery for every
node tested; that was most of a build. Here:

* the descent visits only objects and arrays, with an explicit stack (no selector selects
  anything from a string: names and wildcards need an object, indexes and filters an object or
  an array), and applies name and filter selectors to the plain values, so a match is built only
  for a node that is selected;
* a match builds its path string when it is read;
* a singular query inside a filter (``@.a.b[0]``) is a direct lookup.

The selectors, the filter expressions and their evaluation are python-jsonpath's own, and so are
the nodes selected and their order (``tests/pipeline/test_overlay_targets.py`` holds every overlay
target and more forms to python-jsonpath's own evaluation).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import jsonpath
from jsonpath.exceptions import JSONPathRecursionError, JSONPathTypeError
from jsonpath.filter import BaseExpression, FilterQuery, RelativeFilterQuery
from jsonpath.match import JSONPathMatch, NodeList
from jsonpath.segments import JSONPathChildSegment, JSONPathRecursiveDescentSegment
from jsonpath.selectors import Filter, FilterContext, IndexSelector, NameSelector
from jsonpath.serialize import canonical_string

# The one JSONPath environment (RFC 9535, strict) every overlay target is evaluated with.
JSONPATH = jsonpath.JSONPathEnvironment(strict=True)


class _Match(JSONPathMatch):
    """A match whose canonical path string is built from its parts when first read."""

    __slots__ = ()

    def new_child(self, obj: object, key: int | str) -> JSONPathMatch:
        return _Match(
            filter_context=self._filter_context,
            obj=obj,
            parent=self,
            parts=(*self.parts, key),
            path="",
            root=self.root,
        )

    @property
    def path(self) -> str:
        text: str = _PATH_SLOT.__get__(self, JSONPathMatch)
        if not text:
            text = "$" + "".join(
                f"[{canonical_string(p) if isinstance(p, str) else p}]" for p in self.parts
            )
            _PATH_SLOT.__set__(self, text)
        return text

    @path.setter
    def path(self, text: str) -> None:
        _PATH_SLOT.__set__(self, text)


_PATH_SLOT: Any = JSONPathMatch.__dict__["path"]


# JSON's scalars: nothing below them (a string is a Sequence to Python, not to JSONPath).
_LEAVES = frozenset({str, int, float, bool, type(None)})


class _Descendants(JSONPathRecursiveDescentSegment):
    """``..``: each selector applied to the node and to each of its descendant objects and
    arrays, depth first, in document order, as python-jsonpath does. Name and filter selectors
    are applied to the plain values, so a match is built only for what they select."""

    def resolve(self, nodes: Iterable[JSONPathMatch]) -> Iterable[JSONPathMatch]:
        for node in nodes:
            root, context = node.root, node.filter_context()
            for obj, parts in self._containers(node.obj, node.parts):
                for selector in self.selectors:
                    if type(selector) is NameSelector:
                        name = selector.name
                        if isinstance(obj, dict | Mapping) and name in obj:
                            yield _match(obj[name], (*parts, name), root, context)
                    elif type(selector) is Filter:
                        yield from _filtered(selector, obj, parts, root, context)
                    else:
                        yield from selector.resolve(_match(obj, parts, root, context))

    def _containers(
        self, top: object, top_parts: tuple[int | str, ...]
    ) -> list[tuple[object, tuple[int | str, ...]]]:
        """``top`` and every object and array below it, pre-order, with their parts."""
        found: list[tuple[object, tuple[int | str, ...]]] = []
        # An explicit stack: nested generators would pass every node up through every level.
        stack = [(top, top_parts, 1)]
        limit = self.env.max_recursion_depth
        while stack:
            obj, parts, level = stack.pop()
            if level > limit:
                raise JSONPathRecursionError("recursion limit exceeded", token=self.token)
            found.append((obj, parts))
            children: Iterable[tuple[int | str, object]]
            if isinstance(obj, dict | Mapping):
                children = obj.items()
            elif type(obj) not in _LEAVES and isinstance(obj, Sequence):
                children = enumerate(obj)
            else:
                continue
            below = [
                (value, (*parts, key), level + 1)
                for key, value in children
                if type(value) not in _LEAVES and isinstance(value, Mapping | Sequence)
            ]
            stack.extend(reversed(below))
        return found


def _match(
    obj: object, parts: tuple[int | str, ...], root: Any, context: Mapping[str, Any]
) -> JSONPathMatch:
    return _Match(filter_context=context, obj=obj, parent=None, path="", parts=parts, root=root)


def _filtered(
    selector: Filter,
    obj: object,
    parts: tuple[int | str, ...],
    root: Any,
    context: Mapping[str, Any],
) -> Iterator[JSONPathMatch]:
    """python-jsonpath's ``Filter.resolve`` on a plain value."""
    env = selector.env
    expression = selector.expression
    if selector.cacheable_nodes and env.filter_caching:
        expression = expression.cache_tree()
    items: Iterable[tuple[int | str, object]]
    if isinstance(obj, dict | Mapping):
        items = obj.items()
    elif type(obj) not in _LEAVES and isinstance(obj, Sequence):
        items = enumerate(obj)
    else:
        return
    for key, value in items:
        current = FilterContext(
            env=env, current=value, root=root, extra_context=context, current_key=key
        )
        try:
            selected = expression.evaluate(current)
        except JSONPathTypeError as err:
            if not err.token:
                err.token = selector.token
            raise
        if selected:
            yield _match(value, (*parts, key), root, context)


class _SingularQuery(RelativeFilterQuery):
    """``@.a.b[0]`` inside a filter: a singular query, looked up directly instead of being run
    through the query machinery for every node a descent visits. The result is the same node
    list: the one node at that place, or none."""

    __slots__ = ("steps",)

    def __init__(self, query: RelativeFilterQuery, steps: tuple[str | int, ...]) -> None:
        super().__init__(query.path)
        self.steps = steps

    def evaluate(self, context: FilterContext) -> object:
        node = context.current
        for step in self.steps:
            if isinstance(step, str):
                if not isinstance(node, dict | Mapping) or step not in node:
                    return NodeList()
                node = node[step]
            else:
                if isinstance(node, str) or not isinstance(node, list | Sequence):
                    return NodeList()
                try:
                    node = node[step]
                except IndexError:
                    return NodeList()
        if not self.steps:
            return node
        match = JSONPathMatch(
            filter_context=context.extra_context,
            obj=node,
            parent=None,
            path="",
            parts=self.steps,
            root=context.root,
        )
        return NodeList([match])


def _singular_steps(query: RelativeFilterQuery) -> tuple[str | int, ...] | None:
    steps: list[str | int] = []
    for segment in query.path.segments:
        if type(segment) is not JSONPathChildSegment or len(segment.selectors) != 1:
            return None
        selector = segment.selectors[0]
        if type(selector) is NameSelector:
            steps.append(selector.name)
        elif type(selector) is IndexSelector:
            steps.append(selector.index)
        else:
            return None
    return tuple(steps) if steps else None


def _lighter(expression: BaseExpression) -> BaseExpression:
    """``expression`` with its singular relative queries replaced by :class:`_SingularQuery`."""
    if type(expression) is RelativeFilterQuery:
        steps = _singular_steps(expression)
        return expression if steps is None else _SingularQuery(expression, steps)
    if not isinstance(expression, FilterQuery):
        children = expression.children()
        if children:
            expression.set_children([_lighter(child) for child in children])
    return expression


def _lighter_selectors(segment: Any) -> None:
    for selector in segment.selectors:
        if isinstance(selector, Filter):
            selector.expression.set_children(
                [_lighter(child) for child in selector.expression.children()]
            )


@functools.cache
def compile_target(target: str) -> jsonpath.JSONPath | jsonpath.CompoundJSONPath:
    """``target`` compiled once; raises ``jsonpath.JSONPathError`` when it is not RFC 9535."""
    path = JSONPATH.compile(target)
    if not isinstance(path, jsonpath.JSONPath):
        return path
    path.segments = tuple(
        _Descendants(env=s.env, token=s.token, selectors=s.selectors)
        if type(s) is JSONPathRecursiveDescentSegment
        else s
        for s in path.segments
    )
    for segment in path.segments:
        _lighter_selectors(segment)
    return path


def find(target: str, document: Any) -> list[JSONPathMatch]:
    """The nodes ``target`` selects in ``document``, in python-jsonpath's order."""
    path = compile_target(target)
    if not isinstance(path, jsonpath.JSONPath):
        return list(path.finditer(document))
    matches: Iterable[JSONPathMatch] = [
        _Match(filter_context={}, obj=document, parent=None, path="$", parts=(), root=document)
    ]
    for segment in path.segments:
        matches = segment.resolve(matches)
    return list(matches)
