"""rag.onnx_encoder: questions and passages encoded without torch give sentence-transformers' vectors and tokens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag import onnx_encoder
from rag.embed import CONVERTED_DIR, DefaultEmbedder

REPO = Path(__file__).resolve().parent.parent
SENTENCES = [
    "what did 冯佳时 say about shortcuts",
    "实验表明我们希望shortcut连接在宽网络上才能加速收敛，这与mobilenet v2的动机是相反的。",
    "Residual networks make very deep models trainable.",
    "区间为3～5层\n第二行\t有制表符",
    "ｆｕｌｌ　ｗｉｄｔｈ，。ＡＢＣ",
    "emoji 😀 and ☃ and \x07 control",
    "a literal <mask> and </s> in a question",
    "  spaces   everywhere  ",
    "高分辨率表示 high-resolution representations " * 120,  # far beyond 512 tokens: truncated alike
    "",
]
HEAVY = ("torch", "transformers", "sentence_transformers")


@pytest.fixture(scope="module")
def default(real_embedder) -> DefaultEmbedder:
    assert isinstance(real_embedder, DefaultEmbedder)
    return real_embedder


def note_lines() -> list[str]:
    lines = [line for path in sorted((REPO / "data").glob("*.md")) for line in path.read_text("utf-8").splitlines()]
    return [line for line in lines if line.strip()]


@pytest.mark.model
def test_token_ids_match_sentence_transformers(default):
    tokenizer = default.reference_model()._model.tokenizer  # the transformers tokenizer sentence-transformers uses
    texts = [*SENTENCES, *note_lines()]
    ours = [default._queries.tokenizer.ids(text) for text in texts]
    theirs = [tokenizer(text, truncation=True, max_length=512)["input_ids"] for text in texts]
    assert [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b] == []
    assert len(ours[SENTENCES.index(SENTENCES[-2])]) == 512


@pytest.mark.model
def test_query_vectors_match_sentence_transformers(default):
    texts = [t for t in SENTENCES if t] + note_lines()[:40]
    onnx = default.encode_queries(texts)
    torch_vectors = default.reference_model().encode_queries(texts)
    assert onnx.shape == torch_vectors.shape and onnx.dtype == np.float32
    assert (onnx * torch_vectors).sum(1).min() >= 0.999
    # Batched (padded) and one by one give the same vectors.
    single = np.concatenate([default.encode_queries([t]) for t in texts[:5]])
    assert (single * onnx[:5]).sum(1).min() >= 0.9999
    assert default.encode_queries([]).shape == (0, 384)


@pytest.mark.model
def test_passage_vectors_match_sentence_transformers_in_runs_of_bounded_size(default):
    texts = [*(t for t in SENTENCES if t), *note_lines()[:40]]
    texts.sort(key=len, reverse=True)  # as a build sends them
    runs: list[int] = []
    onnx = default.encode_passages(texts, progress=runs.append)
    torch_vectors = default.reference_model().encode_passages(texts)
    assert onnx.shape == torch_vectors.shape and onnx.dtype == np.float32
    assert np.abs(onnx - torch_vectors).max() < 1e-5
    assert sum(runs) == len(texts) and runs[0] == onnx_encoder.RUN_TOKENS // 512  # the long ones a few at a time
    assert max(runs) == 32
    assert default.encode_passages([]).shape == (0, 384)


def test_runs_hold_at_most_batch_size_rows_and_run_tokens_padded_tokens():
    rows = [[0] * 512] * 10 + [[0] * 100] * 40
    runs = list(onnx_encoder._runs(rows, batch_size=32))
    assert [len(run) for run in runs] == [8, 8, 32, 2]  # 8 × 512 tokens; then 2 long and 6 short, padded
    assert [row for run in runs for row in run] == rows
    assert all(len(run) * max(map(len, run)) <= onnx_encoder.RUN_TOKENS for run in runs)


@pytest.mark.model
def test_export_is_reused_and_complete(default):
    folder = REPO / ".cache" / "models" / f"{CONVERTED_DIR}-onnx-{onnx_encoder.EXPORT_VERSION}"
    info = json.loads((folder / onnx_encoder.INFO).read_text(encoding="utf-8"))
    assert info["dim"] == 384 and info["max_tokens"] == 512
    mtime = (folder / onnx_encoder.ENCODER).stat().st_mtime_ns
    assert onnx_encoder.ensure_onnx(folder.parent / CONVERTED_DIR) == folder
    assert (folder / onnx_encoder.ENCODER).stat().st_mtime_ns == mtime


def test_failed_export_leaves_nothing(tmp_path, monkeypatch):
    model = tmp_path / "models" / "m"
    model.mkdir(parents=True)

    def dies_halfway(src, dest):
        (dest / onnx_encoder.ENCODER).write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(onnx_encoder, "export", dies_halfway)
    with pytest.raises(OSError, match="No space left"):
        onnx_encoder.ensure_onnx(model)
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["m"]


@pytest.mark.model
def test_ask_imports_no_torch(default, tmp_path):
    """A question from the command line is answered without importing torch, transformers or
    sentence-transformers (their import alone took ~6 s)."""
    config = tmp_path / "rag.yaml"
    config.write_text(f"cache_dir: {REPO / '.cache'}\n", encoding="utf-8")
    import rag

    rag.build_index(REPO / "data", tmp_path / "index", rag.Settings(cache_dir=str(REPO / ".cache")), embedder=default)
    script = (
        "import sys; from rag import cli; "
        f"code = cli.main(['--config', {str(config)!r}, 'ask', '--index', {str(tmp_path / 'index')!r}, "
        "'what did 冯佳时 say about shortcuts']); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules)); sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "MobileNeXt" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"
