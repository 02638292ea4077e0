"""A tiny deterministic embedder for tests where the model is not the point."""

from __future__ import annotations

import hashlib
import itertools
import threading

import numpy as np


class FakeEmbedder:
    """Hashed character bigrams: texts sharing words get close vectors; no torch, instant."""

    model_id = "fake-bigrams"
    dim = 64

    def __init__(self) -> None:
        self.encoded = 0

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            text = text.lower()
            for a, b in itertools.pairwise(text):
                digest = hashlib.blake2b((a + b).encode(), digest_size=2).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts, batch_size=32, progress=None) -> np.ndarray:
        self.encoded += len(texts)
        if progress:
            progress(len(texts))
        return self._encode(texts)


class GatedEmbedder(FakeEmbedder):
    """Encodes a question only while `gate` is set, so a test can hold an answer in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        assert self.gate.wait(timeout=60), "the gate was never opened"
        return super().encode_queries(texts)
