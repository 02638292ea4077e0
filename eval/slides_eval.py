"""Slide-only questions (eval/slides.yaml): hit@1, hit@3 and how often the slide's fact is in the answer,
with the slides read (OCR, cached beside the index) and, as the baseline, without them.

    HF_HUB_OFFLINE=1 .venv/bin/python eval/slides_eval.py [eval/slides.yaml] [--misses [--split tune]]

Debug on the tune half only: `--split tune` keeps the test half's questions and scores out of sight.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import rag  # noqa: E402
from rag.console import settings_from  # noqa: E402
from rag.question_sets import split_of  # noqa: E402

_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACE.sub("", text).lower()


def _rank(answer: rag.Answer, case: dict) -> int | None:
    sections = case["section"] if isinstance(case["section"], list) else [case["section"]]
    for rank, hit in enumerate(answer.hits, start=1):
        chunk = hit.chunk
        if Path(chunk.file).name == case["note"] and chunk.headings and chunk.headings[-1] in sections:
            return rank
    return None


def evaluate(index: rag.Index, cases: list[dict]) -> tuple[dict[str, float], list[str]]:
    """hit@1, hit@3, fact-in-answer and abstention shares, and a line per miss."""
    hit1 = hit3 = facts = abstained = 0
    misses = []
    for case in cases:
        answer = index.ask(case["q"])
        rank = _rank(answer, case)
        fact = any(_plain(f) in _plain(answer.text) for f in case["fact"])
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        facts += fact
        abstained += answer.abstained
        if rank != 1 or not fact:
            first = answer.hits[0].chunk if answer.hits else None
            got = f"{first.headings[-1] if first and first.headings else None} (slide {first.slide if first else None})"
            misses.append(f"  {case['q']}\n      rank {rank}, fact {'yes' if fact else 'no'}; first {got}")
    n = len(cases)
    return {"hit@1": hit1 / n, "hit@3": hit3 / n, "fact": facts / n, "abstained": abstained / n}, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", default=REPO / "eval" / "slides.yaml", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the questions missed with slides")
    parser.add_argument("--split", choices=("tune", "test"), help="score and list this half only (default both)")
    args = parser.parse_args()
    data = yaml.safe_load(args.questions.read_text(encoding="utf-8"))
    notes = (args.questions.parent / data["notes"][0]).resolve()
    images = (args.questions.parent / data["images"]).resolve()
    if not images.is_dir():
        print(f"slide images not found at {images}", file=sys.stderr)
        return 1
    cases = data["questions"]
    settings = settings_from()
    embedder = rag.api.load_model(settings)
    rows = []
    for name, root in (("with slides", images), ("without slides", None)):
        index_dir = REPO / ".cache" / f"eval-slides-{'on' if root else 'off'}"
        run_settings = settings.with_overrides(images_root=str(root) if root else None)
        started = time.perf_counter()
        report = rag.build_index(notes, index_dir, run_settings, embedder=embedder)
        built = time.perf_counter() - started
        index = rag.open_index(index_dir, run_settings, embedder)
        for half in (args.split,) if args.split else ("tune", "test"):
            scores, misses = evaluate(index, [c for c in cases if c.get("split", split_of(c["q"])) == half])
            rows.append((name, half, scores, built, report))
            if root and args.misses:
                print(f"misses with slides ({half}): {len(misses)}", *misses, sep="\n")
    halves = {h: sum(c.get("split", split_of(c["q"])) == h for c in cases) for h in ("tune", "test")}
    print(f"\n{len(cases)} slide-only questions ({args.questions.name}): tune {halves['tune']}, test {halves['test']}")
    print(f"{'pipeline':<16} {'split':<5} {'hit@1':>6} {'hit@3':>6} {'fact':>6} {'abstain':>8}  build")
    for name, half, s, built, report in rows:
        slides = f"{report.slides.read} read, {report.slides.cached} cached" if report.slides.images else "no slides"
        slides = "index up to date" if report.up_to_date else slides
        print(
            f"{name:<16} {half:<5} {s['hit@1']:6.2f} {s['hit@3']:6.2f} {s['fact']:6.2f} {s['abstained']:8.2f}  "
            f"{built:.1f} s ({slides})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
