"""Programmes: lines that each name a speaker and a talk ("Jane Roe - Title"), as list items or lines joined by
hard line breaks, and the look-alikes that name no one. Small notes written for these tests."""

from __future__ import annotations

import pytest

from rag.heading_names import from_programme_line
from rag.notes import parse_note


def speaker_by_line(text: str) -> dict[int, str | None]:
    """First line of each chunk → its speaker."""
    return {chunk.start: chunk.speaker for chunk in parse_note(text, "note.md").chunks}


def speakers_of(text: str) -> set[str | None]:
    return {chunk.speaker for chunk in parse_note(text, "note.md").chunks}


def test_a_programme_of_linked_lines_gives_each_line_its_speaker_and_the_prose_around_it_to_no_one():
    note = (
        "---\ntitle: Gophers Day\n---\n\nA day of talks in a small room.\n\nMorning:  \n"
        "[Kira Vance - Queues in Small Services](https://example.org/1)  \n"
        "[Dr. Tomas Berg - Go for Wave Simulations](https://example.org/2)  \n"
        "[Oskar Lindqvist, - Calling C, Under the Hood](https://example.org/3)  \n"
        "[Lunch Break](https://example.org/4)  \n"
        "[Priya Raman - Profiling at Scale](https://example.org/5)\n\n"
        "The closing talk by Priya was the best of the day.\n\nWe went for dinner afterwards.\n\n"
        "## Slides\n\nAll slides are online.\n"
    )
    assert speaker_by_line(note) == {
        5: None,  # the introduction and "Morning:"
        8: "Kira Vance",
        9: "Tomas Berg",
        10: "Oskar Lindqvist",
        11: None,  # a part of the programme that is no one's talk
        12: "Priya Raman",
        14: "Priya Raman",  # a paragraph on one of the programme's talks, by the speaker's first name
        16: None,
        18: None,  # a section after the programme is no one's, not the first listed speaker's
    }


@pytest.mark.parametrize(
    "first, second",
    [
        ("Jane Roe - Joy of Small Services", "Ben Okafor - Go for Simulations"),
        ("Jane Roe: Joy of Small Services", "Ben Okafor: Go for Simulations"),
        ("Jane Roe — Joy of Small Services", "Ben Okafor — Go for Simulations"),
        ("Joy of Small Services - Jane Roe", "Go for Simulations - Ben Okafor"),
        ("Joy of Small Services by Jane Roe", "Go for Simulations by Ben Okafor"),
    ],
)
def test_programme_lines_joined_by_hard_breaks_each_start_a_talk(first, second):
    for hard_break in ("  ", "\\"):
        note = f"# Meetup\n\n## Day one\n\nTalks:{hard_break}\n{first}{hard_break}\n{second}\n\nThen drinks.\n"
        assert speaker_by_line(note) == {1: None, 3: None, 6: "Jane Roe", 7: "Ben Okafor", 9: None}


def test_list_items_of_a_programme_each_start_a_talk_with_the_notes_under_them():
    note = (
        "# Meetup\n\n## Talks\n\n- Jane Roe - Joy of Small Services\n    - services should stay small\n"
        "- Ben Okafor: Go for Simulations\n    - goroutines per particle\n\nSee you next month.\n"
    )
    assert speaker_by_line(note) == {1: None, 3: "Jane Roe", 7: "Ben Okafor", 10: None}


def test_a_chinese_programme_and_a_chinese_question_list():
    programme = "# 技术分享会\n\n## 议程\n\n- 欧阳明：分布式存储实践\n- 韩立伟 - 图上的对比学习\n\n晚上聚餐。\n"
    assert speaker_by_line(programme) == {1: None, 3: "欧阳明", 6: "韩立伟", 8: None}
    questions = "# 技术分享会\n\n## 问答\n\n- 欧阳明：这个方案能扩展吗？\n- 韩立伟：可以，加机器就行。\n"
    assert speakers_of(questions) == {None}


@pytest.mark.parametrize(
    ("line", "person"),
    [
        ("Jane Roe - Joy of Small Services", "Jane Roe"),
        ("Dr. Jane Roe (Acme) — Joy of Small Services", "Jane Roe"),
        ("Ben Okafor, - Calling C, Under the Hood", "Ben Okafor"),
        ("Martin Kovac - bleve - Text Indexing for Go", "Martin Kovac"),
        ("Joy of Small Services by Jane Roe", "Jane Roe"),
        ("Jane Roe - Principal Engineer, Acme", None),  # who she is, not a talk
        ("Jane Roe: how do you test this?", None),  # a question from the floor
        ("Jane Roe: with fakes and a clock.", None),  # an answer
        ("Go Blog - Release notes", None),
        ("HRNet - code", None),
        ("Memory - use pools", None),
        ("Attention Is All You Need - Vaswani et al.", None),
    ],
)
def test_the_speaker_of_one_programme_line(line, person):
    found = from_programme_line(line)
    assert (found[0][0] if found else None) == person


@pytest.mark.parametrize(
    "body",
    [
        "- [Go Blog - Release notes](https://example.org/a)\n- [HRNet - code](https://example.org/b)\n",
        "[Jane Roe - Joy of Small Services](https://example.org/1)  \nMore text follows here.\n",  # one line
        "- Memory - use pools\n- Errors - wrap them with context\n- Tests - keep them table-driven\n",
        "- Attention Is All You Need - Vaswani et al.\n- Linformer: Linear Self-Attention - Wang et al.\n"
        "- Reformer: The Efficient Transformer by Kitaev et al.\n",  # a reading list
        "- Jane Roe: how do you test this?\n- Ben Okafor: with fakes and a clock.\n",  # a Q&A
        "Worth a look:\n\n- Fast Queues - by Viktor Hale\n- Vacuum - by Ann Lee\n",  # talks to watch
    ],
)
def test_lists_that_are_no_programme_name_no_speaker(body):
    assert speakers_of(f"# Trip\n\n## Links\n\n{body}\nMore notes.\n") == {None}
