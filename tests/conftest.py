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


def index_of_notes(tmp_path_factory, embedder, notes: dict[str, str]):
    """An index built with the real model over small notes written for a test (file name → text)."""
    import rag

    folder = tmp_path_factory.mktemp("notes")
    for name, text in notes.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    rag.build_index(folder, index, rag.Settings(), embedder=embedder)
    return rag.open_index(index, rag.Settings(), embedder=embedder)
