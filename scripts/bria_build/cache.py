"""A content-addressed cache of build steps, so rebuilding unchanged inputs costs a file read.

An entry is found by a sha256 over every input of the step it stands for (the inputs' bytes, the
bria_build sources, the versions of the tools and of Python), never over the outputs: ``--check``
still compares the committed files with the build's result, wherever that result came from.

Each entry is one file, ``<key>.entry``: a header line of JSON (the step's metadata, the names and
sizes of its blobs, a sha256 of the blobs) followed by the raw blobs. It is written to a temporary
file and renamed into place, so readers never see half an entry and two builds writing the same
key at once both succeed. Anything unreadable, truncated or malformed is a miss, and a cache that
cannot be written is simply not written: the cache can make a build faster, never fail it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

# Bump when what an entry holds, or how a key is computed, changes.
FORMAT = 1
# Entries kept, most recently used first: a build has two steps (spec, package), so this is the
# last dozen or so distinct builds (about 1.5 MB each).
KEEP = 32
_MAGIC = b"bria-build-cache\n"
# A temporary file older than this is left over from a writer that was killed.
_STALE_TEMP_SECONDS = 3600

# The build's own code: an edit to any file of the package invalidates every entry.
PACKAGE_DIR = Path(__file__).resolve().parent


def default_dir() -> Path | None:
    """``$BRIA_BUILD_CACHE_DIR``, else ``$XDG_CACHE_HOME/bria-build``, else
    ``~/.cache/bria-build``."""
    explicit = os.environ.get("BRIA_BUILD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative value is to be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "bria-build"
    try:
        return Path.home() / ".cache" / "bria-build"
    except RuntimeError:  # no home directory to be found: no cache
        return None


def _files_under(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


class Key:
    """A sha256 over labelled inputs; each is length-prefixed, so no two input lists collide."""

    def __init__(self, step: str) -> None:
        self._hash = hashlib.sha256()
        self.add("format", str(FORMAT))
        self.add("step", step)

    def add(self, label: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._hash.update(f"{label}\0{len(raw)}\0".encode())
        self._hash.update(raw)

    def add_file(self, label: str, path: Path) -> None:
        self.add(label, path.read_bytes())

    def add_tree(self, label: str, root: Path) -> None:
        """Every file under ``root`` by relative name and bytes (compiled bytecode aside)."""
        for path in _files_under(root):
            self.add(f"{label}/{path.relative_to(root).as_posix()}", path.read_bytes())

    def add_versions(self, *distributions: str) -> None:
        """The installed versions of ``distributions`` and the running Python's."""
        for name in distributions:
            self.add(f"version {name}", _version(name))
        self.add("python", f"{sys.implementation.name} {sys.version}")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def files_digest(*paths: Path) -> str:
    """One sha256 over the bytes of ``paths`` in order (the upstream files a build read)."""
    key = Key("files")
    for path in paths:
        key.add_file("file", path)
    return key.hexdigest()


@dataclass(frozen=True)
class Entry:
    """What a build step produced: JSON metadata and named blobs (file contents)."""

    meta: dict[str, Any] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)


def _encode(key: str, entry: Entry) -> bytes:
    body = b"".join(entry.blobs.values())
    header = {
        "format": FORMAT,
        "key": key,
        "meta": entry.meta,
        "blobs": [[name, len(blob)] for name, blob in entry.blobs.items()],
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    return _MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body


def _decode(raw: bytes, key: str) -> Entry:
    """The entry in ``raw``; ValueError when it is not a whole, intact entry for ``key``."""
    if not raw.startswith(_MAGIC):
        raise ValueError("not a cache entry")
    header_line, newline, body = raw[len(_MAGIC) :].partition(b"\n")
    if not newline:
        raise ValueError("no header")
    header = json.loads(header_line)
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        raise ValueError("another format or key")
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise ValueError("blobs damaged or truncated")
    meta, sizes = header.get("meta"), header.get("blobs")
    if not isinstance(meta, dict) or not isinstance(sizes, list):
        raise ValueError("malformed header")
    blobs: dict[str, bytes] = {}
    offset = 0
    for item in sizes:
        if not (isinstance(item, list) and len(item) == 2):
            raise ValueError("malformed blob list")
        name, size = item
        if not isinstance(name, str) or not isinstance(size, int) or size < 0:
            raise ValueError("malformed blob list")
        blobs[name] = body[offset : offset + size]
        offset += size
    if offset != len(body):
        raise ValueError("blob sizes do not add up")
    return Entry(meta, blobs)


class BuildCache:
    """Entries in one directory, keyed by :class:`Key` digests; the least recently used are
    pruned beyond ``keep``."""

    def __init__(self, directory: Path, keep: int = KEEP) -> None:
        self.directory = directory
        self.keep = keep

    @classmethod
    def default(cls) -> BuildCache | None:
        directory = default_dir()
        return cls(directory) if directory is not None else None

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.entry"

    def load(self, key: str) -> Entry | None:
        path = self.path(key)
        try:
            entry = _decode(path.read_bytes(), key)
        except (OSError, ValueError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return entry

    def store(self, key: str, entry: Entry) -> None:
        try:
            data = _encode(key, entry)
        except (TypeError, ValueError):  # metadata JSON cannot hold: not cached
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                # Atomic: a concurrent writer of the same key renames identical bytes over it.
                os.replace(temp, self.path(key))
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        entries = []
        for path in self.directory.glob("*.entry"):
            try:
                entries.append((path.stat().st_mtime_ns, path.name, path))
            except OSError:  # pruned by another build meanwhile
                continue
        entries.sort(reverse=True)
        stale_before = time.time() - _STALE_TEMP_SECONDS
        doomed = [path for _, _, path in entries[self.keep :]]
        for temp in self.directory.glob(".*.tmp"):
            try:
                if temp.stat().st_mtime < stale_before:
                    doomed.append(temp)
            except OSError:
                continue
        for path in doomed:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                continue
