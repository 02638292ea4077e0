"""More speaker styles found in real notes: tables, brackets, bylines, prose, titles, list-item programmes,
and the look-alikes that name no one. Small notes written for these tests."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading, from_title
from rag.name_lines import from_list_item, from_opening_line
from rag.notes import parse_note
from rag.speakers import is_chinese_name, split_people
from rag.tables import same_title, speaker_rows


def people_by_heading(text: str) -> dict[str, tuple[str, ...]]:
    """Last heading → people of its first chunk."""
    found: dict[str, tuple[str, ...]] = {}
    for chunk in parse_note(text, "note.md").chunks:
        found.setdefault(chunk.headings[-1] if chunk.headings else "", chunk.people)
    return found


def people_by_line(text: str) -> dict[int, tuple[str, ...]]:
    """First line of each chunk → its people."""
    return {chunk.start: chunk.people for chunk in parse_note(text, "note.md").chunks}


def test_a_schedule_tables_speaker_column_names_the_sections_of_its_talks():
    note = (
        "# 研讨会\n\n## 日程\n\n| 时间 | 报告题目 | 讲者 |\n|---|---|---|\n| 9:00 | 图神经网络的泛化 | 欧阳明 |\n"
        "| 10:00 | **视觉定位** | 周小川（某研究院） |\n\n## 报告一：图神经网络的泛化\n\n内容。\n\n## 视觉定位\n\n内容。\n"
        "\n## 茶歇\n\n休息。\n"
    )
    found = people_by_heading(note)
    assert found["报告一：图神经网络的泛化"] == ("欧阳明",)
    assert found["视觉定位"] == ("周小川",)
    assert found["茶歇"] == () and found["日程"] == ()  # the schedule itself names many: no one's section


def test_a_details_table_row_names_its_sections_speaker_and_other_columns_do_not():
    details = "# 分享\n\n## 流式计算\n\n| 讲者 | 陈小平 |\n|---|---|\n| 单位 | 某公司 |\n\n内容。\n"
    assert people_by_heading(details)["流式计算"] == ("陈小平",)
    one_talk = "## Query planning\n\n| Speaker | Title |\n|---|---|\n| Jane Roe | Planning |\n\nText.\n"
    assert people_by_heading(one_talk)["Query planning"] == ("Jane Roe",)
    no_speaker = "## Results\n\n| Model | Accuracy |\n|---|---|\n| ResNet | 76.1 |\n\nText.\n"
    assert people_by_heading(no_speaker)["Results"] == ()


def test_table_rows_and_titles():
    lines = [
        "| Time | Talk | Speakers |",
        "|:--|:--|--:|",
        "| 9:00 | [Caching](x.md) | Jane Roe & John Smith |",
        "text",
    ]
    rows = speaker_rows(lines, 1, 4)
    assert [(r.line, r.title, r.speakers) for r in rows] == [(3, "Caching", "Jane Roe & John Smith")]
    assert same_title("报告二：视觉定位方法", "视觉定位方法") and not same_title("总结", "总结与展望报告")
    # Header cells in two languages.
    bilingual = ["| 时间/Time | 报告题目/Title | 报告人/Speaker | 单位/Affiliation |", "|---|---|---|---|"]
    bilingual += ["| 8:30 | Ocean models | 韦建华 | 某大学 |"]
    assert [(r.title, r.speakers) for r in speaker_rows(bilingual, 1, 3)] == [("Ocean models", "韦建华")]
    assert speaker_rows(["| 模型/Model | 精度/Accuracy |", "|---|---|", "| ResNet | 76.1 |"], 1, 3) == []


@pytest.mark.parametrize(
    ("heading", "people", "title"),
    [
        ("报告一：深度学习的可解释性（张小明，某大学）", ["张小明"], "报告一：深度学习的可解释性"),
        ("10:00 Scaling Postgres (Jane Roe)", ["Jane Roe"], "10:00 Scaling Postgres"),
        ("刘洋 —— 机器翻译的未来", ["刘洋"], ""),
        ("Jane Roe of Acme Labs", ["Jane Roe"], ""),
        ("Jane Roe (@jroe) - Scaling Postgres", ["Jane Roe"], ""),
        ("John Smith (Acme)", ["John Smith"], ""),
    ],
)
def test_more_heading_shapes(heading, people, title):
    found = from_heading(heading)
    assert found is not None and [name for name, _ in found[0]] == people and found[1] == title


@pytest.mark.parametrize(
    "heading",
    [
        "Getting Started: Installing Python",
        "About CppCon (2018):",
        "沙龙内容",
        "模型压缩（上）",
        "Caching (Part 2)",
        "Design of Distributed Systems",
        "庖丁解牛——认识检索",
    ],
)
def test_headings_that_look_like_those_but_name_no_one(heading):
    found = from_heading(heading)
    assert found is None or not found[0]


@pytest.mark.parametrize(
    ("title", "people"),
    [
        ("图像分割-MIT张小伟", ["张小伟"]),
        ("Scaling Postgres | Jane Roe", ["Jane Roe"]),
        ("Scaling Postgres - Jane Roe", ["Jane Roe"]),
        ("Notes on CNNs - Part 2", []),
        ("Trip report: CppCon 2018", []),
        ("读书笔记 | 深度学习", []),
    ],
)
def test_a_notes_title_names_its_speaker(title, people):
    assert [name for name, _ in from_title(title)] == people


def test_the_title_names_the_speaker_of_the_whole_note_unless_a_field_does():
    note = "---\ntitle: 图像分割-MIT张小伟\n---\n\n## 背景\n\n内容。\n"
    assert people_by_heading(note)["背景"] == ("张小伟",)
    fielded = "---\ntitle: 图像分割-MIT张小伟\nspeaker: 李小华\n---\n\n## 背景\n\n内容。\n"
    assert people_by_heading(fielded)["背景"] == ("李小华",)


@pytest.mark.parametrize(
    ("line", "person", "org"),
    [
        ("首先是来自某大学的刘小洋老师带来的报告《机器翻译》，讲得很好。", "刘小洋", "某大学"),
        ("接着由来自某研究院的周小明博士分享了他的工作", "周小明", "某研究院"),
        ("Jane Roe from Acme talked about scaling databases.", "Jane Roe", "Acme"),
        ("Next up was Jane Roe, who presented a demo.", "Jane Roe", None),
    ],
)
def test_a_talks_first_sentence_names_its_speaker_in_prose(line, person, org):
    assert from_opening_line(line) == [(person, org)]


@pytest.mark.parametrize("line", ["王老师介绍了三种方法。", "本文介绍了三种方法。", "我们分享了经验。"])
def test_prose_that_names_no_speaker(line):
    assert from_opening_line(line) == []


def test_a_linked_name_in_brackets_closing_a_heading():
    note = "## Scaling Postgres ([Jane Roe](https://example.org/jr))\n\nSome text.\n"
    assert people_by_heading(note)["Scaling Postgres (Jane Roe)"] == ("Jane Roe",)


def test_an_emphasized_byline_under_the_heading_names_the_speaker():
    note = "## Scaling Postgres\n\n*Jane Roe, Acme*\n\nSome text.\n"
    assert people_by_heading(note)["Scaling Postgres"] == ("Jane Roe",)
    plain = "## Scaling Postgres\n\nJane Roe, Acme\n\nSome text.\n"  # no role word, no emphasis: prose
    assert people_by_heading(plain)["Scaling Postgres"] == ()


def test_a_comma_list_of_panelists_names_them_all_but_an_affiliation_is_no_person():
    assert [n for n, _ in split_people("Jane Roe (Acme), John Smith (Zed)")] == ["Jane Roe", "John Smith"]
    assert [n for n, _ in split_people("张小明，李小华")] == ["张小明", "李小华"]
    assert split_people("Kenji Tanaka, Tokyo Tech") == [("Kenji Tanaka", "Tokyo Tech")]
    assert [n for n, _ in split_people("谢小曦，华为")] == ["谢小曦"]


def test_a_label_inside_a_paragraph_names_the_notes_speaker():
    note = "---\ntitle: 讲座\n---\n\n# 介绍\n\n这期讲座在周三举行。主讲人是某大学教授，华国锋。题目很有趣。\n\n# 正文\n\n内容。\n"
    found = people_by_heading(note)
    assert found["介绍"] == ("华国锋",) and found["正文"] == ("华国锋",)


def test_a_speakers_heading_listing_guests_names_all_of_them_for_the_whole_note():
    note = (
        "本期讨论会议经验。\n\n- 主持人：郝云\n\n# 嘉宾简介\n\n- [雷军 PhD](https://example.org/a), 某大学\n"
        "- [陈静](https://example.org/b), 某公司\n\n# 总结\n\n会议前要准备。\n"
    )
    assert set(people_by_heading(note)["总结"]) == {"雷军", "陈静", "郝云"}
    no_preamble = "# 嘉宾简介\n\n- [雷军](https://example.org/a), 某大学\n- 陈静，某公司\n\n# 总结\n\n内容。\n"
    assert people_by_heading(no_preamble)["总结"] == ("雷军", "陈静")


def test_list_items_naming_a_person_split_a_programme_into_talks():
    note = (
        "# 活动\n\n### 流水账\n\n- 暖场\n    + 开场介绍\n- 使用 Yolo 做人流分析\n    + 姜文, 某公司研发工程师\n"
        "    + 讲了检测框架\n- MicroPython 硬件开发\n    + 黄磊 ~ 硬件极客\n    + 展示了十几种开发板\n"
    )
    by_line = people_by_line(note)
    assert by_line[7] == ("姜文",) and by_line[10] == ("黄磊",)
    assert by_line[3] == ("姜文", "黄磊")  # before the first talk: the programme's people


@pytest.mark.parametrize(
    ("item", "person"),
    [("黄磊 ~ 硬件极客", "黄磊"), ("张璐 @zl23", "张璐"), ("Jane Roe @jroe", "Jane Roe"), ("暖场", None)],
)
def test_list_items_that_are_a_person(item, person):
    found = from_list_item(item)
    assert (found[0][0] if found else None) == person


def test_four_characters_are_a_name_only_with_a_two_character_surname():
    assert not is_chinese_name("沙龙内容")
    assert is_chinese_name("欧阳明")


def test_a_schedule_table_without_outer_pipes_makes_each_unheaded_row_a_talk():
    note = (
        "# Conf\n\n## Day One\n\nTalk Title | Speaker | Slides\n---- | --- | ---\n"
        "Caching at scale | [Jane Roe](https://example.org/jr) | [Link](x)\n"
        "Knitting for coders | [John Smith](https://example.org/js) |\n\n## Links\n\nMore.\n"
    )
    by_line = people_by_line(note)
    assert by_line[7] == ("Jane Roe",) and by_line[8] == ("John Smith",)
    assert by_line[3] == ()  # the heading and header rows before the first talk are no one's
    assert people_by_heading(note)["Links"] == ()


def test_a_paragraph_signed_with_a_name_and_handle_is_that_persons_talk():
    note = (
        "## Day 1\n\nKeynote: A Guide to Web Servers (Slides)\nJane is the author of a server.\nJane Roe @jroe\n\n"
        "- notes on the talk\n\nScaling with Threads\nJohn works on runtimes.\nJohn Smith @jsmith\n\n- more notes\n"
        "\n> Project Complexity\n> Anita left banking in 2013.\n> Anita Jaszewska @anita_jaszewska\n\n- last notes\n"
    )
    by_line = people_by_line(note)
    assert by_line[1] == ("Jane Roe",) and by_line[9] == ("John Smith",)
    assert by_line[15] == ("Anita Jaszewska",)  # a quoted schedule entry; a handle with an underscore


def test_a_keynote_label_names_a_speaker_only_when_a_name_follows():
    assert people_by_heading("## Day\n\nKeynote: Jane Roe\n\nText.\n")["Day"] == ("Jane Roe",)
    assert people_by_heading("## Day\n\nKeynote: A Guide to Web Servers\n\nText.\n")["Day"] == ()


def test_the_line_under_a_notes_only_title_names_its_speaker():
    note = "# How We Test Games\n\nJane Roe, Acme\n\n## The Problem\n\nText.\n\n## Solutions\n\nText.\n"
    assert people_by_heading(note)["Solutions"] == ("Jane Roe",)
    course = "# Lecture 3\n\nTax Planning, Basics\n\n## Income\n\nText.\n"
    assert people_by_heading(course)["Income"] == ()


def test_a_heading_of_two_people_and_a_list_of_terms_that_is_no_programme():
    found = from_heading("Jane Roe and Ben Smith")
    assert found is not None and [n for n, _ in found[0]] == ["Jane Roe", "Ben Smith"]
    assert from_heading("Tips and Tricks") is None
    terms = "## Income\n\n* Taxable Capital Gains (127)\n* Retirement Allowances (56)\n* Other Income\n"
    assert people_by_heading(terms)["Income"] == ()


@pytest.mark.parametrize(
    ("line", "person"),
    [
        ("Jane Roe's session on bitcoin was a very intriguing one.", "Jane Roe"),
        ("Jane Roe of the across-the-street Acme Group gave " + "an excellent talk on hiring, " * 8, "Jane Roe"),
    ],
)
def test_prose_openers_with_a_possessive_or_a_long_sentence(line, person):
    assert from_opening_line(line)[0][0] == person


def test_a_guests_heading_with_a_colon_names_the_whole_panel_note():
    note = (
        "---\ntitle: 第12期：科研与生活\n---\n\n- 时间：周三晚上\n- 主持：线上\n\n介绍这期访谈。\n\n# 特邀嘉宾：\n\n"
        "- [欧阳明](https://example.org/a) 博士，某大学 教授\n\n- [周小川](https://example.org/b) 博士，某研究院\n\n"
        "# 议题：\n\n- 工作与生活\n\n# 视频\n\n即将上线\n"
    )
    found = people_by_heading(note)
    assert found["特邀嘉宾："] == ("欧阳明", "周小川")
    assert found["议题："] == ("欧阳明", "周小川") and found["视频"] == ("欧阳明", "周小川")


def test_a_topic_heading_ending_in_a_colon_lists_no_guests():
    note = "# 议题：\n\n- 工作与生活\n- 职业发展\n\n# 模型压缩：\n\n- 剪枝\n- 量化\n"
    assert set(people_by_heading(note).values()) == {()}


def test_a_line_of_fields_between_bars_under_a_heading_names_its_speaker():
    note = (
        "## 20240301 Data Day\nKeynote | Hall A | 数据治理：从何开始？ | Prof. Orla Venn | 某大学, 数据实验室\n\n- 要点\n\n"
        "## 20240302 Cloud Day\nPanel | Hall B | Serverless Everything | Google Cloud | Acme Corp\n\n- 要点\n"
    )
    found = people_by_heading(note)
    assert found["20240301 Data Day"] == ("Orla Venn",)
    assert found["20240302 Cloud Day"] == ()  # no field is a clear name


def test_a_persons_talk_heading_names_them_but_an_attendee_list_and_a_salon_do_not():
    note = (
        "# 沙龙\n\n## 参会人员\n\n* 韩书宁\n* 周既明\n\n## 韩书宁的分享\n\n缓存的设计。\n\n"
        "## 周既明老师的报告\n\n分布式锁。\n\n## 本次的分享\n\n总结。\n"
    )
    found = people_by_heading(note)
    assert found["韩书宁的分享"] == ("韩书宁",) and found["周既明老师的报告"] == ("周既明",)
    assert found["沙龙"] == found["参会人员"] == found["本次的分享"] == ()


def test_a_quoted_tweets_credit_names_no_speaker_and_entities_read_as_characters():
    note = (
        "# Conf\n\n## Reactions\n\n<p>Great talk!</p>&mdash; Lena Ortiz (@lortiz) <a href='x'>Jan 2</a>\n\n"
        "Loved it &mdash; really.\n\n## Keynote\n\nLena Ortiz (@lortiz) showed the new engine.\n"
    )
    chunks = parse_note(note, "note.md").chunks
    assert people_by_heading(note)["Reactions"] == ()
    assert people_by_heading(note)["Keynote"] == ("Lena Ortiz",)
    assert "Loved it — really." in chunks[1].text and "&mdash;" not in chunks[1].text
