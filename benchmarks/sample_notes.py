"""Index build time and warm `ask` latency on the bundled sample notes (data/), with the real model.

    python benchmarks/sample_notes.py [--repeat 20]

Prints the full build (parse / embed / write), a no-change reindex, and the median and p95 of
in-process, warm `Index.ask` over a fixed set of Chinese, English and cross-lingual questions.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import rag
from rag.api import load_model

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "what did 冯佳时 say about shortcuts",
    "What did Jiashi Feng say about shortcut connections?",
    "HRNet 如何保持高分辨率？",
    "What does Song Han use as feedback in ProxylessNAS?",
    "GNN 的置换不变性有什么坏处？",
    "What did Geoffrey Hinton say about capsule networks?",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="rounds over the questions (default: 20)")
    args = parser.parse_args()
    settings = rag.Settings(cache_dir=str(REPO / ".cache"))
    started = time.perf_counter()
    embedder = load_model(settings)
    loaded = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        report = rag.build_index(REPO / "data", folder, settings, embedder=embedder)
        again = rag.build_index(REPO / "data", folder, settings, embedder=embedder)
        index = rag.open_index(folder, settings, embedder=embedder)
        for question in QUESTIONS:  # warm up: glossary, jieba, torch kernels
            index.ask(question)
        seconds = []
        for _ in range(args.repeat):
            for question in QUESTIONS:
                tick = time.perf_counter()
                index.ask(question)
                seconds.append(time.perf_counter() - tick)
    s = report.seconds
    print(f"sample notes: {report.notes} notes, {report.chunks} chunks, {report.speakers} speakers")
    print(f"model load            {loaded:6.2f} s (not part of the build)")
    print(
        f"full build            {s['total']:6.2f} s  (parse {s['parse']:.2f}, embed {s['embed']:.2f}, write {s['write']:.2f})"
    )
    print(f"no-change reindex     {again.seconds['total']:6.2f} s")
    ms = sorted(1000 * t for t in seconds)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"ask, warm, in-process median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms over {len(ms)} questions")


if __name__ == "__main__":
    main()
