"""Data derived from installed packages, cached as plain JSON files keyed by the hash of what it came from.

Parsing CC-CEDICT and jieba's dictionary at every start cost ~2.5 s of a cold `rag ask`; reading the JSON
they become costs ~0.5 s. A key covers the source files' bytes and the code that derives from them, so an
upgrade of either makes a new file; an unwritable cache just means deriving again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/lecture-rag (default ~/.cache/lecture-rag): converted models and derived data."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lecture-rag"


def cached_json(
    name: str, sources: Iterable[bytes], build: Callable[[], Any], folder: Path | None = None, keep: int = 1
) -> Any:
    """build()'s JSON value, read from the cache when there (see cached_bytes)."""

    def encode() -> bytes:
        return json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return json.loads(cached_bytes(name, sources, encode, "json", folder, keep))


def cached_bytes(
    name: str,
    sources: Iterable[bytes],
    build: Callable[[], bytes],
    suffix: str = "bin",
    folder: Path | None = None,
    keep: int = 1,
) -> bytes:
    """build()'s bytes, read from `folder/derived/name-<hash of sources>.suffix` when there; the `keep`
    newest files of that name stay, older ones (of sources since changed) are removed."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(hashlib.sha256(source).digest())
    derived = (folder or default_cache_dir()) / "derived"
    path = derived / f"{name}-{digest.hexdigest()[:16]}.{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        pass  # not there yet: derive it
    value = build()
    try:
        derived.mkdir(parents=True, exist_ok=True)
        partial = derived / f".{path.name}.{uuid.uuid4().hex[:8]}"
        partial.write_bytes(value)
        os.replace(partial, path)  # whole files only: a concurrent reader never sees half of one
        files = sorted(derived.glob(f"{name}-*.{suffix}"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for old in files[keep:]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
