"""Answer quality on labelled question sets: hit@k, MRR, speaker accuracy, abstention; baselines; calibration.

Every question belongs to the tune or the test half, fixed by a seeded hash of its text: thresholds are
chosen on tune only (`calibrate`), and the test half says how well they transfer.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .answer import MAX_SOURCES, is_talk_overview, lacks_asked_fact
from .api import Embedder, Index, build_index, load_model, open_index
from .config import Settings
from .errors import RagError
from .question_sets import Case, QuestionSet, load_set, resolve_lines, section_keys, stage_notes
from .types import Chunk

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
class Outcome:
    """What a pipeline did with one case."""

    case: Case
    rank: int | None  # 1-based rank of the first right section among the hits
    abstained: bool
    cited_speaker: str | None
    top_relevance: float  # best coverage score among hits: what the abstention threshold is compared to
    forced: bool  # abstained or answered whatever the threshold (unknown person; a talk overview)
    first_cited: str
    cited_people: tuple[str, ...] = ()

    @property
    def speaker_right(self) -> bool:
        """The first cited section is given by the labelled speaker (as its speaker or one of its people)."""
        expected = self.case.speaker
        if not expected:
            return False
        return any(same_person(expected, name) for name in (self.cited_speaker, *self.cited_people) if name)

    @property
    def missed(self) -> bool:
        if not self.case.answerable:
            return not self.abstained
        return self.rank != 1 or self.abstained or (self.case.speaker is not None and not self.speaker_right)


_HONORIFICS = re.compile(r"^(?:prof|professor|dr|mr|ms|mrs)\.?\s+|(?:老师|教授|博士|先生|女士)$", re.IGNORECASE)
_NOT_NAME = re.compile(r"[\s.\-_'’`·•,，()（）]+")


def same_person(expected: str, found: str) -> bool:
    """Whether two written forms name the same person: case, honorifics, spacing, word order, a part of it.

    "Prof. Karen Sandler" = "karen sandler", "Sandler Karen" = "Karen Sandler", "李秉骏" = "李秉骏 Cash Lee".
    """
    a, b = (_name_words(name) for name in (expected, found))
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    short, long = sorted(("".join(a), "".join(b)), key=len)
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in short)
    return len(short) >= (2 if cjk else 4) and (short in long or set(a) <= set(b) or set(b) <= set(a))


def _name_words(name: str) -> list[str]:
    name = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name)).strip().lower()
    name = "".join(ch for ch in name if not unicodedata.combining(ch))  # Novotný = Novotny
    name = _HONORIFICS.sub("", _HONORIFICS.sub("", name)).strip()
    return [word for word in _NOT_NAME.split(name) if word]


def run(index: Index, cases: list[Case], mode: str = "hybrid", analyze_query: bool = True) -> list[Outcome]:
    """Ask every case through one pipeline and record what happened."""
    outcomes = []
    keys = section_keys(index.chunks)
    for case in resolve_lines(cases, index.chunks):
        answer = index.ask(case.question, mode=mode, analyze_query=analyze_query)
        topic = index.tokenizer.tokens(answer.query.topic)
        ranking = [keys[(h.chunk.file, h.chunk.start)] for h in answer.hits]
        rank = next((i for i, section in enumerate(ranking, start=1) if case.matches(section)), None)
        first = answer.citations[0].chunk if answer.citations else None
        missing = lacks_asked_fact(answer.query, answer.hits[:MAX_SOURCES])  # abstains whatever the threshold
        forced = bool(answer.query.named_nowhere) or is_talk_overview(answer.query, topic) or missing
        outcomes.append(
            Outcome(
                case=case,
                rank=rank,
                abstained=answer.abstained,
                cited_speaker=first.speaker if first else None,
                top_relevance=max((h.relevance for h in answer.hits[:MAX_SOURCES]), default=0.0),
                forced=forced,
                first_cited=f"{first.file} › {first.section}" if first else "-",
                cited_people=first.people if first else (),
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
        "speaker_accuracy": share(with_speaker, lambda o: o.speaker_right),
        "correct_abstention": share(unanswerable, lambda o: o.abstained),
        "false_abstention": share(answerable, lambda o: o.abstained),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "speaker_questions": len(with_speaker),
        "speaker_right": sum(1 for o in with_speaker if o.speaker_right),
    }


def abstention_at(outcomes: list[Outcome], threshold: float) -> tuple[float, float]:
    """(correct, false) abstention rates if `min_relevance` were `threshold`."""
    answerable = [o for o in outcomes if o.case.answerable]
    unanswerable = [o for o in outcomes if not o.case.answerable]

    def abstains(o: Outcome) -> bool:
        return o.abstained if o.forced else o.top_relevance < threshold

    return (
        sum(map(abstains, unanswerable)) / max(len(unanswerable), 1),
        sum(map(abstains, answerable)) / max(len(answerable), 1),
    )


def calibration_curve(outcomes: list[Outcome], thresholds: Iterable[float]) -> list[tuple[float, float, float]]:
    """(threshold, correct, false abstention rate) at each threshold: what moving it would trade."""
    return [(t, *abstention_at(outcomes, t)) for t in thresholds]


TARGET_CORRECT_ABSTENTION = 0.90  # the floor: at least this share of unanswerable questions abstain
ANSWER_LEAN = 0.25  # where between two tune questions' relevance a threshold sits (0.5: midway)


def calibrate(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """The abstention threshold chosen on the tune half: (threshold, correct, false abstention rate).

    Only tune cases are read, so the test half stays unseen. Of the thresholds that keep correct
    abstention at TARGET_CORRECT_ABSTENTION or more, the one with the fewest false abstentions (a wrong
    "the notes don't say" costs a user more than a weak answer with its sources shown); when none
    reaches it, the best correct minus false. Ties go to the middle of the best range. Each candidate sits
    ANSWER_LEAN of the way up from one tune question's relevance to the next: nearer the question below,
    which the threshold lets answer, for the same reason (on sets of other people's notes, false abstention
    grew across a range of thresholds that tune could not tell apart, while correct abstention barely moved).
    """
    tune = [o for o in outcomes if o.case.split == "tune"]
    # Relevance runs 0-2; a forced outcome answers or abstains whatever the threshold, so it marks no boundary.
    candidates = sorted({round(o.top_relevance, 3) for o in tune if not o.forced} | {0.0, 2.0})
    scored = []
    for a, b in itertools.pairwise(candidates):
        threshold = round(a + ANSWER_LEAN * (b - a), 4)
        correct, false = abstention_at(tune, threshold)
        scored.append((threshold, correct, false))
    feasible = [s for s in scored if s[1] >= TARGET_CORRECT_ABSTENTION]
    objective = (lambda s: -s[2]) if feasible else (lambda s: s[1] - s[2])
    pool = feasible or scored
    best = max(objective(s) for s in pool)
    best_range = [s for s in pool if objective(s) == best]
    return best_range[len(best_range) // 2]


def speaker_coverage(chunks: Iterable[Chunk]) -> dict[str, int]:
    """How many sections (heading paths) and notes have a speaker found by the parser."""
    sections: dict[tuple[str, tuple[str, ...]], bool] = {}
    notes: dict[str, bool] = {}
    for c in chunks:
        key = (c.file, c.headings)
        sections[key] = sections.get(key, False) or bool(c.speaker)
        notes[c.file] = notes.get(c.file, False) or bool(c.speaker)
    return {
        "sections": len(sections),
        "sections_with_speaker": sum(sections.values()),
        "notes": len(notes),
        "notes_with_speaker": sum(notes.values()),
    }


@dataclass(frozen=True)
class SetRun:
    """One question set as evaluated: the set and how many of its sections have a speaker."""

    question_set: QuestionSet
    coverage: dict[str, int]


@dataclass(frozen=True)
class Evaluation:
    """Every pipeline's outcomes over all sets, the sets skipped, and the tune-only calibration."""

    sets: tuple[SetRun, ...]
    skipped: tuple[str, ...]
    results: dict[str, list[Outcome]]  # pipeline name → outcomes of every case of every set
    calibration: tuple[float, float, float]  # calibrate() of the full pipeline: on tune only
    threshold: float  # the min_relevance in use


