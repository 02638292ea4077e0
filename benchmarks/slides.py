"""Slide OCR speed and the build with slides: seconds per slide (median, p95) for screen captures and
cropped slides, OCR threads compared, a first build of the sample notes with every slide read, a rebuild
with no change (zero OCR), and the peak RSS.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/slides.py [--images ../shared/site] [--per-kind 10]
        [--threads 1,2] [--build]

Timings on a machine shared with other work are inflated: run it when the machine is idle.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import rag  # noqa: E402
from rag import ocr  # noqa: E402
from rag.console import settings_from  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_ocr(paths: list[Path]) -> list[float]:
    seconds = []
    for path in paths:
        started = time.perf_counter()
        ocr.read_image(path)
        seconds.append(time.perf_counter() - started)
    return seconds


def _kinds(images: Path, per_kind: int) -> dict[str, list[Path]]:
    """Screen captures and cropped slides, an even spread of each."""
    import cv2

    kinds: dict[str, list[Path]] = {"capture": [], "crop": []}
    for path in sorted(images.rglob("*.png")):
        width = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE).shape[1]
        kinds["capture" if width >= ocr.MIN_SCREEN_WIDTH else "crop"].append(path)
    return {kind: paths[:: max(1, len(paths) // per_kind)][:per_kind] for kind, paths in kinds.items()}


def bench_ocr(images: Path, per_kind: int, threads: list[int]) -> None:
    kinds = _kinds(images, per_kind)
    print(f"{'threads':>7} {'kind':<8} {'n':>3} {'median s':>9} {'p95 s':>7}")
    for count in threads:
        ocr.THREADS = count
        ocr._engine = None  # a new engine with this many threads (one per process otherwise)
        started = time.perf_counter()
        ocr.read_image(kinds["crop"][0])  # the first call loads the models
        print(f"{count:>7} first call (models load) {time.perf_counter() - started:.2f} s")
        for kind, paths in kinds.items():
            seconds = time_ocr(paths)
            print(
                f"{count:>7} {kind:<8} {len(seconds):>3} {statistics.median(seconds):9.2f} {_percentile(seconds, 0.95):7.2f}"
            )


def bench_build(images: Path) -> None:
    settings = settings_from().with_overrides(images_root=str(images))
    folder = Path(tempfile.mkdtemp(prefix="rag-slides-bench-"))
    try:
        embedder = rag.api.load_model(settings)
        first = rag.build_index(REPO / "data", folder / "index", settings, embedder=embedder)
        stages = ", ".join(f"{k} {v:.1f}" for k, v in first.seconds.items())
        print(
            f"first build: {stages} s; slides read {first.slides.read}, cached {first.slides.cached}, "
            f"missing {len(first.slides.missing)}; {first.chunks} chunks"
        )
        again = rag.build_index(REPO / "data", folder / "index", settings, embedder=embedder)
        print(
            f"no-change rebuild: {again.seconds['total']:.3f} s, up to date {again.up_to_date}, "
            f"slides read {again.slides.read}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=REPO.parent / "shared" / "site")
    parser.add_argument("--per-kind", type=int, default=10, help="images of each kind timed (default 10)")
    parser.add_argument("--threads", default="2", help="OCR thread counts to compare, e.g. 1,2,4 (default 2)")
    parser.add_argument("--build", action="store_true", help="also time a first build with every slide read")
    args = parser.parse_args()
    if not args.images.is_dir():
        print(f"no slide images at {args.images}", file=sys.stderr)
        return 1
    bench_ocr(args.images, args.per_kind, [int(t) for t in args.threads.split(",")])
    if args.build:
        bench_build(args.images)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
