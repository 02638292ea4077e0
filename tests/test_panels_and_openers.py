"""Speakers found on blind checks of unseen notes: a moderated panel with its people listed under an item,
Chinese recaps opening each talk with "第一场来自 Name" or naming a foreign speaker by one name, a talk
that goes on under the speaker's first name, names opening the first paragraph, a speaker's page as the only
line under a title. Small notes written for these tests, with the negative cases beside them."""

from __future__ import annotations

import pytest

from rag.handles import from_speaker_url
from rag.name_lines import bare_names
from rag.notes import parse_note
from rag.prose_speakers import speaker_in_sentence


def sections(text: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Each section's last heading → (speaker, people) of its first chunk."""
    found: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for chunk in parse_note(text, "note.md").chunks:
        found.setdefault(chunk.headings[-1] if chunk.headings else "", (chunk.speaker, chunk.people))
    return found


PANEL = """# Moderated by Rosa Delgado, Acme Foundation

* people
  * Marta Quinlan - Google
  * Oskar Lindqvist - Initech
  * Priya Raman (Umbrella)
* Which projects excite you?
  * Marta - the service mesh
  * Oskar - batch scheduling
"""


def test_a_moderated_panel_lists_its_people_and_the_moderator_hosts():
    speaker, people = sections(PANEL)["Moderated by Rosa Delgado, Acme Foundation"]
    assert speaker == "Marta Quinlan"  # the moderator is listed, but speaks for no one
    assert set(people) == {"Rosa Delgado", "Marta Quinlan", "Oskar Lindqvist", "Priya Raman"}


def test_a_list_of_questions_is_no_roster_and_moderated_by_alone_names_no_speaker():
    questions = "# Moderated by Rosa Delgado\n\n* people\n  * What do you use?\n  * Why?\n\nWe talked.\n"
    assert sections(questions)["Moderated by Rosa Delgado"] == (None, ("Rosa Delgado",))
    one = "# Panel\n\n* panelists\n  * Marta Quinlan - Google\n* the rest\n"
    assert sections(one)["Panel"] == (None, ())  # one person is no panel's roster


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("第一场来自 Yelena ，“把扩展推向新边疆”。", "Yelena"),
        ("第三场是张三带来的《深度学习》。", "张三"),
        ("大家都很关注 Heikko 发起的这场讨论。", "Heikko"),
        ("第一场来自 Acme 的 Jane Roe，讲了缓存。", "Jane Roe"),
        ("下午的第二场，Bruce Momjian 分享了这个主题。", "Bruce Momjian"),
        ("Jane Roe 在本次大会带来一场关于排序规则的分享。", "Jane Roe"),  # where, between who and the verb
        ("Heikko 在现场带来了一场报告。", "Heikko"),
    ],
)
def test_chinese_prose_that_opens_a_talk_on_its_speaker(sentence, speaker):
    assert speaker_in_sentence(sentence) == [(speaker, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "第一场来自 Google 的分享很长。",  # where someone is from
        "我听了来自 Google 的分享。",
        "Priya 的分享结束后便是晚宴。",  # a talk mentioned
        "Margo 的演讲极具激情。",
        "第二场分享来自学术界（CMU），主题为调查。",
        "第一个是数据库，第二个是缓存。",
        "Oracle 带来了新版本。",  # an English word
        "Postgres 在 2024 年带来了新功能。",  # a product's news, no talk
        "我在大会上的分享。",
    ],
)
def test_chinese_prose_that_names_no_one_word_speaker(sentence):
    assert speaker_in_sentence(sentence) == []


def test_a_talk_goes_on_under_its_speakers_first_name():
    text = (
        "# 大会\n\n## 误用\n\n我听了来自 Acme 的 Karen Jex 的分享，很少见。Karen 分享了一堆错误。\n\n"
        "## 缓存\n\n第一场来自 Yelena ，讲了缓存。\n\n第二场来自 Oskar Lindqvist，讲了队列。\n"
    )
    assert sections(text)["误用"] == ("Karen Jex", ("Karen Jex",))
    speaker_at = {n: c.speaker for c in parse_note(text, "note.md").chunks for n in range(c.start, c.end + 1)}
    assert (speaker_at[9], speaker_at[11]) == ("Yelena", "Oskar Lindqvist")  # two talks in turn


def test_names_opening_a_talks_first_paragraph_are_its_speakers():
    text = "# 大会\n\n## 第五场：SVG 动画\n罗正烨、方潇仪，倪栩生。他们都是前端工程师。\n\n正文。\n"
    assert sections(text)["第五场：SVG 动画"][1] == ("罗正烨", "方潇仪", "倪栩生")
    assert bare_names("罗正烨、方潇仪，倪栩生。") == [("罗正烨", None), ("方潇仪", None), ("倪栩生", None)]
    assert bare_names("模型、方法。") == [] and bare_names("倪栩生、某某。") == []  # shapes need a clear name


def test_a_link_to_a_speakers_page_names_the_speaker():
    text = "# Caching at scale\n\nhttps://conf.example.com/speakers/marta-quinlan/\n\n- caches\n- queues\n"
    assert sections(text)["Caching at scale"][0] == "Marta Quinlan"
    assert from_speaker_url("https://conf.example.com/speaker/OskarLindqvist") == [("Oskar Lindqvist", None)]
    assert from_speaker_url("http://conf.example.com/speaker/DanNorth") == [("Dan North", None)]  # a first name
    for line in (
        "https://conf.example.com/speakers/index.html",
        "https://conf.example.com/speakers/AllTalks",
        "https://github.com/jroe",
        "see /speakers/x",
    ):
        assert from_speaker_url(line) == []