def evaluate_sets(
    paths: Iterable[Path], settings: Settings, work: Path, embedder: Embedder | None = None
) -> Evaluation:
    """Index each set's notes in its own folder under `work`, then ask every case through every pipeline.

    A set whose note folder is missing is skipped with a one-line message.

    Raises:
        RagError: a set is malformed, or no set could be evaluated.
    """
    sets = [load_set(path) for path in paths]
    skipped = tuple(f"skipped {s.name} ({s.path}): notes folder {s.missing[0]} not found" for s in sets if s.missing)
    sets = [s for s in sets if not s.missing]
    if not sets:
        raise RagError("no question set to evaluate: " + "; ".join(skipped))
    embedder = embedder or load_model(settings)
    runs: list[SetRun] = []
    results: dict[str, list[Outcome]] = {name: [] for name, *_ in PIPELINES}
    for question_set in sets:
        folder = work / question_set.path.stem
        notes = stage_notes(question_set.folders, folder / "notes", question_set.exclude)
        build_index(notes, folder / "index", settings, embedder=embedder)
        index = open_index(folder / "index", settings, embedder)
        runs.append(SetRun(question_set, speaker_coverage(index.chunks)))
        for name, mode, analyze_query in PIPELINES:
            results[name] += run(index, list(question_set.cases), mode, analyze_query)
    calibration = calibrate(results[PIPELINES[0][0]])
    return Evaluation(tuple(runs), skipped, results, calibration, settings.min_relevance)
