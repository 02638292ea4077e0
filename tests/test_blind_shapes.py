"""Speakers in shapes found on blind sets of real notes by other authors (sets 14–16): a label as a heading or
in a heading's brackets naming someone by one word, `**Speaker** - Name` lines one after another, numbered
items each a person over their notes, a table of paper titles with a name column, a bold title and "by Name"
opening a paragraph, the presenter named in the prose before any heading, "Name Candidate Talk" headings,
three-word names of common first and last names. Small notes written for these tests, the negative cases
beside them."""

from __future__ import annotations

import pytest

from rag.heading_names import from_bold_opening, from_heading, from_programme_line
from rag.notes import parse_note
from rag.prose_speakers import set_off_title_by
from rag.question_kinds import event_overview
from rag.speakers import is_clear_person
from tests.test_recap_shapes import talks


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("挖掘Vue的声明式交互能力（演讲者：Winter）", "Winter"),
        ("Caching at scale (Speaker: Jane Roe)", "Jane Roe"),
        ("Peter Johnson Candidate Talk", "Peter Johnson"),
        ("Jane Roe's Keynote", "Jane Roe"),
        ("Opening Keynote Talk", None),
        ("Machine Learning Talk", None),
        ("Caching at scale (Speaker: tips for a good talk)", None),
    ],
)
def test_a_heading_names_its_speaker_by_a_label_in_brackets_or_before_the_kind_of_talk(heading, speaker):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == speaker


def test_a_speaker_label_heading_names_its_talk_by_one_word():
    note = "# Best practices for ECS\n## Speaker: Pahud\n\nClusters and services.\n\n# Quiz\n## Speaker: tips for a good talk\n\nText.\n"
    assert talks(note) == [(1, "Pahud"), (6, None)]


SPEAKER_DASH_LINES = """# Review

### The speakers
The talks were chosen from many proposals. The topics were -

**Speaker** - Anthony Rees
Topic - Compliance as code
Summary - This talk discussed security as software.

**Speaker** - John Bowker
Topic - Immutable database clusters
Summary - Databases get forgotten when it comes to automation.

Speakers - what makes one good
Summary - Nobody gave this talk.
"""


def test_speaker_dash_lines_each_open_a_talk_at_the_label_line():
    chunks = parse_note(SPEAKER_DASH_LINES, "note.md").chunks
    talk_chunks = [(c.start, c.end, c.people) for c in chunks if len(c.people) == 1]
    assert talk_chunks == [(6, 9, ("Anthony Rees",)), (10, 15, ("John Bowker",))]


NUMBERED_PEOPLE = """# 论坛

### 讲座收获

1. 洪铭：
   * 写论文方法：先有大纲，写出来一版再去修改
2. 沈雪伦：
   * 评审论文的四个标准
3. 阮德莲：论文阅读
   * 广泛阅读本领域论文
"""

PANEL_ROSTER = """# 会议

### 圆桌讨论

- 洪铭
- 沈雪伦

大家讨论了论文写作。
"""


def test_numbered_items_each_a_person_over_their_notes_are_talks():
    assert talks(NUMBERED_PEOPLE)[1:] == [(3, "洪铭"), (7, "沈雪伦"), (9, "阮德莲")]


def test_a_roster_of_bare_names_without_notes_under_them_stays_one_section():
    assert [(c.start, c.end) for c in parse_note(PANEL_ROSTER, "note.md").chunks] == [(1, 1), (3, 8)]


PAPER_TABLE = """# 论坛

### 讲座内容

| 序号 | 论文题目 | 出版物 | 姓名 |
| :--: | :--: | :--: | :--: |
| 1 | 图像去雾蒸馏 | CVPR 2020 | 洪铭 |
| 2 | 端到端图像匹配网络 | CVPR 2019 | 沈雪仑 |
"""

ATTENDEE_TABLE = """# 论坛

### 参会

| 姓名 | 单位 |
| --- | --- |
| 洪铭 | 厦门大学 |
| 沈雪仑 | 厦门大学 |
"""

