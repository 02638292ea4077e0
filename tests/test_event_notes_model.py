"""A question naming an event, with the real model: notes about other events neither answer it nor rank above
the note about that event, whatever their words share with the question."""

from __future__ import annotations

import pytest

from tests.conftest import index_of_notes

pytestmark = pytest.mark.model

# An English trip report of the event asked about, and a Chinese note on the same theme from another event:
# the Chinese question's words are all in the second.
TRIP_REPORT = """\
# SC25 Travel Report

## Student program

I joined the student program and met people from many labs.

## Mentor and Protégé Program

The author's mentor at SC25 was Dr. Maria Lopez. Her career experience: ten years as a software engineer in
industry, then a research scientist at a national lab. We talked about careers in high-performance computing.
"""

OTHER_EVENT = """\
# 研究生论坛笔记

## 导师与职业

作者在论坛上和导师聊了职业经历：导师先在企业做了十年工程师，后来回到大学任教。

## 导师制度

导师制度帮助学生规划职业，也帮助作者认识更多同行。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    return index_of_notes(tmp_path_factory, real_embedder, {"sc25.md": TRIP_REPORT, "forum.md": OTHER_EVENT})


def test_the_note_about_the_event_asked_about_answers_first(index):
    answer = index.ask("作者在 SC25 的导师是谁？他的职业经历怎样？")
    assert not answer.abstained, answer.text
    assert answer.citations[0].chunk.file == "sc25.md"
    assert all(hit.chunk.file == "sc25.md" for hit in answer.hits[:2])


def test_without_the_event_the_other_note_still_answers(index):
    answer = index.ask("导师制度有什么用？")
    assert not answer.abstained, answer.text
    assert answer.citations[0].chunk.file == "forum.md"
