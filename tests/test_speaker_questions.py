"""Questions about one speaker in notes that hold many: the event a question places the talk at is no topic
("what did 严彬 present at the ECCV pre-conference?", "严彬在大连的会议上讲了什么"), a person the notes only
quote gave no talk to sum up, and what a panelist said in another's part, where the
notes name them, still answers; a topic the speaker never covered still abstains. The real model: whether to
answer is the point."""

from __future__ import annotations

import pytest

import rag
from rag.overview import event_texts
from rag.types import Chunk

PRECONFERENCE = """---
title: ECCV 2022 预会议笔记
---

CV 三大顶会。会议在大连举办。正如 Yann LeCun 所说，自监督是未来。

## Session 1：Tracking

- Semantic Correspondence for Fine-Grained Tracking，胡英东，清华大学

- Towards Grand Unification of Object Tracking，严彬，大连理工大学

## Session 3：3D

- Sketch to Point Cloud in One Shot，高宸健，北京大学
"""

PANEL = """# Delivery panel

Marta Quinlan
 - no committee decides the architecture at Netflix
 - the best solutions tend to win

Oskar Lindqvist
 - tooling should be open sourced
 - Marta Quinlan (Acme): standards committees make people stop working for years
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    notes = tmp_path_factory.mktemp("speaker-questions-notes")
    (notes / "preconference.md").write_text(PRECONFERENCE)
    (notes / "panel.md").write_text(PANEL)
    folder = tmp_path_factory.mktemp("speaker-questions-index")
    rag.build_index(notes, folder, rag.Settings(), embedder=real_embedder)
    return rag.open_index(folder, rag.Settings(), embedder=real_embedder)


@pytest.mark.parametrize(
    "question", ["严彬在 ECCV 预会议上讲了什么？", "What did 严彬 present at the ECCV 2022 pre-conference?"]
)
@pytest.mark.model
def test_a_question_placing_the_talk_at_its_event_asks_for_the_talk(index, question):
    answer = index.ask(question)
    assert answer.query.speaker == "严彬" and not answer.abstained
    assert answer.citations[0].chunk.speaker == "严彬"
    assert "Towards Grand Unification" in answer.text


@pytest.mark.model
def test_an_event_the_headings_do_not_name_still_places_the_talk(index):
    answer = index.ask("严彬在大连的会议上都讲了些什么？")
    assert answer.query.overview and not answer.abstained
    assert answer.citations[0].chunk.speaker == "严彬"
    elsewhere = index.ask("严彬在 NeurIPS 2023 上讲了什么？")  # an event the notes never name: no overview
    assert not elsewhere.query.overview


@pytest.mark.model
def test_a_person_the_notes_only_quote_gave_no_talk(index):
    answer = index.ask("What did Yann LeCun talk about at the ECCV pre-conference?")
    assert answer.abstained and answer.query.mentioned == "Yann LeCun"
    assert "no talk by Yann LeCun" in answer.text
    assert "Yann LeCun" in answer.citations[0].chunk.text  # where the notes name him


@pytest.mark.model
def test_a_topic_beside_the_event_is_still_a_topic_the_talk_must_cover(index):
    answer = index.ask("严彬在 ECCV 预会议上讲了哪些量化训练的方法？")
    assert answer.abstained  # 量化训练 is nowhere in his talk


@pytest.mark.model
def test_what_a_panelist_said_in_another_part_naming_them_answers(index):
    answer = index.ask("Why does Marta Quinlan think standards committees fail?")
    assert answer.query.speaker == "Marta Quinlan" and not answer.abstained
    assert "standards committees" in answer.citations[0].chunk.text
    never = index.ask("What did Marta Quinlan say about GPU prices?")
    assert never.abstained


def test_event_texts_are_the_headings_and_titles_over_several_speakers():
    def chunk(headings: tuple[str, ...], speaker: str) -> Chunk:
        return Chunk(
            file="a.md", title="ECCV 2022 预会议", headings=headings, start=1, end=1, text="x", speaker=speaker
        )

    chunks = [
        chunk(("ECCV 2022 预会议", "Session 1"), "胡英东"),
        chunk(("ECCV 2022 预会议", "Session 1"), "严彬"),
        chunk(("ECCV 2022 预会议", "Session 3", "Sketch"), "高宸健"),
    ]
    assert event_texts(chunks, [1]) == {"ECCV 2022 预会议", "Session 1"}
    # 高宸健's own heading holds only his talk: it is the talk's title, not the event.
    assert event_texts(chunks, [2]) == {"ECCV 2022 预会议"}