TITLES_WITH_MARKS = """# Conf

## Day One

Talk Title | Speaker | Notes
---- | --- | ---
Build the Web You Want | [Kate Hudson](http://x.org/k) | Engaging
Communicate All the Things... With WebRTC! | [Kyle Tyacke](http://x.org/t) | Demo
"""


def test_a_name_column_beside_paper_titles_names_each_rows_talk():
    assert talks(PAPER_TABLE)[-2:] == [(7, "洪铭"), (8, "沈雪仑")]
    assert all(c.speaker is None for c in parse_note(ATTENDEE_TABLE, "note.md").chunks)


def test_a_table_row_is_no_prose_even_when_its_title_ends_sentences():
    assert talks(TITLES_WITH_MARKS)[-2:] == [(7, "Kate Hudson"), (8, "Kyle Tyacke")]


@pytest.mark.parametrize(
    ("line", "people"),
    [
        (
            "**Solving the Wrong Problem**, by [Vincent D. Warmerdam](https://x.org/v) (GoDataDriven)",
            ["Vincent D. Warmerdam"],
        ),
        (
            "**Online learning with creme** by [Max Halford](https://x.org/m) (Université Paul Sabatier, Toulouse)",
            ["Max Halford"],
        ),
        ("**Photos** by Unsplash", []),
    ],
)
def test_a_bold_title_then_by_and_a_name_opens_a_talk(line, people):
    assert [name for name, _ in from_bold_opening(line)] == people


PRESENTER_BEFORE_HEADINGS = """---
title: "Structured bandits"
---

This post is part of a series about the lectures we had.

* TOC
{:toc}

On the second day we had short talks. For that first session [Audrey Durand](https://x.org/a) was here to present her work.

# Adaptive trials

Contextual bandits choose treatments.
"""


def test_the_presenter_named_before_any_heading_gives_the_whole_note():
    assert {c.speaker for c in parse_note(PRESENTER_BEFORE_HEADINGS, "note.md").chunks} == {"Audrey Durand"}
    plain = PRESENTER_BEFORE_HEADINGS.replace("[Audrey Durand](https://x.org/a) was here to present her work", "we ate")
    assert {c.speaker for c in parse_note(plain, "note.md").chunks} == {None}


@pytest.mark.parametrize(
    ("name", "clear"), [("Ryan Scott Brown", True), ("Deep Residual Learning", False), ("Grace Period", False)]
)
def test_three_words_of_first_and_last_names_are_a_name(name, clear):
    assert is_clear_person(name) is clear


@pytest.mark.parametrize(
    ("topic", "event"),
    [
        ("wat did talk about at feday", "feday"),
        ("what did talk about at PyCon", "PyCon"),
        ("What was VueConf talk about?", "VueConf"),
        ("what did talk about at all", None),
        ("What did the talk say about caching?", None),
    ],
)
def test_an_event_placing_the_talk_even_in_lower_case_unless_an_english_word(topic, event):
    found = event_overview(topic)
    assert (found[1] if found else None) == event


# Sets 17–19: traditional-script labels, labels over a list, a "分享者" heading over a bullet, and names that
# are products or events.
TRADITIONAL_LABELS = """# 共筆

### 1. How deep learning helps astronomers

講者： Inès

- 物理系 code 契機

### 2. 會後花絮

- 講者：「我覺得可以考慮不要去。」 （眾：XDDDD）
"""


def test_a_traditional_script_label_names_the_speaker_but_a_quoted_sentence_after_it_does_not():
    assert talks(TRADITIONAL_LABELS)[1:] == [(3, "Inès"), (9, None)]


PRESENTERS_OVER_A_LIST = """**Presenters:** Rails core members:

* Aaron Patterson ([@tenderlove](http://twitter.com/tenderlove))
* Yehuda Katz ([@wycats](http://twitter.com/wycats))

## Notes

They argued about Rails.
"""


def test_a_label_ending_in_a_colon_names_the_people_listed_under_it():
    people = {c.people for c in parse_note(PRESENTERS_OVER_A_LIST, "note.md").chunks}
    assert people == {("Aaron Patterson", "Yehuda Katz")}


