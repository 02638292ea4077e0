"""Benchmarks at several corpus sizes: build and reindex times, ask/search latency, memory, disk, recall.

Every size runs in two fresh subprocesses, one that builds and one that serves questions, so peak RSS is
per size and per phase. Prints a table and saves it as JSON, so runs can be compared.

    python benchmarks/run.py --sizes 1000,10000,100000            # the real model (~10-20 chunks/s to embed)
    python benchmarks/run.py --sizes 100000 --embedder fake       # all but the model; embedding extrapolated
    python benchmarks/run.py --sizes 10000 --skip-build           # re-time serving an index built earlier
    python benchmarks/run.py --show benchmarks/results/*.json     # the tables of saved runs, to compare
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

import synth  # noqa: E402

import rag  # noqa: E402
import rag.models  # noqa: E402
from rag import api, store  # noqa: E402
from rag.api import Index  # noqa: E402
from rag.text import is_chinese  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
WORK = REPO / ".cache" / "bench"  # generated notes and indexes: large, git-ignored
MODEL_CACHE = REPO / ".cache"  # where the tests keep the converted model, so it is converted only once
RECALL_QUERIES = 500
# Targets of issue 4, on a 2-core machine.
MAX_NON_EMBEDDING_SHARE = 0.15
MAX_NO_CHANGE_REINDEX_S = 2.0  # for ≈ 1,000 notes (the 10k-chunk corpus)
MAX_ASK_P95_MS = {10_000: 50.0, 100_000: 80.0}
MAX_PEAK_RSS_MB = 1536.0  # at 100k chunks
MIN_RECALL = 0.98


def main() -> None:
    args = _parser().parse_args()
    if args.show:
        print("\n\n".join(f"{path}\n{table(json.loads(path.read_text(encoding='utf-8')))}" for path in args.show))
        return
    if args.child:
        result = build_phase(args) if args.child == "build" else serve_phase(args)
        Path(args.child_out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        return
    started = _machine()
    runs = []
    for size in (int(s) for s in args.sizes.split(",")):
        run = {"size": size, "embedder": args.embedder}
        saved = _base(args.work, args.embedder, size, args.seed) / "build.json"
        if args.skip_build:
            run["build"] = {**json.loads(saved.read_text(encoding="utf-8")), "reused_from_earlier_run": True}
        else:
            run["build"] = _child("build", size, args)
            saved.write_text(json.dumps(run["build"], indent=1), encoding="utf-8")
        run["serve"] = _child("serve", size, args)
        runs.append(run)
    report = {
        "started": started,
        "finished": _machine(),
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "runs": runs,
    }
    if args.embedder == "fake":
        report["extrapolated"] = _extrapolate(runs, args.out)
    print(table(report))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = args.out / f"{stamp}.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(path, args.out / "latest.json")
    print(f"\nsaved {path.relative_to(REPO) if path.is_relative_to(REPO) else path} (and latest.json)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="target chunk counts, comma-separated")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where result JSON files go")
    parser.add_argument("--work", type=Path, default=WORK, help="where generated notes and indexes go")
    parser.add_argument("--embedder", choices=("real", "fake"), default="real", help="fake: hashed bigrams, no model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200, help="timed ask and search calls each")
    parser.add_argument(
        "--skip-build", action="store_true", help="serve the index an earlier run left in --work (its build numbers)"
    )
    parser.add_argument("--show", type=Path, nargs="+", help="print the tables of saved result files and exit")
    parser.add_argument("--child", choices=("build", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    return parser


def _child(phase: str, size: int, args: argparse.Namespace) -> dict:
    """Run one phase for one size in a fresh interpreter and return what it measured."""
    out = args.work / f"{phase}-{size}-{uuid.uuid4().hex[:8]}.json"
    args.work.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--child", phase, "--size", str(size), "--child-out", str(out)]
    command += ["--embedder", args.embedder, "--seed", str(args.seed), "--queries", str(args.queries)]
    command += ["--work", str(args.work)]
    print(f"[{size}] {phase} …", file=sys.stderr, flush=True)
    subprocess.run(command, check=True)
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink()


# ---- the two phases, each in its own process -------------------------------------------------


def _base(work: Path, embedder: str, size: int, seed: int) -> Path:
    return work / f"{embedder}-{size}-seed{seed}"


def _folders(args: argparse.Namespace) -> tuple[Path, Path]:
    base = _base(args.work, args.embedder, args.size, args.seed)
    return base / "notes", base / "index"


def _embedder(kind: str):
    if kind == "fake":
        from fakes import FakeEmbedder

        class FakeEmbedder384(FakeEmbedder):
            """The tests' hashed-bigram fake at the real model's width, so index sizes and search costs match."""

            model_id = "fake-bigrams-384"
            dim = 384

        return FakeEmbedder384()
    from rag.embed import load_embedder

    return load_embedder(cache_dir=MODEL_CACHE)


def _settings(embedder) -> rag.Settings:
    return rag.Settings(model=embedder.model_id, cache_dir=str(MODEL_CACHE))


def build_phase(args: argparse.Namespace) -> dict:
    """Generate notes, build the index from scratch, reindex without and with one changed note."""
    notes, index = _folders(args)
    shutil.rmtree(notes.parent, ignore_errors=True)
    started = time.perf_counter()
    note_count, _ = synth.generate(notes, args.size, args.seed)
    generated = time.perf_counter() - started
    embedder = _embedder(args.embedder)
    settings = _settings(embedder)
    model_rss = _peak_rss_mb()

    def progress(done: int, total: int) -> None:
        if done == total or done % max(32, (total // 20) // 32 * 32) == 0:
            print(f"[{args.size}] embedded {done}/{total} chunks", file=sys.stderr, flush=True)

    load = os.getloadavg()
    full = rag.build_index(notes, index, settings, embedder=embedder, progress=progress)
    full_build_rss = _peak_rss_mb()
    unchanged = rag.build_index(notes, index, settings, embedder=embedder)
    assert unchanged.up_to_date, "a reindex without changes rebuilt the index"
    number = note_count // 2
    path = synth.note_path(notes, number)
    text, _ = synth.note(number, args.seed, synth.speaker_pool(args.size, args.seed))
    path.write_text(text + f"\n补充：{uuid.uuid4().hex[:8]} 的实验在 GhostNet 上也有涨点。\n", encoding="utf-8")
    one = rag.build_index(notes, index, settings, embedder=embedder)
    assert one.changed == (path.relative_to(notes).as_posix(),), one.changed
    seconds = full.seconds
    return {
        "notes": full.notes,
        "chunks": full.chunks,
        "speakers": full.speakers,
        "generate_s": generated,
        "full": seconds,
        "chunks_per_s": full.chunks / seconds["total"],
        "embed_chunks_per_s": full.embedded / seconds["embed"],
        "non_embedding_share": 1 - seconds["embed"] / seconds["total"],
        "no_change_reindex_s": unchanged.seconds["total"],
        "one_changed_reindex": {**one.seconds, "embedded": one.embedded},
        "model_rss_mb": model_rss,
        "full_build_peak_rss_mb": full_build_rss,
        "peak_rss_mb": _peak_rss_mb(),
        "load_during": [load, os.getloadavg()],
    }


class TimedEmbedder:
    """The index's embedder with the time spent embedding questions added up, to split latency."""

    def __init__(self, inner, clock: TimedEmbedder | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.seconds = 0.0
        self.clock = clock or self  # the second encoder adds its time to the first one's

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.encode_queries(texts)
        self.clock.seconds += time.perf_counter() - started
        return vectors

    def encode_passages(self, texts, batch_size=32, progress=None) -> np.ndarray:
        return self.inner.encode_passages(texts, batch_size, progress)


def serve_phase(args: argparse.Namespace) -> dict:
    """Open the index, time warm ask() and search() calls, and measure disk use and ANN recall."""
    _, folder = _folders(args)
    embedder = TimedEmbedder(_embedder(args.embedder))
    model_rss = _peak_rss_mb()
    started = time.perf_counter()
    stored = store.read_index(folder)
    read = time.perf_counter()
    if stored.extra_vectors:  # a question's time in every encoder counts as "embed"
        second = TimedEmbedder(api.load_second_model(next(iter(stored.extra_vectors))), embedder)
        rag.models.load_second_model = lambda model: second  # what Index.second_embedder calls
    index = Index(stored, _settings(embedder), embedder)
    opened = time.perf_counter()
    questions = benchmark_questions(index, synth.speaker_pool(args.size, args.seed))
    load = os.getloadavg()
    for question in questions:  # warm-up: glossary, jieba, caches
        index.ask(question)
        index.search(question)
    latency = {verb: _timed(getattr(index, verb), questions, args.queries, embedder) for verb in ("ask", "search")}
    answered = sum(not index.ask(q).abstained for q in questions)
    files = {p.relative_to(stored.path).as_posix(): p.stat().st_size for p in stored.path.rglob("*") if p.is_file()}
    result = {
        "vector_index": stored.manifest["vector_index"],
        "read_index_s": read - started,
        "open_index_s": opened - read,
        "questions": questions,
        "answered": answered,
        "latency_ms": latency,
        "disk_bytes": sum(files.values()),
        "disk_bytes_per_chunk": sum(files.values()) / len(index.chunks),
        "disk_files": files,
        "model_rss_mb": model_rss,
        "peak_rss_mb": _peak_rss_mb(),
        "load_during": [load, os.getloadavg()],
    }
    result["dense"] = dense_search(index, [embedder.encode_queries([q])[0] for q in questions], args.seed)
    return result


def _timed(call, questions: list[str], n: int, embedder: TimedEmbedder) -> dict:
    """p50/p95 in ms of n calls cycling through the questions: total, query embedding, and the rest."""
    total, embed = [], []
    for i in range(n):
        embedder.seconds = 0.0
        started = time.perf_counter()
        call(questions[i % len(questions)])
        total.append(time.perf_counter() - started)
        embed.append(embedder.seconds)
    rest = np.array(total) - np.array(embed)
    return {name: _quantiles(values) for name, values in (("total", total), ("embed", embed), ("rest", rest))}


def _quantiles(seconds) -> dict:
    p50, p95 = np.percentile(np.asarray(seconds) * 1000, [50, 95])
    return {"p50": float(p50), "p95": float(p95)}


def benchmark_questions(index: Index, pool: list[tuple[str, str]]) -> list[str]:
    """A fixed mix of questions: Chinese and English, naming frequent, rare or unknown speakers, or none."""
    present = set(index.speakers)
    middle = [name for name, _ in pool[len(pool) // 2 :] if name in present] or index.speakers
    zh_rare = next((n for n in middle if is_chinese(n)), "冯佳时")
    en_rare = next((n for n in middle if not is_chinese(n)), "Maria Garcia")
    return [
        "HRNet 如何保持高分辨率？",
        "冯佳时讲的 shortcut 连接有什么作用？",
        f"{zh_rare}讲了什么？",
        f"{zh_rare}对 GhostNet 有什么看法？",
        "空洞卷积的计算量为什么大？",
        "负样本的作用是什么？",
        "模型压缩讲了什么",
        "GOLD-NAS 和可微分NAS有什么区别？",
        "视频相邻帧的冗余怎么利用？",
        "李飞飞说了什么？",
        "FlashAttention 为什么更快？",
        "MobileFormer 在哪些会议上有涨点？",
        "what did 冯佳时 say about shortcuts",
        "What did Jiashi Feng say about shortcut connections?",
        f"What did {en_rare} say about ProxylessNAS?",
        "What is routing collapse in mixture-of-experts?",
        "How does token merging reduce the number of tokens?",
        "Which quantization methods work below 4 bits?",
        "What did Geoffrey Hinton say about capsules?",
        "How does ProxylessNAS use latency as feedback?",
        f"Summarize the talk by {en_rare}",
        "What masking ratio works best for MAE?",
        "Maria Garcia on load balancing",
        "Why does HRNet keep high-resolution representations?",
    ]


def dense_search(index: Index, question_vectors: list[np.ndarray], seed: int) -> dict:
    """Exact and HNSW search time per query, and HNSW recall@10 against exact search (IndexFlatIP over the
    same vectors): unfiltered, and with the index's own HNSW within speaker filters (a broad one, a narrow
    one). An index small enough to be exact gets an HNSW built just to measure it on these vectors."""
    import faiss

    vectors = store.stored_vectors(index.retriever.vectors)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(vectors), size=max(0, RECALL_QUERIES - len(question_vectors)), replace=False)
    queries = np.vstack([*question_vectors, vectors[picked]]).astype(np.float32)
    _, truth = exact.search(queries, 10)
    own = index.manifest["vector_index"] == "hnsw"
    graph = index.retriever.vectors if own else store.vector_index(vectors, approximate=True)
    _, found = graph.search(queries, 10)
    faiss.omp_set_num_threads(1)  # as the retriever searches: one query at a time, on one thread
    result = {
        "queries": len(queries),
        "hnsw_built_to_measure": not own,
        "exact_ms_per_query": _ms_per_query(exact, queries[:100]),
        "approximate_ms_per_query": _ms_per_query(graph, queries[:100]),
        "recall_at_10": _recall(found, truth),
    }
    if not own:
        return result
    by_size = sorted(index.speakers, key=lambda s: len(index.retriever._by_speaker[s]))
    for label, speaker in (("broad", by_size[-1]), ("narrow", by_size[len(by_size) // 2])):
        mask = index.retriever.mask(speaker)
        ids = np.flatnonzero(mask)
        subset = faiss.IndexFlatIP(vectors.shape[1])
        subset.add(vectors[ids])
        _, local = subset.search(queries[:100], 10)
        truth_subset = np.where(local >= 0, ids[np.maximum(local, 0)], -1)
        found_subset = [[i for i, _ in index.retriever.dense(q, mask, 10)] for q in queries[:100]]
        result[f"recall_at_10_{label}_filter"] = {
            "speaker": speaker,
            "chunks": len(ids),
            "recall": _recall(found_subset, truth_subset),
        }
    return result


def _ms_per_query(index, queries: np.ndarray) -> float:
    started = time.perf_counter()
    for query in queries:
        index.search(query.reshape(1, -1), 10)
    return (time.perf_counter() - started) * 1000 / len(queries)


def _recall(found, truth) -> float:
    hits = [
        len(set(f) & {t for t in row if t >= 0}) / max(1, sum(t >= 0 for t in row))
        for f, row in zip(found, truth, strict=True)
    ]
    return float(np.mean(hits))


# ---- machine facts, extrapolation, the table --------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _machine() -> dict:
    import bm25s
    import faiss
    import torch

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    return {
        "utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "faiss": faiss.__version__,
        "numpy": np.__version__,
        "bm25s": bm25s.__version__,
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip(),
    }


def _extrapolate(runs: list[dict], results: Path) -> dict:
    """Real-model numbers for a fake-embedder run: measured non-embedding parts + the embedding rate, and
    the query embedding time, measured with the real model in the newest real run."""
    real = None
    for path in sorted(results.glob("2*.json"), reverse=True):
        saved = json.loads(path.read_text(encoding="utf-8"))
        sized = [r for r in saved["runs"] if r["embedder"] == "real" and "build" in r and "serve" in r]
        if sized:
            real = (path.name, max(sized, key=lambda r: r["size"]))
            break
    if real is None:
        return {"note": "no real-model run saved yet: nothing to extrapolate from"}
    source, run = real
    rate = run["build"]["embed_chunks_per_s"]
    out = {"from": f"{source}, {run['size']} chunks", "real_embed_chunks_per_s": rate, "sizes": {}}
    for fake in runs:
        if "build" not in fake:
            continue
        full = fake["build"]["full"]
        embed = fake["build"]["chunks"] / rate
        total = full["total"] - full["embed"] + embed
        ask = fake["serve"]["latency_ms"]["ask"]["rest"]
        query = run["serve"]["latency_ms"]["ask"]["embed"]
        out["sizes"][str(fake["size"])] = {
            "full_build_s": total,
            "embed_s": embed,
            "chunks_per_s": fake["build"]["chunks"] / total,
            "non_embedding_share": 1 - embed / total,
            "ask_p95_ms_upper_bound": ask["p95"] + query["p95"],
        }
    return out


def _latency(verb: str, part: str):
    return lambda r: tuple(r["serve"]["latency_ms"][verb][part][q] for q in ("p50", "p95"))


def _hnsw_recall(run: dict) -> str:
    dense = run["serve"]["dense"]
    return f"{dense['recall_at_10']:.4f}" + (" (HNSW built to measure)" if dense["hnsw_built_to_measure"] else "")


def _filtered(label: str):
    return lambda r: (
        r["serve"]["dense"][f"recall_at_10_{label}_filter"]["recall"],
        r["serve"]["dense"][f"recall_at_10_{label}_filter"]["chunks"],
    )


def _at(size: int, check):
    """A target that applies at one corpus size only."""
    return lambda run, value: check(value) if run["size"] == size else None


def _real(check):
    """A target on build times: only the real model's embedding time makes the share meaningful."""
    return lambda run, value: check(value) if run["embedder"] == "real" else None


def _ask_p95(run: dict, value: tuple) -> bool | None:
    limit = MAX_ASK_P95_MS.get(run["size"])
    return None if limit is None else value[1] <= limit


# (label, value of a run, format, target, check(run, value) → True/False/None when the target does not apply)
ROWS = [
    ("embedder", lambda r: "real model" if r["embedder"] == "real" else "FAKE, not the model", "{}", "", None),
    ("notes", lambda r: r["build"]["notes"], "{:,}", "", None),
    ("chunks", lambda r: r["build"]["chunks"], "{:,}", "", None),
    ("speakers", lambda r: r["build"]["speakers"], "{:,}", "", None),
    ("full build s", lambda r: r["build"]["full"]["total"], "{:.1f}", "", None),
    ("  parse s", lambda r: r["build"]["full"]["parse"], "{:.2f}", "", None),
    ("  embed s", lambda r: r["build"]["full"]["embed"], "{:.1f}", "", None),
    ("  write s", lambda r: r["build"]["full"]["write"], "{:.2f}", "", None),
    (
        "  chunks/s (embedded/s)",
        lambda r: (r["build"]["chunks_per_s"], r["build"]["embed_chunks_per_s"]),
        "{0[0]:.1f} ({0[1]:.1f})",
        "",
        None,
    ),
    (
        "  non-embedding share",
        lambda r: r["build"]["non_embedding_share"],
        "{:.1%}",
        "≤ 15%",
        _real(lambda v: v <= MAX_NON_EMBEDDING_SHARE),
    ),
    (
        "no-change reindex s",
        lambda r: r["build"]["no_change_reindex_s"],
        "{:.2f}",
        "≤ 2 s at 1k notes",
        _at(10_000, lambda v: v <= MAX_NO_CHANGE_REINDEX_S),
    ),
    (
        "one-note reindex s (re-embedded)",
        lambda r: (r["build"]["one_changed_reindex"]["total"], r["build"]["one_changed_reindex"]["embedded"]),
        "{0[0]:.2f} ({0[1]})",
        "",
        None,
    ),
    (
        "build peak RSS MB (full build; model alone)",
        lambda r: (
            r["build"]["peak_rss_mb"],
            r["build"].get("full_build_peak_rss_mb", float("nan")),
            r["build"]["model_rss_mb"],
        ),
        "{0[0]:,.0f} ({0[1]:,.0f}; {0[2]:,.0f})",
        "≤ 1536 at 100k",
        _at(100_000, lambda v: v[0] <= MAX_PEAK_RSS_MB),
    ),
    ("vector index", lambda r: r["serve"]["vector_index"], "{}", "", None),
    (
        "open index s (read + init)",
        lambda r: (r["serve"]["read_index_s"], r["serve"]["open_index_s"]),
        "{0[0]:.2f} + {0[1]:.2f}",
        "",
        None,
    ),
    ("ask ms p50 / p95", _latency("ask", "total"), "{0[0]:.1f} / {0[1]:.1f}", "p95 ≤ 50 (10k), ≤ 80 (100k)", _ask_p95),
    ("  query embedding", _latency("ask", "embed"), "{0[0]:.1f} / {0[1]:.1f}", "", None),
    ("  the rest", _latency("ask", "rest"), "{0[0]:.1f} / {0[1]:.1f}", "", None),
    ("search ms p50 / p95", _latency("search", "total"), "{0[0]:.1f} / {0[1]:.1f}", "", None),
    ("  query embedding", _latency("search", "embed"), "{0[0]:.1f} / {0[1]:.1f}", "", None),
    ("  the rest", _latency("search", "rest"), "{0[0]:.1f} / {0[1]:.1f}", "", None),
    ("answered questions", lambda r: (r["serve"]["answered"], len(r["serve"]["questions"])), "{0[0]}/{0[1]}", "", None),
    (
        "serve peak RSS MB (model alone)",
        lambda r: (r["serve"]["peak_rss_mb"], r["serve"]["model_rss_mb"]),
        "{0[0]:,.0f} ({0[1]:,.0f})",
        "≤ 1536 at 100k",
        _at(100_000, lambda v: v[0] <= MAX_PEAK_RSS_MB),
    ),
    ("disk bytes / chunk", lambda r: r["serve"]["disk_bytes_per_chunk"], "{:,.0f}", "", None),
    ("exact search ms / query (1 thread)", lambda r: r["serve"]["dense"]["exact_ms_per_query"], "{:.2f}", "", None),
    (
        "HNSW search ms / query (1 thread)",
        lambda r: r["serve"]["dense"]["approximate_ms_per_query"],
        "{:.2f}",
        "",
        None,
    ),
    ("HNSW recall@10 vs exact", _hnsw_recall, "{}", "≥ 0.98", lambda run, v: float(v.split()[0]) >= MIN_RECALL),
    (
        "  with a broad speaker filter (chunks)",
        _filtered("broad"),
        "{0[0]:.4f} ({0[1]:,})",
        "≥ 0.98",
        lambda run, v: v[0] >= MIN_RECALL,
    ),
    (
        "  with a narrow speaker filter (chunks)",
        _filtered("narrow"),
        "{0[0]:.4f} ({0[1]:,})",
        "≥ 0.98",
        lambda run, v: v[0] >= MIN_RECALL,
    ),
]


def table(report: dict) -> str:
    """The results as a text table: one column per size, ✓/✗ where a target applies, '–' where not measured."""
    runs = report["runs"]
    body = []
    for label, value_of, fmt, target, check in ROWS:
        cells = []
        for run in runs:
            try:
                value = value_of(run)
            except KeyError:
                cells.append("–")
                continue
            verdict = check(run, value) if check else None
            cells.append(fmt.format(value) + ("" if verdict is None else " ✓" if verdict else " ✗"))
        body.append((label, cells, target))
    width = max(len(label) for label, _, _ in body)
    widths = [max(len(f"{r['size']:,}"), *(len(cells[i]) for _, cells, _ in body)) for i, r in enumerate(runs)]
    header = ("target chunks", [f"{r['size']:,}" for r in runs], "target")
    lines = [
        f"{label:<{width}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)) + f"  {target}"
        for label, cells, target in [header, *body]
    ]
    start, end = report["started"], report["finished"]
    lines.append(
        f"\n{start['nproc']} CPUs ({start['cpu']}), load average {start['load_average'][0]:.2f} at start, "
        f"{end['load_average'][0]:.2f} at end; python {start['python']}, torch {start['torch']}, faiss {start['faiss']}"
    )
    if "extrapolated" in report:
        extrapolated = json.dumps(report["extrapolated"], ensure_ascii=False, indent=1)
        lines.append(f"\nEXTRAPOLATED to the real model (not measured): {extrapolated}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
