"""Expiring pre-signed URLs for artefacts the mock serves (images, zips, models, videos).

Bria hands out pre-signed S3 URLs; the mock signs ``path + expiry`` with HMAC-SHA256 so a URL
works without the api_token, cannot be altered, and stops working once the (virtual) clock
passes its expiry.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

FILES_PREFIX = "/_mock/files/"


class Signer:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, path: str, expires: int) -> str:
        msg = f"{path}\n{expires}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def sign(self, base_url: str, artefact: str, now: float, ttl: float) -> str:
        path = FILES_PREFIX + artefact
        expires = int(now + ttl)
        query = urlencode({"expires": expires, "signature": self._mac(path, expires)})
        return f"{base_url.rstrip('/')}{path}?{query}"

    def check(
        self, path: str, expires: str | None, signature: str | None, now: float
    ) -> str | None:
        """Return why the URL is refused, or None when it is valid."""
        if not expires or not signature:
            return "the URL is not signed (expires and signature query parameters are required)"
        if not (expires.isascii() and expires.isdigit()) or len(expires) > 19:
            return "the URL's expires parameter is not an integer"
        expiry = int(expires)
        if not signature.isascii() or not hmac.compare_digest(self._mac(path, expiry), signature):
            return "the URL's signature does not match"
        if now > expiry:
            return "the pre-signed URL has expired; request a fresh one"
        return None
