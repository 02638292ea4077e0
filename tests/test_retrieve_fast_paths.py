"""The retriever's fast paths against the brute force they replace (see benchmarks/ for why they exist)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from fakes import FakeEmbedder

import rag
from rag import query, retrieve, store
from rag.name_forms import name_aliases, normalize_for_names
from rag.text import is_chinese

DATA = Path(__file__).resolve().parent.parent / "data"
FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)


def scan_for_speaker(question: str, speakers: list[str]) -> tuple[str, str] | None:
    """Longest names first (ties by name), each name's longest alias first: the first alias the question contains."""
    spaced = normalize_for_names(question)
    for speaker in sorted(set(speakers), key=lambda s: (-len(s), s)):
        for alias in sorted(name_aliases(speaker), key=lambda a: (-len(a), a)):  # ties alphabetically
            if (is_chinese(alias) and alias in question) or f" {alias} " in spaced:
                return speaker, alias
    return None


def test_speaker_lookup_finds_what_a_scan_finds():
    rng = random.Random(0)
    pool = ["冯佳时", "王井东", "韩松", "欧阳娜娜", "张伟", "张伟明", "李Ming", "Maria Garcia", "Jean-Luc Picard"]
    pool += ["J. Smith", "Maria  Garcia", "Ng", "Song Han", "王 伟", "张伟 (PKU)", "A B C D E"]
    fillers = ["讲了什么？", "what did", " say about ", "shortcut", "，", "-", "  ", "说", "?", "", "."]
    for _ in range(2000):
        speakers = rng.sample(pool, rng.randint(1, len(pool)))
        parts = []
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.4:
                alias = rng.choice(sorted(name_aliases(rng.choice(pool))))
                parts.append(rng.choice([alias, alias.title(), alias.replace(" ", "-")]))
            else:
                parts.append(rng.choice(fillers))
        question = rng.choice(["", " "]).join(parts)
        assert query.roster(tuple(speakers)).exact(question) == scan_for_speaker(question, speakers), question


@pytest.fixture
def index(tmp_path, monkeypatch):
    """The sample notes with a graph (HNSW) vector index, as a corpus above APPROXIMATE_ABOVE would get."""
    monkeypatch.setattr(store, "APPROXIMATE_ABOVE", 10)
    monkeypatch.setattr(retrieve, "APPROXIMATE_ABOVE", 10)
    notes = tmp_path / "notes"
    shutil.copytree(DATA, notes)
    embedder = FakeEmbedder()
    rag.build_index(notes, tmp_path / "index", FAKE, embedder=embedder)
    return rag.open_index(tmp_path / "index", FAKE, embedder=embedder)


def test_chunk_words_come_from_the_keyword_index_as_tokenizing_would_give(index):
    vocabulary = list(index.retriever.bm25.vocab_dict)
    for i, chunk in enumerate(index.chunks):
        tokens = set(index.tokenizer.tokens(chunk.search_text))
        asked = tokens | set(random.Random(i).sample(vocabulary, 20)) | {"not-a-word-of-the-notes"}
        assert index.retriever._words_in(i, asked) == tokens


def test_filtered_dense_search_on_a_graph_index_is_exact(index):
    retriever = index.retriever
    assert isinstance(retriever.vectors, store.faiss.IndexHNSW)
    vectors = store.stored_vectors(retriever.vectors)
    query = FakeEmbedder().encode_queries(["shortcut bottleneck"])[0]
    for speaker in index.speakers:
        mask = retriever.mask(speaker)
        ids = np.flatnonzero(mask)
        expected = sorted(vectors[ids] @ query, reverse=True)[:5]
        found = retriever.dense(query, mask, 5)
        assert all(mask[i] for i, _ in found)
        assert [s for _, s in found] == pytest.approx(expected, abs=1e-5)
