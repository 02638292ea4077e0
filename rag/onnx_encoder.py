"""Encoding without torch: the default model exported to ONNX, run by onnxruntime.

Importing sentence-transformers takes ~6 s and its model ~1 GB of memory; questions and passages need
neither. When the default model is materialized, its transformer is exported once (with torch, the build
path) into `ONNX_DIR` beside it:

- `encoder.onnx`: token vectors + attention mask → mean-pooled, unit-length sentence vector;
- `word_embeddings.npy`: the 250k × 384 token-vector table, memory-mapped at query time, so a question
  reads the few rows it uses instead of 384 MB (outside the graph for that reason);
- `pieces.json` and `normalizer.json`: the SentencePiece vocabulary, and the tokenizer's normalizer and
  pre-tokenizer for `tokenizers` (its full Unigram model builds a 290 MB trie in 0.8 s; the Viterbi
  search over a dict below gives the same ids, checked in tests/test_onnx_encoder.py).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

EXPORT_VERSION = 1
ENCODER = "encoder.onnx"
WORD_EMBEDDINGS = "word_embeddings.npy"
PIECES = "pieces.json"
NORMALIZER = "normalizer.json"
INFO = "info.json"  # written last: a folder without it is incomplete
RUN_TOKENS = 4096  # tokens in one run of passages (8 of the model's longest): its buffers stay ~0.2 GB
UNK_PENALTY = 10.0  # SentencePiece's: an unknown character scores this much below the rarest piece


class UnigramTokenizer:
    """XLM-R's SentencePiece tokenization: tokenizers' normalizer and pre-tokenizer, then the Unigram
    model's best segmentation of each word (the same search as tokenizers' `encode_optimized`)."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
        pieces = json.loads((folder / PIECES).read_text(encoding="utf-8"))
        self._scores = array("d", pieces.pop("scores"))  # 2 MB instead of 8 as a list of floats
        self._ids = {piece: i for i, piece in enumerate(pieces["pieces"])}
        self._longest = max(map(len, self._ids))
        self._unk = info["unk_id"]
        self._unk_score = min(self._scores) - UNK_PENALTY
        self._specials = {piece: self._ids[piece] for piece in info["special_tokens"]}
        self._bos, self._eos = info["bos_id"], info["eos_id"]
        self.max_tokens = info["max_tokens"]
        shell = Tokenizer.from_file(str(folder / NORMALIZER))
        self._normalizer, self._pre_tokenizer = shell.normalizer, shell.pre_tokenizer

    def ids(self, text: str) -> list[int]:
        """Token ids with <s> … </s>, truncated to max_tokens as sentence-transformers truncates."""
        out: list[int] = []
        for segment, special in self._split_specials(text):
            if special is not None:
                out.append(special)
                continue
            normalized = self._normalizer.normalize_str(segment)
            for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized):
                out.extend(self._word_ids(word))
        return [self._bos, *out[: self.max_tokens - 2], self._eos]

    def _split_specials(self, text: str) -> list[tuple[str, int | None]]:
        """The text cut at special tokens written in it ("<mask>"), which tokenizers keeps whole."""
        parts: list[tuple[str, int | None]] = []
        start = i = 0
        while i < len(text):
            found = next((s for s in self._specials if text.startswith(s, i)), None) if text[i] == "<" else None
            if found is None:
                i += 1
                continue
            if i > start:
                parts.append((text[start:i], None))
            parts.append((found, self._specials[found]))
            i = start = i + len(found)
        if start < len(text):
            parts.append((text[start:], None))
        return parts

    def _word_ids(self, word: str) -> list[int]:
        # best[end] = (score, start, id) of the best segmentation of word[:end]; ties keep the first found.
        best: list[tuple[float, int, int] | None] = [(0.0, 0, -1)] + [None] * len(word)
        for start in range(len(word)):
            base = best[start][0]  # type: ignore[index]  # every position is reachable, through <unk>
            single = False
            for end in range(start + 1, min(len(word), start + self._longest) + 1):
                piece = self._ids.get(word[start:end])
                if piece is None:
                    continue
                single = single or end == start + 1
                score = base + self._scores[piece]
                if best[end] is None or score > best[end][0]:  # type: ignore[index]
                    best[end] = (score, start, piece)
            if not single:
                score = base + self._unk_score
                if best[start + 1] is None or score > best[start + 1][0]:  # type: ignore[index]
                    best[start + 1] = (score, start, self._unk)
        ids: list[int] = []
        end = len(word)
        while end > 0:
            _, start, piece = best[end]  # type: ignore[misc]
            if not (piece == self._unk and ids and ids[-1] == self._unk):  # runs of unknowns become one <unk>
                ids.append(piece)
            end = start
        return ids[::-1]