SHARER_HEADINGS = """## Talks

### 1. 基于 Authing 识别微信用户

#### 大纲
Authing 介绍

#### 分享者

- 谢扬

### 2. 用户认证流程探讨

#### 分享者

- 李卓桓
"""


def test_a_sharer_heading_over_a_bullet_names_the_talk_above():
    speakers = {c.headings[1]: c.speaker for c in parse_note(SHARER_HEADINGS, "note.md").chunks if len(c.headings) > 1}
    assert speakers == {"1. 基于 Authing 识别微信用户": "谢扬", "2. 用户认证流程探讨": "李卓桓"}


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [("Google AI", None), ("Angular Meetup at Virtuwell", None), ("Jane Roe at Acme", "Jane Roe")],
)
def test_a_product_or_an_event_is_no_person(heading, speaker):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == speaker


CARELESS_BYLINES = """box2audio
=========

by [franz enzenhofer](https://twitter.com/enzenhofer)

* football game with physics engine

FieldMargin
===========

A brilliant and hilarious [Rob Carter] (https://twitter.com/RACarter) presented his idea to help farmers.
"""


def test_a_byline_in_lower_case_and_a_link_with_a_space_before_its_url_name_the_speaker():
    assert talks(CARELESS_BYLINES) == [(1, "franz enzenhofer"), (8, "Rob Carter")]


# Sets 20–21: a recap's paragraphs naming each speaker by a role glued to the name, and numbered talk slots.
CHINESE_RECAP = """2019年6月5日，实验室邀请到了几位嘉宾来做交流。

会上，由某公司的联合创始人崔秋老师首先介绍了数据库的发展，并分享了开源历程。

接下来，某公司的首席架构师唐刘老师做了一场题为“混沌工程”的报告，主要介绍了混沌工程的概念。
"""


def test_recap_paragraphs_name_each_speaker_after_a_role_glued_to_the_name():
    assert talks(CHINESE_RECAP) == [(1, None), (3, "崔秋"), (5, "唐刘")]


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("Talk 1: Dan Kohn - Stitching things together", "Dan Kohn"),
        ("Talk 2: Cheryl Hung: 2.66 Million", "Cheryl Hung"),
        ("Talk 4: Vijay Pandey", "Vijay Pandey"),
        ("Talk 5: Lucas Käldström & Nikhita Raghunath: Getting Started", "Lucas Käldström"),
        ("Rust and Go: two languages", None),
        ("Session 2: Caching at scale", None),
        ("Two flavours", None),
    ],
)
def test_a_numbered_talk_slot_before_the_heading_shape(heading, speaker):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == speaker


def test_a_link_after_a_name_and_a_colon_is_no_talk_title():
    assert from_programme_line("Linkerd Benchmarks: https://linkerd.io/2019/05/18/benchmarks/") == []
    assert from_programme_line("Jane Roe: Caching at scale") == [("Jane Roe", None)]


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        (
            "I attended many good talks. One of them was *Building an OSS Company* by [Leah Silber](https://x.org/l).",
            "Leah Silber",
        ),
        ('The last session, "Caching at scale" by Jane Roe, was the best.', "Jane Roe"),
        ("I read *Dune* by Frank Herbert.", None),  # no talk in the line
        ("Before the talks I read the book *Dune* by Frank Herbert.", None),
    ],
)
def test_a_talk_title_set_off_in_a_line_about_talks_then_by_whom(line, speaker):
    found = set_off_title_by(line)
    assert (found[0][0] if found else None) == speaker


@pytest.mark.parametrize(
    ("heading", "affiliation"),
    [
        ("Dan Kohn - Stitching things together", None),  # the talk's title, after a dash
        ("Marja Hölttä - Parsing JavaScript - better lazy than eager?", None),
        ("Jane Roe - Principal Engineer, Acme", "Principal Engineer, Acme"),
        ("Dan Wu, Meta", "Meta"),
    ],
)
def test_a_title_after_a_name_and_a_dash_is_no_affiliation(heading, affiliation):
    found = from_heading(heading)
    assert found and found[0][0][1] == affiliation
