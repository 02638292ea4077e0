"""The writer's own talk: a section that says the writer gave it, and questions asking for it. Small notes
written for these tests; the index uses a fake embedder (the model is not the point here)."""

from __future__ import annotations

import pytest
from fakes import FakeEmbedder

import rag
from rag.notes import parse_note
from rag.writer import WRITER, gives_own_talk, own_talk_topic

FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)
NOTE = (
    "# PyCon Trip\n\n## I gave a talk!\n\nOn the first day I spoke about Python as a second language.\n\n"
    "## Talks I saw\n\n### Unsafe Defaults - Marta Quinlan\n\nLibrary defaults can be dangerous.\n\n"
    "## Swag\n\nSocks and a micro:bit.\n"
)


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("I gave a talk!", True),
        ("On Thursday, I gave my talk about sol2.", True),
        ("I did a lightning talk on serverless.", True),
        ("没什么好说的，因为是我自己的一个分享。", True),
        ("I gave up on the talk after ten minutes.", False),
        ("My talk notes are below.", False),
        ("Marta gave a talk on defaults.", False),
    ],
)
def test_what_says_the_writer_gave_a_talk(text, own):
    assert gives_own_talk(text) is own


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("作者自己在 PyCon 讲了什么题目？", "在 PyCon 讲了什么题目？"),
        ("Which talk did the note's author give at PyCon?", "Which at PyCon?"),
        ("What were the two lightning talks the author gave?", "What were the two lightning ?"),
        ("Which talk was given by the people who wrote these notes?", "Which talk was ?"),
        ("What did the author think of Marta's keynote?", None),  # the writer's view of someone else's talk
        ("作者为什么觉得这场报告有用？", None),
    ],
)
def test_a_question_asking_for_the_writers_own_talk(question, topic):
    assert own_talk_topic(question) == topic


def test_the_writers_talk_is_their_section_and_a_question_for_it_keeps_to_it(tmp_path):
    speakers = {c.headings[-1]: c.speaker for c in parse_note(NOTE, "trip.md").chunks}
    assert speakers["I gave a talk!"] == WRITER and speakers["Swag"] is None
    assert speakers["Unsafe Defaults - Marta Quinlan"] == "Marta Quinlan"
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "trip.md").write_text(NOTE, encoding="utf-8")
    embedder = FakeEmbedder()
    rag.build_index(tmp_path / "notes", tmp_path / "index", FAKE, embedder=embedder)
    index = rag.open_index(tmp_path / "index", FAKE, embedder=embedder)
    query = index.understand("What talk did the author give at PyCon?")
    assert query.speaker == WRITER and query.overview
    answer = index.ask("作者自己讲了什么？")
    assert not answer.abstained and answer.citations[0].chunk.headings[-1] == "I gave a talk!"
    assert index.understand("What did Marta Quinlan say about defaults?").speaker == "Marta Quinlan"
    assert index.understand("Why did the writer like the talk on library defaults?").speaker is None  # not theirs
