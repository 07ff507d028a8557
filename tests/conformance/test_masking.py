"""Reports and reproductions never show the token, and masking never garbles other text."""

from __future__ import annotations

from bria_conformance.journal import mask


def test_mask_hides_tokens_without_mangling_words() -> None:
    assert mask('AssertionError: curl -H "api_token: A"', ["A"]) == (
        'AssertionError: curl -H "api_token: ***"'
    )
    long_token = "tok-0123456789abcdef"
    assert mask(f"x{long_token}y {long_token}", [long_token]) == "x***y ***"
