"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def real_embedder():
    """The default model, converted once into the repo's ignored .cache/ and shared by all tests."""
    from rag.embed import load_embedder

    return load_embedder(cache_dir=REPO / ".cache")
