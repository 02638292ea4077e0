"""Answer quality on a labelled question set: hit@k, MRR, speaker accuracy, abstention; baselines; calibration."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .api import Index
from .errors import RagError

# (name, retrieval mode, query analysis): the full pipeline first, then each part taken away. The retriever
# ablations keep query analysis, so each row differs from the first in one thing.
PIPELINES = (
    ("full: e5 + USE + BM25", "hybrid", True),
    ("no USE: e5 + BM25", "dense+keyword", True),
    ("no e5: USE + BM25", "dense2+keyword", True),
    ("dense only: e5 + USE", "dense", True),
    ("BM25 only", "keyword", True),
    ("full, no query analysis", "hybrid", False),
)


@dataclass(frozen=True)
class Case:
    """One labelled question: where the answer is, or that there is none."""

    question: str
    note: str | None
    sections: tuple[str, ...]
    speaker: str | None
    answerable: bool
    tags: tuple[str, ...]

    def matches(self, file: str, headings: tuple[str, ...]) -> bool:
        return file == self.note and (headings[-1] if headings else "") in self.sections


@dataclass(frozen=True)
class Outcome:
    """What a pipeline did with one case."""

    case: Case
    rank: int | None  # 1-based rank of the first right section among the hits
    abstained: bool
    cited_speaker: str | None
    top_relevance: float  # best coverage score among hits: what the abstention threshold is compared to
    forced: bool  # abstained or answered whatever the threshold (unknown person; a talk overview)
    first_cited: str


def load_cases(path: Path) -> tuple[list[Path], list[Case]]:
    """(note folders, cases) from a QA YAML file; note folders are relative to the file.

    Raises:
        RagError: the file is missing or malformed.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RagError(f"cannot read question set {path}: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise RagError(f"question set {path} needs `notes:` and a `questions:` list")
    folders = [(path.parent / folder).resolve() for folder in data.get("notes", [])]
    cases = []
    for n, item in enumerate(data["questions"], start=1):
        if not isinstance(item, dict) or not item.get("q"):
            raise RagError(f"question set {path}: item {n} has no `q:`")
        answerable = item.get("answerable", True)
        sections = item.get("section", [])
        sections = (sections,) if isinstance(sections, str) else tuple(sections)
        if answerable and (not item.get("note") or not sections):
            raise RagError(f"question set {path}: item {n} ({item['q']!r}) needs `note:` and `section:`")
        cases.append(
            Case(
                question=item["q"],
                note=item.get("note"),
                sections=sections,
                speaker=item.get("speaker"),
                answerable=bool(answerable),
                tags=tuple(item.get("tags", ())),
            )
        )
    return folders, cases


def stage_notes(folders: list[Path], target: Path) -> Path:
    """Copy the notes of several folders into one, so one index covers them all (names must not clash)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for folder in folders:
        for note in sorted(folder.glob("*.md")):
            if (target / note.name).exists():
                raise RagError(f"two evaluation notes are named {note.name}; rename one")
            shutil.copy2(note, target / note.name)
    return target


def run(index: Index, cases: list[Case], mode: str = "hybrid", analyze_query: bool = True) -> list[Outcome]:
    """Ask every case through one pipeline and record what happened."""
    outcomes = []
    for case in cases:
        answer = index.ask(case.question, mode=mode, analyze_query=analyze_query)
        topic = index.tokenizer.tokens(answer.query.topic)
        ranking = [(h.chunk.file, h.chunk.headings) for h in answer.hits]
        rank = next((i for i, (f, h) in enumerate(ranking, start=1) if case.matches(f, h)), None)
        first = answer.citations[0].chunk if answer.citations else None
        forced = bool(answer.query.unknown_person) or (answer.query.speaker is not None and not topic)
        outcomes.append(
            Outcome(
                case=case,
                rank=rank,
                abstained=answer.abstained,
                cited_speaker=first.speaker if first else None,
                top_relevance=max((h.relevance for h in answer.hits), default=0.0),
                forced=forced,
                first_cited=f"{first.file} › {first.section}" if first else "-",
            )
        )
    return outcomes


def metrics(outcomes: list[Outcome]) -> dict[str, float]:
    """hit@1, hit@3, MRR and speaker accuracy over answerable cases; abstention rates over both kinds."""
    answerable = [o for o in outcomes if o.case.answerable]
    unanswerable = [o for o in outcomes if not o.case.answerable]
    with_speaker = [o for o in answerable if o.case.speaker]

    def share(items: list, predicate) -> float:
        return sum(1 for o in items if predicate(o)) / len(items) if items else 0.0

    return {
        "hit@1": share(answerable, lambda o: o.rank == 1),
        "hit@3": share(answerable, lambda o: o.rank is not None and o.rank <= 3),
        "mrr": sum(1 / o.rank for o in answerable if o.rank) / len(answerable) if answerable else 0.0,
        "speaker_accuracy": share(with_speaker, lambda o: o.cited_speaker == o.case.speaker),
        "correct_abstention": share(unanswerable, lambda o: o.abstained),
        "false_abstention": share(answerable, lambda o: o.abstained),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
    }


def abstention_rates(outcomes: list[Outcome], threshold: float) -> tuple[float, float]:
    """(abstain-right, abstain-wrong) had the threshold been `threshold`: the share of unanswerable cases
    that would abstain, and of answerable ones. Forced cases keep what they did."""
    answerable = [o for o in outcomes if o.case.answerable]
    unanswerable = [o for o in outcomes if not o.case.answerable]

    def abstains(o: Outcome) -> bool:
        return o.abstained if o.forced else o.top_relevance < threshold

    right = sum(map(abstains, unanswerable)) / max(len(unanswerable), 1)
    return right, sum(map(abstains, answerable)) / max(len(answerable), 1)


def calibration_curve(outcomes: list[Outcome], thresholds: list[float]) -> list[tuple[float, float, float]]:
    """(threshold, abstain-right, abstain-wrong) for each threshold: what moving it would trade."""
    return [(t, *abstention_rates(outcomes, t)) for t in thresholds]


def calibrate(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """The abstention threshold that best separates the set: (threshold, abstain-right, abstain-wrong).

    Maximizes abstain-right minus abstain-wrong; ties go to the middle of the best range, so the threshold
    sits as far as possible from the questions on either side. Run it on the tune half only.
    """
    candidates = sorted({round(o.top_relevance, 3) for o in outcomes} | {0.0, 2.0})
    scored = []
    for a, b in itertools.pairwise(candidates):
        threshold = round((a + b) / 2, 4)
        right, wrong = abstention_rates(outcomes, threshold)
        scored.append((right - wrong, threshold, right, wrong))
    best = max(score for score, *_ in scored)
    best_range = [s for s in scored if s[0] == best]
    _, threshold, right, wrong = best_range[len(best_range) // 2]
    return threshold, right, wrong
