"""`rag eval` results as text tables and as JSON: tune and test halves apart, per set, each pipeline."""

from __future__ import annotations

from .evaluate import PIPELINES, Evaluation, Outcome, abstention_at, calibration_curve, metrics
from .question_sets import SPLIT_SEED

SPLIT_TITLES = {"tune": "tune — thresholds chosen here", "test": "test — never seen by tuning"}
COLUMNS = ("hit@1", "hit@3", "mrr", "speaker_accuracy", "correct_abstention", "false_abstention")
HEADERS = ("hit@1", "hit@3", "MRR", "speaker", "abstain ok", "abstain wrong")


def scores_by_split(evaluation: Evaluation) -> dict[str, dict[str, dict]]:
    """split → pipeline → {"all": metrics, "by_set": {set name: metrics}}."""
    names = [run.question_set.name for run in evaluation.sets]
    return {
        split: {
            pipeline: {
                "all": metrics(_select(outcomes, split)),
                "by_set": {name: metrics(_select(outcomes, split, name)) for name in names},
            }
            for pipeline, outcomes in evaluation.results.items()
        }
        for split in SPLIT_TITLES
    }


def scores_by_tag(evaluation: Evaluation, split: str) -> dict[str, dict[str, float]]:
    """tag → metrics of the full pipeline on one half: where it fails (overviews, speakers, cross-lingual...)."""
    outcomes = _select(_full(evaluation), split)
    tags = sorted({tag for o in outcomes for tag in o.case.tags})
    return {tag: metrics([o for o in outcomes if tag in o.case.tags]) for tag in tags}


def _select(outcomes: list[Outcome], split: str, set_name: str | None = None) -> list[Outcome]:
    return [o for o in outcomes if o.case.split == split and set_name in (None, o.case.set_name)]


def _full(evaluation: Evaluation) -> list[Outcome]:
    return evaluation.results[PIPELINES[0][0]]


def to_json(evaluation: Evaluation) -> dict:
    """The report as one JSON-ready object (the same numbers as the text, plus every pipeline's misses)."""
    threshold, correct, false = evaluation.calibration
    test_correct, test_false = abstention_at(_select(_full(evaluation), "test"), threshold)
    return {
        "threshold": evaluation.threshold,
        "split_seed": SPLIT_SEED,
        "sets": [_set_json(run, evaluation) for run in evaluation.sets],
        "skipped": list(evaluation.skipped),
        "calibrated": {
            "on": "tune",
            "pipeline": PIPELINES[0][0],
            "threshold": threshold,
            "correct_abstention": round(correct, 4),
            "false_abstention": round(false, 4),
            "test_at_threshold": {
                "correct_abstention": round(test_correct, 4),
                "false_abstention": round(test_false, 4),
            },
        },
        "splits": {
            split: {
                pipeline: {
                    "all": _rounded(scores["all"]),
                    "by_set": {k: _rounded(v) for k, v in scores["by_set"].items()},
                }
                for pipeline, scores in pipelines.items()
            }
            for split, pipelines in scores_by_split(evaluation).items()
        },
        "tags": {
            split: {tag: _rounded(m) for tag, m in scores_by_tag(evaluation, split).items()} for split in SPLIT_TITLES
        },
        "misses": {
            pipeline: [miss(o) for o in outcomes if o.missed] for pipeline, outcomes in evaluation.results.items()
        },
    }


def _set_json(run, evaluation: Evaluation) -> dict:
    cases = run.question_set.cases
    return {
        "name": run.question_set.name,
        "file": str(run.question_set.path),
        "questions": len(cases),
        "tune": sum(1 for c in cases if c.split == "tune"),
        "test": sum(1 for c in cases if c.split == "test"),
        **run.coverage,
    }


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in scores.items()}


def miss(outcome: Outcome) -> dict:
    """One missed case: what was expected and what the pipeline did."""
    case = outcome.case
    if not case.answerable:
        expected = "abstain"
    elif case.lines:
        expected = f"{case.note} › " + " | ".join(
            " > ".join(h) or "(before the first heading)" for _, h, _ in sorted(case.targets)
        )
    else:
        expected = f"{case.note} › {' | '.join(case.sections)}"
    if case.speaker:
        expected += f" (speaker {case.speaker})"
    got = outcome.first_cited + (f" (speaker {outcome.cited_speaker})" if outcome.cited_speaker else "")
    if outcome.abstained:
        got = f"abstained (closest: {got})"
    if not case.answerable:
        why = "answered a question it should abstain on"
    elif outcome.abstained:
        why = "abstained"
    elif outcome.rank != 1:
        why = f"the right section ranked {outcome.rank}" if outcome.rank else "the right section is not among the hits"
    else:
        why = "the right section, but not the labelled speaker"
    return {
        "why": why,
        "question": case.question,
        "set": case.set_name,
        "split": case.split,
        "expected": expected,
        "got": got,
        "rank": outcome.rank,
        "relevance": round(outcome.top_relevance, 3),
    }


