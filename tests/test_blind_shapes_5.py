"""Speakers in shapes found on blind sets of real notes by other authors (sets 44–45 and after): one-word stage
names in a list of `Name - Title` headings, an abstract signed in a `<footer>`, a list of talks to watch, a day
told as list items, recap captions with a name in both scripts, a role before a name after a slash; the
negatives beside them. Small notes written for these tests, with made-up names and titles."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading
from rag.name_lines import from_byline
from rag.notes import parse_note
from tests.test_blind_shapes_4 import speakers_by_heading
from tests.test_recap_shapes import talks


def test_a_stage_name_the_section_repeats_names_its_speaker_beside_named_siblings():
    note = (
        "## [Maria Rossi - Why tides matter](https://example.org/1)\n\n> Maria Rossi explains tides.\n\nGood talk.\n\n"
        "## [Ken Tanaka - Bread at home](https://example.org/2)\n\n> Ken Tanaka bakes.\n\nTasty.\n\n"
        "## [Zorbo - The looping voice](https://example.org/3)\n\n> Musician Zorbo built a machine.\n\nLoud.\n\n"
        "## [LUMEN - Light shows](https://example.org/4)\n\n> LUMEN tells the story of lamps.\n\nBright.\n"
    )
    assert [who for _, who in talks(note)] == ["Maria Rossi", "Ken Tanaka", "Zorbo", "LUMEN"]


def test_a_one_word_topic_heading_is_no_stage_name():
    unsaid = (
        "## Maria Rossi - Tides\n\nTides rise.\n\n## Ken Tanaka - Bread\n\nBread rises.\n\n## Zorbo - Loops\n\nLoud.\n"
    )
    assert [who for _, who in talks(unsaid)] == ["Maria Rossi", "Ken Tanaka", None]  # the text never says Zorbo
    topics = "## Kubernetes - The basics\n\nKubernetes runs pods.\n\n## Terraform - Modules\n\nTerraform plans.\n"
    assert talks(topics) == [(1, None)]  # no sibling names a person


def test_an_abstract_signed_in_a_footer_names_the_talks_speaker_when_the_write_up_calls_them_by_name():
    signed = (
        '## Games in class\n\n<blockquote markdown="1">\n<p>Board games teach thinking.</p>\n'
        '<footer markdown="1" align="right">\n--- Maria Rossi, Example School (ES)\n</footer>\n</blockquote>\n\n'
        "Maria showed us three games.\n"
    )
    assert speakers_by_heading(signed) == {"Games in class": "Maria Rossi"}
    quoted = signed.replace("Maria showed us three games.", "We played three games.")
    assert speakers_by_heading(quoted) == {"Games in class": None}  # a quotation's author, not who spoke


def test_a_bylines_organisation_keeps_its_own_brackets():
    assert from_byline("Maria Rossi, Example School (ES)") == [("Maria Rossi", "Example School (ES)")]
    assert from_byline("Maria Rossi (Example School)") == [("Maria Rossi", "Example School")]


def test_a_list_of_talks_to_watch_names_each_linked_talks_speaker_one_item_alone_too():
    note = (
        "# Talks I liked\n\n## Life\n\n- [Maria Rossi: Why tides matter](https://example.org/1)一个关于潮汐的演讲。\n\n"
        "## Food\n\n- [Ken Tanaka: Bread at home](https://example.org/2)：在家烤面包。\n\n"
        "- [John Oakbridge: Simple kitchens](https://example.org/3)简单的厨房很好。\n\n"
        "## Work\n\n- [Jane Roe: Focus](https://example.org/4) 专注。\n\n- [A film about focus](https://example.org/5)\n"
    )
    # "John Oakbridge" is no clear name, but a name where the note lists talks; the unnamed film is no one's.
    assert [who for _, who in talks(note)] == [None, "Maria Rossi", "Ken Tanaka", "John Oakbridge", "Jane Roe", None]
    two = "## Life\n\n- [Maria Rossi: Tides](https://example.org/1) 潮汐。\n\n## Food\n\n- [Ken Tanaka: Bread](https://e.org/2)\n"
    assert talks(two) == [(1, None)]  # two linked talks are no list of talks to watch


def test_a_day_told_as_list_items_gives_each_item_opening_on_a_talk_to_its_speaker():
    note = (
        "## Monday\n\nThe themes:\n\n- Flipped classrooms;\n- Peer review.\n\n"
        "- [Maria Rossi](https://example.org/mr) gave the opening talk on flipped rooms.\n    Her slides are online.\n\n"
        "- I spoke next about my own course.\n\n"
        "- [Ken Tanaka](https://example.org/kt) then spoke about peer review in large classes.\n\n"
        "- [Ana Lindqvist](https://example.org/al) talking about quizzes in class.\n\n"
        "There were many more talks than I could see.\n"
    )
    assert talks(note) == [
        (1, None),
        (8, "Maria Rossi"),
        (11, None),
        (13, "Ken Tanaka"),
        (15, "Ana Lindqvist"),
        (17, None),
    ]
    people_met = (
        "## People\n\n- [Maria Rossi](https://example.org/mr) works on tides.\n\n"
        "- [Ken Tanaka](https://example.org/kt) bakes bread.\n"
    )
    assert talks(people_met) == [(1, None)]  # no item says anyone gave a talk


def test_a_recaps_captions_name_each_presenter_with_a_name_in_brackets():
    note = (
        "The meetup was full.\n\nKen Tanaka (田中健) from Acme explains their storage engine:\n![Ken](k.jpg)\n\n"
        "Li Wei (李伟) from Example Corp demonstrating faster string joins:\n![Li](l.jpg)\n"
    )
    assert talks(note) == [(1, None), (3, "Ken Tanaka 田中健"), (6, "Li Wei 李伟")]  # in both scripts


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("How I joined the team / 資深開發技術推廣工程師 Maria Rossi", ["Maria Rossi"]),  # a role, then the name
        ("缓存入门 / 某公司工程师 李明", ["李明"]),
        ("Design / Maria Rossi", ["Maria Rossi"]),
        ("Input / Output", []),
        ("TCP / IP 协议", []),
        ("@MariaRossi @somePodcast", ["Maria Rossi"]),  # a person's name run together, then where they spoke
        ("@KenTanaka", ["Ken Tanaka"]),
        ("@ME", []),
        ("@KubeCon @CloudNativeFdn", []),
        ("@pydata @PyConDE", []),
    ],
)
def test_a_name_after_a_slash_or_in_a_heading_of_handles_names_the_speaker(heading, expected):
    found = from_heading(heading)
    assert ([name for name, _ in found[0]] if found else []) == expected


def test_numbered_talks_under_a_title_naming_the_organisers_are_talks_of_their_own():
    note = (
        "# Data Interest Group\nMaria Rossi and Ken Tanaka\n\n## Goals\n- Learn.\n\n"
        "## Talk 1: Synthetic records\nDr Jane Roe, Head of Research, Acme\nAcme released records.\n\n### Privacy\n- Tested.\n\n"
        "## Talk 2:\nJohn Oakley, Engineer at Example University\n\n- Sensors.\n"
    )
    found = speakers_by_heading(note)
    assert found["Goals"] == "Maria Rossi"
    assert found["Talk 1: Synthetic records"] == found["Privacy"] == "Jane Roe"
    assert found["Talk 2:"] == "John Oakley"


def test_names_cited_inside_a_talk_its_sub_heading_named_are_not_its_speakers():
    note = (
        "# Why coal keeps burning\n### Maria Rossi, *Example Institute*\n\n## Notes\n\n### Ways of counting\n\n"
        "Paul Ehrlich and John Holdren\n\n> Impact = population x affluence x technology\n\n"
        "### Corporate Machinations\n\nCorporations plot.\n"
    )
    found = speakers_by_heading(note)
    assert found["Ways of counting"] == found["Corporate Machinations"] == "Maria Rossi"


def test_a_quoted_title_then_by_and_a_name_under_a_heading_names_the_talks_speaker():
    note = (
        "## Plenary\n\n'Drawing Lines: Maps and Power' by James Oakley (Example University)\n\nHe began with a map.\n"
    )
    assert speakers_by_heading(note) == {"Plenary": "James Oakley"}
    book = "## Reading\n\n'Dune' by the river, a long read.\n"
    assert speakers_by_heading(book) == {"Reading": None}


def test_a_programme_naming_speakers_surname_first_gives_each_line_its_speaker():
    note = (
        "## Talks\n\n  * Oakley, James: _Fast tree distances_\n\n  * Lindqvist, Greta: _Faster alignment_\n\n"
        "  * Tanaka, Ken: _A mixture model_\n"
    )
    assert [who for _, who in talks(note)] == ["James Oakley", "Greta Lindqvist", "Ken Tanaka"]
    places = "## Trips\n\n  * Paris, France: _a week_\n\n  * Rome, Italy: _two days_\n"
    assert talks(places) == [(1, None)]


def test_a_panels_first_name_headings_are_the_turns_of_the_people_it_names_in_full():
    note = (
        "# Panel\n\n### Moderator: How to choose a problem?\n\n### Gaurang Mehta, Example Institute\nPick hard ones.\n\n"
        "### Karthik Rao\nPick useful ones.\n\n### Moderator: And now?\n\n#### Karthik\nKeep changing.\n\n"
        "### Gaurang\nAgreed.\n\n### Qualcomm\nShip it.\n"
    )
    found = speakers_by_heading(note)
    assert found["Karthik"] == "Karthik Rao" and found["Gaurang"] == "Gaurang Mehta"
    assert found["Qualcomm"] is None and found["Moderator: And now?"] is None


def test_a_name_heading_that_opens_on_a_census_first_name_beside_name_headings_names_its_speaker():
    note = "# Talks\n\n## Jeremy Keith\n\nWeb history.\n\n## Evan You\n\nA framework.\n\n## Outro\n\nThanks.\n"
    assert speakers_by_heading(note) == {
        "Talks": None,
        "Jeremy Keith": "Jeremy Keith",
        "Evan You": "Evan You",
        "Outro": None,
    }


def test_front_matter_with_tab_indented_items_is_read_as_yaml():
    note = '---\ntitle: "Gopher Meetup 讲师专访: 王小明"\ntags: [\n\t"golang",\n]\n---\n\n## 自我介绍\n\n我是一名工程师。\n'
    chunk = parse_note(note, "n.md").chunks[0]
    assert chunk.title == "Gopher Meetup 讲师专访: 王小明" and chunk.speaker == "王小明"


def test_a_recaps_paragraphs_each_bringing_the_next_talk_name_their_speakers():
    note = (
        "# 議程\n\n第一位由 Acme — 李明 (lm)為我們介紹查證系統\n\n- 收消息的人\n\n---\n\n"
        "再來就是某大學的 王芳 教授為我們帶來 設計原則\n\n1. 確認需求\n"
    )
    assert [who for _, who in talks(note)] == ["李明", "王芳"]


def test_the_word_for_speaker_a_dash_and_a_name_in_a_talks_prose_names_its_speaker():
    note = "# 介紹\n\nLINE MUSIC 是一個服務，講者 - Wei 在本次社群分享中談 Golang 的細節\n\n## 小結\n\n很棒。\n"
    assert speakers_by_heading(note) == {"介紹": "Wei", "小結": "Wei"}


def test_people_listed_under_an_attendees_heading_are_no_speakers_even_in_its_sub_sections():
    note = (
        "## Attendees\n\n### Talkers\n\n- 李明：某公司创始人\n- 王芳：某大学教授\n\n"
        "## Talks\n\n### 1 对话设计\n\n王芳，某大学教授。研究对话。\n"
    )
    found = speakers_by_heading(note)
    assert found["Talkers"] is None and found["1 对话设计"] == "王芳"


def test_a_recap_sentence_opening_on_who_presents_starts_their_talk_mid_paragraph():
    note = (
        "## Afternoon\n\nMaria Rossi from Example Museum presented casts of statues.\n\n"
        "The archive project came next. Ken Tanaka gave us an overview of the archive.\n\n"
        "Greta Lindqvist discussed old atlases.\n"
    )
    assert [who for _, who in talks(note)] == ["Maria Rossi", "Ken Tanaka", "Greta Lindqvist"]


def test_a_track_hosts_remarks_name_each_talks_speaker_in_its_first_sentence():
    note = (
        "# Track\n\nThemes of the day.\n\n### Scaling a database\n\nThe first speaker was Ameet Rao from Acme. He "
        "builds databases.\n\n### Recovering data\n\nKristina Bellamy is a software engineer who works on data "
        "integrity.\n\n### Old maps\n\nAlan Turing was a mathematician, and maps are old.\n"
    )
    found = speakers_by_heading(note)
    assert found["Scaling a database"] == "Ameet Rao" and found["Recovering data"] == "Kristina Bellamy"
    assert found["Old maps"] is None  # a person's bio with no role of a speaker


def test_a_word_beside_a_title_in_two_scripts_is_no_name_and_a_sharers_self_introduction_names_the_note():
    note = (
        "---\ntitle: 第 9 期 Go Modules\nauthor: 王芳\n---\n\n## 内容大纲\n\n* Go Modules 简介\n* 快速迁移\n\n"
        "## 分享者自我介绍\n\n李明，从事 Go 语言开发 4 年。\n\n## 分享时间\n\n2019-09-26\n"
    )
    found = speakers_by_heading(note)
    assert found["内容大纲"] == found["分享者自我介绍"] == found["分享时间"] == "李明"


def test_a_programme_line_opening_on_a_time_range_names_its_speaker():
    found = from_heading("9:20-10:01 《机器学习的应用》-李明，某公司机器学习专家")
    assert found and found[0] == [("李明", "某公司机器学习专家")]