class OnnxEncoder:
    """Unit-length sentence vectors from the exported model (numpy, onnxruntime and tokenizers only).

    Args:
        folder: the exported folder (see ensure_onnx()).
        threads: onnxruntime's threads. Defaults to 1: a question is a few tokens (see
            Embedder.encode_queries for what two threads cost); batches of passages share the cores.
        tokenizer: a tokenizer of the same folder to share. Defaults to a new one.
    """

    def __init__(self, folder: Path, threads: int = 1, tokenizer: UnigramTokenizer | None = None) -> None:
        import onnxruntime

        self.tokenizer = tokenizer or UnigramTokenizer(folder)
        self.dim: int = json.loads((folder / INFO).read_text(encoding="utf-8"))["dim"]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(str(folder / ENCODER), options, providers=["CPUExecutionProvider"])
        self._words = np.load(folder / WORD_EMBEDDINGS, mmap_mode="r")

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self._run([self.tokenizer.ids(text) for text in texts])

    def encode_runs(
        self, texts: list[str], batch_size: int, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """encode() in runs of at most batch_size texts and RUN_TOKENS tokens (padded to the run's longest),
        in order: onnxruntime keeps the buffers of its largest run, and 32 passages of 512 tokens took
        0.9 GB. Texts of about one length next to each other make runs with little padding."""
        out = [np.zeros((0, self.dim), np.float32)]
        for run in _runs((self.tokenizer.ids(text) for text in texts), batch_size):
            out.append(self._run(run))
            if progress is not None:
                progress(len(run))
        return np.concatenate(out)

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        width = max(map(len, rows))
        ids = np.zeros((len(rows), width), np.int64)
        mask = np.zeros((len(rows), width), np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        embeds = np.asarray(self._words[ids], dtype=np.float32)
        (vectors,) = self._session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})
        return np.asarray(vectors, dtype=np.float32)


def _runs(rows: Iterable[list[int]], batch_size: int) -> Iterator[list[list[int]]]:
    """Consecutive rows in runs of at most batch_size rows and RUN_TOKENS tokens, padded to the longest."""
    run: list[list[int]] = []
    longest = 0
    for row in rows:
        if run and (len(run) == batch_size or (len(run) + 1) * max(longest, len(row)) > RUN_TOKENS):
            yield run
            run, longest = [], 0
        run.append(row)
        longest = max(longest, len(row))
    if run:
        yield run


def onnx_folder(model_folder: Path) -> Path:
    return model_folder.parent / f"{model_folder.name}-onnx-{EXPORT_VERSION}"


def ensure_onnx(model_folder: Path) -> Path:
    """The exported folder of a sentence-transformers folder, exporting it on first use (imports torch)."""
    dest = onnx_folder(model_folder)
    if (dest / INFO).is_file():
        return dest
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        export(model_folder, tmp)
        try:
            tmp.rename(dest)
        except OSError:
            if not (dest / INFO).is_file():  # else a concurrent process won the race; use its folder
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def export(model_folder: Path, dest: Path) -> None:
    """Export an XLM-R sentence-transformers folder (mean pooling, normalized) into dest."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    class MeanPooled(torch.nn.Module):
        """What sentence-transformers computes (Transformer → mean Pooling → Normalize) as one module."""

        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    model = AutoModel.from_pretrained(str(model_folder), attn_implementation="eager").eval()
    np.save(dest / WORD_EMBEDDINGS, model.embeddings.word_embeddings.weight.detach().numpy())
    sample = torch.zeros((2, 3, model.config.hidden_size)), torch.tensor([[1, 1, 1], [1, 1, 0]])
    # The exporter warns about traced shape checks that hold for every shape of this model (tested).
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            MeanPooled(model),
            sample,
            str(dest / ENCODER),
            dynamo=False,
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
        )
    tokenizer = json.loads((model_folder / "tokenizer.json").read_text(encoding="utf-8"))
    _write_tokenizer(tokenizer, model_folder, model.config.hidden_size, dest)


def _write_tokenizer(tokenizer: dict, model_folder: Path, dim: int, dest: Path) -> None:
    vocab = tokenizer["model"]
    if vocab["type"] != "Unigram" or vocab.get("byte_fallback"):
        raise ValueError(f"{model_folder}: only SentencePiece Unigram tokenizers without byte fallback are exported")
    pieces = {"pieces": [p for p, _ in vocab["vocab"]], "scores": [s for _, s in vocab["vocab"]]}
    (dest / PIECES).write_text(json.dumps(pieces, ensure_ascii=False), encoding="utf-8")
    # Only the normalizer and pre-tokenizer are used; a one-piece model keeps the file small.
    shell = {**tokenizer, "added_tokens": [], "post_processor": None, "decoder": None}
    shell["model"] = {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]], "byte_fallback": False}
    (dest / NORMALIZER).write_text(json.dumps(shell, ensure_ascii=False), encoding="utf-8")
    config = json.loads((model_folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    ids = {p: i for i, p in enumerate(pieces["pieces"])}
    max_tokens = json.loads((model_folder / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
    info = {
        "export_version": EXPORT_VERSION,
        "dim": dim,
        "unk_id": vocab["unk_id"],
        "bos_id": ids[config["bos_token"]],
        "eos_id": ids[config["eos_token"]],
        "special_tokens": [t["content"] for t in tokenizer["added_tokens"] if t.get("special")],
        "max_tokens": max_tokens,
    }
    (dest / INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
