"""The evaluation protocol: a fixed tune/test split, labels by line number, tune-only calibration, skipped sets."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from fakes import FakeEmbedder

import rag
from rag import cli, eval_report, evaluate, question_sets
from rag.errors import RagError
from rag.notes import parse_note

REPO = Path(__file__).resolve().parent.parent
FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)

# Two talks, each with a `## Notes` section (as in real conference notes): the same heading path under one
# title, told apart by where the section starts.
NOTE = textwrap.dedent(
    """\
    # Talks

    ## Notes

    Alice Moreau explained how bees find flowers by their scent.

    Scent trails fade within an hour.

    ## Bees and rivers

    Bob Lindqvist talked next.

    ## Notes

    Bob Lindqvist compared river deltas on three continents.
    """
)


def test_split_is_deterministic_and_about_half():
    questions = [f"what did speaker {n} say about topic {n % 7}?" for n in range(2000)]
    splits = [question_sets.split_of(q) for q in questions]
    assert splits == [question_sets.split_of(q) for q in questions]
    assert set(splits) == {"tune", "test"}
    assert 0.45 < splits.count("tune") / len(splits) < 0.55


@pytest.mark.parametrize("name", ["qa.yaml", "real-notes.yaml"])
def test_each_question_set_is_split_roughly_in_half_and_both_halves_hold_unanswerables(name):
    cases = question_sets.load_set(REPO / "eval" / name).cases
    tune = [c for c in cases if c.split == "tune"]
    assert 0.4 < len(tune) / len(cases) < 0.6
    for split in question_sets.SPLITS:
        assert any(not c.answerable for c in cases if c.split == split)
    assert len({c.question for c in cases}) == len(cases), "a question asked twice would sit in one half only"


def test_an_explicit_split_overrides_the_hash(tmp_path):
    question = "what did Alice Moreau say about bees?"
    other = "test" if question_sets.split_of(question) == "tune" else "tune"
    path = _question_file(tmp_path, [{"q": question, "note": "talks.md", "lines": [5], "split": other}])
    assert question_sets.load_set(path).cases[0].split == other


def test_lines_resolve_to_the_section_holding_them_not_to_a_namesake():
    chunks = parse_note(NOTE, "talks.md").chunks
    keys = question_sets.section_keys(chunks)
    first, second = sorted({key for key in keys.values() if key[1] == ("Talks", "Notes")}, key=lambda key: key[2])
    cases = [
        _case(lines=(16,)),  # Bob's line: the second `Notes`
        _case(lines=(6,)),  # the blank line between two paragraphs of the first `Notes`
        _case(lines=(5, 16)),  # either section is right
    ]
    bob, blank, both = question_sets.resolve_lines(cases, chunks)
    assert bob.matches(second) and not bob.matches(first)
    assert blank.matches(first) and not blank.matches(second)
    assert both.matches(first) and both.matches(second)
    assert not bob.matches(("other.md", second[1], second[2]))


def test_a_labelled_line_in_a_note_that_was_not_indexed_is_a_one_line_error():
    chunks = parse_note(NOTE, "talks.md").chunks
    with pytest.raises(RagError, match="no indexed section"):
        question_sets.resolve_lines([_case(lines=(5,), note="missing.md")], chunks)


def test_section_labels_still_work_for_the_project_notes():
    case = _case(sections=("Notes",))
    assert case.matches(("talks.md", ("Talks", "Notes"), 3))
    assert not case.matches(("talks.md", ("Talks", "Other"), 3))


@pytest.mark.parametrize(
    "expected, found",
    [
        ("Karen M. Sandler", "karen m. sandler"),
        ("Prof. Alice Moreau", "Alice Moreau"),
        ("Moreau Alice", "Alice Moreau"),
        ("李秉骏", "李秉骏 Cash Lee"),
        ("兰艳艳", "兰艳艳老师"),
        ("Marc’Aurelio Ranzato", "Marc'Aurelio Ranzato"),
        ("Jan Novotný", "Jan Novotny"),
        ("Francesc Campoy Flores", "Francesc"),
    ],
)
def test_same_person_accepts_forms_of_one_name(expected, found):
    assert evaluate.same_person(expected, found)


@pytest.mark.parametrize("expected, found", [("Tim Hirsch", "Tim Robertson"), ("唐刘", "刘"), ("Ben Crox", "Ben")])
def test_same_person_rejects_other_people(expected, found):
    assert not evaluate.same_person(expected, found)


def test_the_speaker_is_right_when_the_cited_section_names_them_among_its_people():
    case = _case(sections=("Notes",), speaker="Bob Lindqvist")
    panel = _outcome(case, cited_speaker="Alice Moreau", cited_people=("Alice Moreau", "Bob Lindqvist"))
    assert panel.speaker_right
    assert not _outcome(case, cited_speaker="Alice Moreau").speaker_right


def test_calibration_reads_the_tune_half_only():
    outcomes = [
        _outcome(_case(question=f"q{n}", answerable=n % 3 != 0, split=("tune", "test")[n % 2]), relevance=n / 10)
        for n in range(40)
    ]
    calibrated = evaluate.calibrate(outcomes)
    # Turn every test label around and move every test score: a calibration that read them would change.
    flipped = [
        o
        if o.case.split == "tune"
        else replace(o, case=replace(o.case, answerable=not o.case.answerable), top_relevance=9)
        for o in outcomes
    ]
    assert evaluate.calibrate(flipped) == calibrated
    tune_only = [o for o in outcomes if o.case.split == "tune"]
    assert evaluate.calibrate(tune_only) == calibrated


def test_calibration_keeps_ninety_percent_abstaining_with_the_fewest_false_abstentions():
    unanswerable = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.6]  # one unanswerable scores high
    answerable = [0.75, 1.2, 1.3, 1.4, 1.5, 1.7, 1.8, 1.9]
    outcomes = [
        _outcome(_case(question=f"u{n}", answerable=False, split="tune"), relevance=r)
        for n, r in enumerate(unanswerable)
    ] + [
        _outcome(_case(question=f"a{n}", answerable=True, split="tune"), relevance=r) for n, r in enumerate(answerable)
    ]
    threshold, correct, false = evaluate.calibrate(outcomes)
    # 9 of 10 unanswerable abstain from 0.9 up; below 1.2 only the answerable 0.75 one is lost: the middle of
    # (0.9, 1.2) wins over thresholds above 1.6 that catch every unanswerable but lose most answerable ones.
    assert (correct, round(false, 3)) == (0.9, 0.125) and 0.9 < threshold < 1.2


def test_an_outcome_the_threshold_does_not_decide_marks_no_boundary_of_it():
    outcomes = [
        _outcome(_case(question="u", answerable=False, split="tune"), relevance=0.8),
        _outcome(_case(question="a", answerable=True, split="tune"), relevance=1.0),
    ]
    threshold, _, _ = evaluate.calibrate(outcomes)
    # An unknown person's question abstains whatever its relevance (0.95): the threshold stays a quarter of
    # the way from the unanswerable question (0.8) to the answerable one (1.0).
    forced = replace(_outcome(_case(question="x", answerable=False, split="tune"), relevance=0.95), forced=True)
    assert evaluate.calibrate([*outcomes, forced])[0] == threshold == 0.85


def test_a_set_whose_notes_are_missing_is_skipped_with_one_line(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "talks.md").write_text(NOTE, encoding="utf-8")
    present = _question_file(
        tmp_path,
        [
            {"q": "how do bees find flowers?", "note": "talks.md", "lines": [5]},
            {"q": "what is the best sourdough recipe?", "answerable": False},
        ],
        name="mine",
    )
    missing = _question_file(tmp_path, [{"q": "anything?", "answerable": False}], name="real", notes="../nowhere")
    result = evaluate.evaluate_sets([present, missing], FAKE, tmp_path / "work", FakeEmbedder())
    assert [run.question_set.name for run in result.sets] == ["mine"]
    assert result.skipped == (f"skipped real ({missing}): notes folder {(tmp_path / 'nowhere').resolve()} not found",)
    text = eval_report.to_text(result)
    assert result.skipped[0] in text.splitlines()
    assert "tune — thresholds chosen here" in text and "test — never seen by tuning" in text
    data = json.loads(json.dumps(eval_report.to_json(result)))
    assert data["skipped"] == list(result.skipped) and data["calibrated"]["on"] == "tune"
    assert set(data["splits"]) == {"tune", "test"}
    pipelines = {name for name, *_ in evaluate.PIPELINES}
    assert all(set(data["splits"][split]) == pipelines for split in data["splits"])


def test_rag_eval_with_no_set_left_is_a_one_line_error(tmp_path, capsys):
    missing = _question_file(tmp_path, [{"q": "anything?", "answerable": False}], notes="../nowhere")
    assert cli.main(["eval", str(missing)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("rag: error: no question set to evaluate: skipped") and "\n" not in err


def _question_file(tmp_path: Path, questions: list[dict], name: str = "set", notes: str = "../notes") -> Path:
    folder = tmp_path / f"eval-{name}"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(json.dumps({"name": name, "notes": [notes], "questions": questions}), encoding="utf-8")
    return path


def _case(
    question: str = "q",
    note: str = "talks.md",
    sections: tuple[str, ...] = (),
    lines: tuple[int, ...] = (),
    speaker: str | None = None,
    answerable: bool = True,
    split: str = "tune",
) -> question_sets.Case:
    return question_sets.Case(question, note, sections, speaker, answerable, (), lines=lines, split=split)


def _outcome(
    case: question_sets.Case,
    relevance: float = 1.0,
    cited_speaker: str | None = None,
    cited_people: tuple[str, ...] = (),
) -> evaluate.Outcome:
    return evaluate.Outcome(
        case=case,
        rank=1,
        abstained=False,
        cited_speaker=cited_speaker,
        top_relevance=relevance,
        forced=False,
        first_cited="-",
        cited_people=cited_people,
    )


REAL_NOTES = REPO.parent / "shared" / "real-notes"


@pytest.mark.skipif(not REAL_NOTES.is_dir(), reason="../shared/real-notes is not beside the repository")
def test_every_real_notes_label_points_at_a_text_line_that_resolves():
    question_set = question_sets.load_set(REPO / "eval" / "real-notes.yaml")
    chunks = []
    for note in sorted(REAL_NOTES.glob("*.md")):
        if note.name not in question_set.exclude:
            chunks += parse_note(note.read_bytes().decode("utf-8"), note.name).chunks
    for case in question_set.cases:
        if not case.answerable:
            continue
        lines = (REAL_NOTES / case.note).read_bytes().decode("utf-8").splitlines()
        for n in case.lines:
            assert n <= len(lines) and lines[n - 1].strip(), f"{case.question!r}: line {n} is blank or past the end"
    resolved = question_sets.resolve_lines(question_set.cases, chunks)
    assert all(case.targets for case in resolved if case.lines)


def test_a_miss_says_why_in_words():
    from rag.eval_report import miss

    wrong_rank = replace(_outcome(_case(sections=("Notes",)), relevance=0.5), rank=None)
    assert miss(wrong_rank)["why"] == "the right section is not among the hits"
    abstained = replace(_outcome(_case(sections=("Notes",))), abstained=True)
    assert miss(abstained)["why"] == "abstained" and miss(abstained)["got"].startswith("abstained (closest:")
    answered = _outcome(_case(sections=(), answerable=False))
    assert miss(answered)["why"] == "answered a question it should abstain on"
    speaker = _outcome(_case(sections=("Notes",), speaker="Bob Lindqvist"), cited_speaker="Alice Moreau")
    assert miss(speaker)["why"] == "the right section, but not the labelled speaker"
    assert miss(speaker)["got"] == "- (speaker Alice Moreau)" and "Bob Lindqvist" in miss(speaker)["expected"]


def test_stage_notes_takes_every_note_suffix_the_index_reads(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("a.md", "b.markdown", "C.MD", "slides.pdf", "SOURCES.md"):
        (source / name).write_text("# x\n", encoding="utf-8")
    (source / "sub.md").mkdir()  # a folder named like a note is none
    staged = question_sets.stage_notes([source], tmp_path / "staged", exclude=["SOURCES.md"])
    assert sorted(p.name for p in staged.iterdir()) == ["C.MD", "a.md", "b.markdown"]
