"""Slide OCR speed and the build with slides: seconds per slide (median, p95) for screen captures and
cropped slides, OCR threads compared, a first build of the sample notes with every slide read (as
`rag index --images` builds: OCR in worker processes, then the embedding models), a rebuild with no change
(zero OCR), and the peak RSS (of this process, and of it and its OCR workers together).

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/slides.py [--images ../shared/site] [--per-kind 10]
        [--threads 1,2] [--build] [--workers 2]

Timings on a machine shared with other work are inflated: each line ends with the load average (1 min)
when it was measured; run it when the machine is idle.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
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


def _load() -> str:
    return f"(load {os.getloadavg()[0]:.1f})"


def bench_ocr(images: Path, per_kind: int, threads: list[int]) -> None:
    kinds = _kinds(images, per_kind)
    print(f"{'threads':>7} {'kind':<8} {'n':>3} {'median s':>9} {'p95 s':>7}")
    for count in threads:
        ocr.THREADS = count
        ocr._engines = None  # new engines with this many threads (one per process otherwise)
        started = time.perf_counter()
        ocr.read_image(kinds["crop"][0])  # the first call loads the models
        print(f"{count:>7} first call (models load) {time.perf_counter() - started:.2f} s {_load()}")
        for kind, paths in kinds.items():
            seconds = time_ocr(paths)
            print(
                f"{count:>7} {kind:<8} {len(seconds):>3} {statistics.median(seconds):9.2f} "
                f"{_percentile(seconds, 0.95):7.2f} {_load()}"
            )
    ocr._engines = None  # the build reads in worker processes; this one's engine would only take memory


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (from /proc; 0 when it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0) / 1024
    return rss + sum(_rss_mb(int(child)) for child in children)


class _PeakRss:
    """The most memory this process and its workers held at once, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, _rss_mb(os.getpid()))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def bench_build(images: Path) -> None:
    settings = settings_from().with_overrides(images_root=str(images))
    folder = Path(tempfile.mkdtemp(prefix="rag-slides-bench-"))
    try:
        sampler = _PeakRss()
        started = time.perf_counter()
        first = rag.build_index(REPO / "data", folder / "index", settings)
        elapsed = time.perf_counter() - started
        stages = ", ".join(f"{k} {v:.1f}" for k, v in first.seconds.items())
        print(
            f"first build: {elapsed:.0f} s ({stages} s) {_load()}; slides read {first.slides.read}, "
            f"cached {first.slides.cached}, missing {len(first.slides.missing)}; {first.chunks} chunks"
        )
        print(f"peak RSS of the first build, with its OCR workers: {sampler.stop():.0f} MB")
        again = rag.build_index(REPO / "data", folder / "index", settings)
        print(
            f"no-change rebuild: {again.seconds['total']:.3f} s {_load()}, up to date {again.up_to_date}, "
            f"slides read {again.slides.read}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=REPO.parent / "shared" / "site")
    parser.add_argument("--per-kind", type=int, default=10, help="images of each kind timed (default 10; 0: none)")
    parser.add_argument("--threads", default="2", help="OCR thread counts to compare, e.g. 1,2,4 (default 2)")
    parser.add_argument("--build", action="store_true", help="also time a first build with every slide read")
    parser.add_argument(
        "--workers", type=int, default=ocr.WORKERS, help=f"OCR processes of the build (default {ocr.WORKERS})"
    )
    args = parser.parse_args()
    if not args.images.is_dir():
        print(f"no slide images at {args.images}", file=sys.stderr)
        return 1
    if args.per_kind:
        bench_ocr(args.images, args.per_kind, [int(t) for t in args.threads.split(",")])
    if args.build:
        ocr.WORKERS = args.workers
        bench_build(args.images)
    print(f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