def to_text(evaluation: Evaluation) -> str:
    """Tables for tune and test (each pipeline, then its per-set rows), calibration, speakers, misses."""
    lines = [_set_line(run) for run in evaluation.sets] + list(evaluation.skipped)
    lines.append(f"abstention threshold in use: min_relevance {evaluation.threshold:.3f}; split seed {SPLIT_SEED!r}")
    for split, pipelines in scores_by_split(evaluation).items():
        first = pipelines[PIPELINES[0][0]]["all"]
        lines += [
            "",
            f"{SPLIT_TITLES[split]} ({first['answerable'] + first['unanswerable']:.0f} questions: "
            f"{first['answerable']:.0f} answerable, {first['unanswerable']:.0f} not)",
            f"{'pipeline':34}" + "".join(f"{h:>14}" for h in HEADERS),
        ]
        for pipeline, scores in pipelines.items():
            lines.append(_row(pipeline, scores["all"]))
            lines += [
                _row(f"  {name}", by_set) for name, by_set in scores["by_set"].items() if len(scores["by_set"]) > 1
            ]
    lines += ["", *_calibration_lines(evaluation), "", *_speaker_lines(evaluation), "", *_tag_lines(evaluation)]
    full = PIPELINES[0][0]
    for pipeline, outcomes in evaluation.results.items():
        misses = [miss(o) for o in outcomes if o.missed]
        lines += ["", f"misses of {pipeline}: {len(misses)}" + ("" if pipeline == full else " (listed by --json)")]
        if pipeline == full:
            lines += [
                f"  [{m['split']}, {m['set']}] {m['question']}: {m['why']}\n      expected {m['expected']}\n"
                f"      got {m['got']} (relevance {m['relevance']})"
                for m in misses
            ]
    return "\n".join(lines)


def _set_line(run) -> str:
    cases, c = run.question_set.cases, run.coverage
    tune = sum(1 for case in cases if case.split == "tune")
    return (
        f"{run.question_set.name} ({run.question_set.path}): {len(cases)} questions (tune {tune}, test "
        f"{len(cases) - tune}); a speaker found in {c['sections_with_speaker']} of {c['sections']} sections "
        f"({c['notes_with_speaker']} of {c['notes']} notes)"
    )


def _row(label: str, scores: dict[str, float]) -> str:
    return f"{label:34}" + "".join(f"{scores[c]:>14.3f}" for c in COLUMNS)


def _calibration_lines(evaluation: Evaluation) -> list[str]:
    threshold, correct, false = evaluation.calibration
    test_correct, test_false = abstention_at(_select(_full(evaluation), "test"), threshold)
    return [
        f"calibrated min_relevance, on tune only ({PIPELINES[0][0]}): {threshold:.3f} "
        f"(tune: abstain ok {correct:.3f}, abstain wrong {false:.3f}; "
        f"the same threshold on test: abstain ok {test_correct:.3f}, abstain wrong {test_false:.3f})",
        "",
        *_curve_lines(evaluation),
    ]


CURVE_THRESHOLDS = tuple(round(0.1 * n, 1) for n in range(2, 16))  # relevance runs 0-2


def _curve_lines(evaluation: Evaluation) -> list[str]:
    """The calibration curve as a table: what each threshold would trade, on tune and on test."""
    tune, test = (_select(_full(evaluation), split) for split in ("tune", "test"))
    lines = [
        "calibration curve (abstain ok / abstain wrong at each min_relevance):",
        f"{'min_relevance':>14}{'tune ok':>10}{'tune wrong':>12}{'test ok':>10}{'test wrong':>12}",
    ]
    for (t, ok, wrong), (_, test_ok, test_wrong) in zip(
        calibration_curve(tune, CURVE_THRESHOLDS), calibration_curve(test, CURVE_THRESHOLDS), strict=True
    ):
        lines.append(f"{t:>14.1f}{ok:>10.3f}{wrong:>12.3f}{test_ok:>10.3f}{test_wrong:>12.3f}")
    return lines


def _speaker_lines(evaluation: Evaluation) -> list[str]:
    lines = [f"speaker questions citing the right speaker first ({PIPELINES[0][0]}):"]
    for run in evaluation.sets:
        parts = []
        for split in SPLIT_TITLES:
            scores = metrics(_select(_full(evaluation), split, run.question_set.name))
            parts.append(f"{split} {scores['speaker_right']:.0f} of {scores['speaker_questions']:.0f}")
        lines.append(f"  {run.question_set.name}: " + ", ".join(parts))
    return lines


# The count each rate is a share of: a rate over no questions prints as "-".
_BASE = {
    "hit@1": "answerable",
    "speaker_accuracy": "speaker_questions",
    "correct_abstention": "unanswerable",
    "false_abstention": "answerable",
}


def _tag_lines(evaluation: Evaluation) -> list[str]:
    """One row per tag: questions, hit@1, speaker and abstention of the full pipeline, tune | test."""
    halves = {split: scores_by_tag(evaluation, split) for split in SPLIT_TITLES}
    tags = sorted(set(halves["tune"]) | set(halves["test"]))
    lines = [
        f"by tag ({PIPELINES[0][0]}), tune | test:",
        f"{'tag':16}{'questions':>14}{'hit@1':>16}{'speaker':>16}{'abstain ok':>16}{'abstain wrong':>16}",
    ]
    for tag in tags:
        pair = [halves[split].get(tag) for split in SPLIT_TITLES]

        def cell(key: str, pair=pair) -> str:
            return " | ".join(f"{m[key]:.2f}" if m and m[_BASE[key]] else "  - " for m in pair)

        count = " | ".join(f"{m['answerable'] + m['unanswerable']:.0f}" if m else "0" for m in pair)
        lines.append(
            f"{tag:16}{count:>14}{cell('hit@1'):>16}{cell('speaker_accuracy'):>16}"
            f"{cell('correct_abstention'):>16}{cell('false_abstention'):>16}"
        )
    return lines
