"""Pytest plugin of the conformance suite.

Registered through the ``pytest11`` entry point, so it is loaded by every pytest run in an
environment where the toolkit is installed. It must stay inert there: it only declares its
command-line options until a run activates it with ``--bria-target``.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bria-conformance", "Bria Tailored Generation conformance suite")
    group.addoption(
        "--bria-target",
        action="store",
        default=None,
        metavar="TARGET",
        help="Activate the conformance suite: 'mock' for the embedded mock, or a base URL.",
    )
