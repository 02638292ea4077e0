"""Speakers wherever notes put them, on small notes written for these tests (and what is no speaker)."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading
from rag.name_lines import from_opening_line
from rag.notes import parse_note
from rag.speakers import is_person, split_people


def sections(text: str) -> dict[str, tuple[str | None, str | None, tuple[str, ...]]]:
    """Last heading → (speaker, affiliation, people) of its first chunk."""
    found: dict[str, tuple[str | None, str | None, tuple[str, ...]]] = {}
    for chunk in parse_note(text, "note.md").chunks:
        found.setdefault(chunk.headings[-1] if chunk.headings else "", (chunk.speaker, chunk.affiliation, chunk.people))
    return found


@pytest.mark.parametrize(
    ("line", "speaker", "affiliation"),
    [
        ("【讲者】**冯佳时**(National University of Singapore)", "冯佳时", "National University of Singapore"),
        ("演讲人：张三丰，武当科技", "张三丰", "武当科技"),
        ("**讲师：李小龙**", "李小龙", None),
        ("分享讲师： 某某公司，王大锤", "王大锤", "某某公司"),
        ("演讲人是来自百度的雷大海", "雷大海", "百度"),
        ("主讲人为赵小明（清华大学）", "赵小明", "清华大学"),
        ("讲者为大家介绍了模型压缩的进展", None, None),  # prose: no name follows 为
        ("Prsenter: Maria Lopez (Univ. of Somewhere)", "Maria Lopez", "Univ. of Somewhere"),  # misspelt label
        ("Presents: the new results", None, None),
        (
            "第三位演讲者：Adam Smithson（某某大学（Some University）主任）",
            "Adam Smithson",
            "某某大学（Some University）主任",
        ),
        ("Presenter: Maria Lopez (Univ. of Somewhere)", "Maria Lopez", "Univ. of Somewhere"),
        ("* speaker: Joel Smithers", "Joel Smithers", None),
        ("Speaker: Prof. Kenji Tanaka, Tokyo Tech", "Kenji Tanaka", "Tokyo Tech"),
        ("报告人：赵小明教授（清华大学）", "赵小明", "清华大学"),
        ("*Keynote: Ada Lovelace (Analytical Engines)*", "Ada Lovelace", "Analytical Engines"),
    ],
)
def test_label_lines(line, speaker, affiliation):
    found = sections(f"# Talk one\n\n{line}\n\nSome text about the talk.\n")["Talk one"]
    assert found[:2] == (speaker, affiliation)


def test_org_first_and_from_org():
    assert split_people("来自百度的雷大海") == [("雷大海", "百度")]
    assert split_people("平安科技 柴小锋、高小云") == [("柴小锋", "平安科技"), ("高小云", None)]


def test_two_presenters_on_one_line_are_both_people():
    found = sections("### A talk\n\nPresenter: Ana Silva (INBO) & Bert Jansen (VIB)\n\nText.\n")["A talk"]
    assert found == ("Ana Silva", "INBO", ("Ana Silva", "Bert Jansen"))


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("[Keynote] Concepts for Everyone - Ada Lovelace - ★★★:", "Ada Lovelace"),
        ('"Freedom in Software" by Grace M. Hopper', "Grace M. Hopper"),
        ("大模型的未来 —— 王小明（某某大学）讲座摘录", "王小明"),
        ("Data Pipelines at Scale - Tim Hirschfeld (GBIF) keynote", "Tim Hirschfeld"),
        ("王小明：如何写好一篇论文", "王小明"),
        ("Better Builds using Learning - Nicolas Fleur and Mathieu Nayrol", "Nicolas Fleur"),
    ],
)
def test_speaker_in_the_heading(heading, speaker):
    found = sections(f"## {heading}\n\nWhat was said.\n")
    assert next(iter(found.values()))[0] == speaker


@pytest.mark.parametrize(
    "heading",
    [
        "HRNet：高分辨率网络",
        "模型压缩",
        "庖丁解牛——认识文献信息检索",
        "Session 2 - EBR 1",
        "Nelle's Pipeline: Creating a Script",
        "Tips and Tricks - Java Memory",
        "Lottery Ticket Hypothesis",
    ],
)
def test_headings_that_name_no_person(heading):
    assert from_heading(heading) is None or not from_heading(heading)[0]
    assert all(speaker is None for speaker, _, _ in sections(f"# {heading}\n\nText here.\n").values())


def test_dash_line_under_a_title_but_not_a_quotation_credit():
    text = "# 从零开始写论文\n\n—李小红 某研究所研究员\n\n## 复盘\n\n> 一句名言\n—Henri Bergson\n\n正文。\n"
    found = sections(text)
    assert found["从零开始写论文"][:2] == ("李小红", "某研究所研究员")
    assert found["复盘"][0] == "李小红"  # inherited, not the quotation's author


def test_bare_bullet_name_under_a_talk_heading():
    text = "# Conf\n\n## Scalable services\n\n> A quote.\n\n- 45 min, backend\n- Jiří Novák\n\nNotes.\n"
    assert sections(text)["Scalable services"][0] == "Jiří Novák"
    listing = "# Reading\n\n- Lottery Ticket Hypothesis\n- Rethinking Network Pruning\n"
    assert sections(listing)["Reading"][0] is None


def test_front_matter_speaker_fields_but_not_authors():
    text = "---\ntitle: Week 5\nlecturer: Alfred Canzoni\nauthors: [A Writer, B Writer]\ntranslator: C Writer\n---\n\n## Part\n\nText.\n"
    assert sections(text)["Part"][0] == "Alfred Canzoni"
    authors_only = "---\ntitle: Notes\nauthor: Dana Writer\n---\n\n## Part\n\nText.\n"
    assert sections(authors_only)["Part"][0] is None
    # Hugo's TOML front matter between +++ lines reads the same.
    toml = '+++\ntitle = "Week 5"\nspeakers = ["Alfred Canzoni"]\nauthor = ["Dana Writer"]\n+++\n\n## Part\n\nText.\n'
    assert sections(toml)["Part"][0] == "Alfred Canzoni"
    toml_authors_only = '+++\ntitle = "Notes"\nauthor = ["Dana Writer"]\n+++\n\n## Part\n\nText.\n'
    assert sections(toml_authors_only)["Part"][0] is None


def test_first_plain_line_names_the_lecturer_of_a_note_without_front_matter():
    text = "Marc’Aurelio Rossi, Some AI Lab\n\n#Syllabus\n\n##Session 1 - Vision\n\nConvnets.\n"
    found = sections(text)
    assert found["Session 1 - Vision"][:2] == ("Marc’Aurelio Rossi", "Some AI Lab")


def test_glued_and_html_headings_become_sections_but_code_stays_code():
    text = "####主题一：《Go 与 web》\n\n**讲师：翁小伟**\n\n<h3>主题二：《数据库》</h3>\n\n```c\n#include <stdio.h>\n```\n"
    found = sections(text)
    assert found["主题一：《Go 与 web》"][0] == "翁小伟"
    assert "主题二：《数据库》" in found and not any("include" in h for h in found)


def test_host_is_listed_after_the_speakers():
    text = "# Day one\n\n主持人：吴大伟\n\n第一位演讲者：Hugo Larsson（Some Lab）\n\n第二位演讲者：Andrea Karp\n"
    assert sections(text)["Day one"] == ("Hugo Larsson", "Some Lab", ("Hugo Larsson", "Andrea Karp", "吴大伟"))


@pytest.mark.parametrize(
    "text", ["WANG Fei-Yue", "Karen M. Sandler", "兰小艳", "Stephan T. Lavavej", "Elaine van Ommen"]
)
def test_person_shapes(text):
    assert is_person(text)


@pytest.mark.parametrize("text", ["HRNet", "模型压缩", "Deep Learning", "Session Two", "EBR 1", "Scalable backend"])
def test_not_person_shapes(text):
    assert not is_person(text)


def test_a_host_is_listed_but_is_not_the_speaker():
    found = sections("# General\n\n- Host: Anna Verhoeven\n- Date: 25/03\n\nWelcome words.\n")["General"]
    assert found == (None, None, ("Anna Verhoeven",))


def test_an_institution_is_no_person():
    assert not is_person("Naturalis Biodiversity Center")
    assert not is_person("Kavli Institute")


def test_bold_lines_head_the_talks_of_one_section():
    note = (
        "## Mobile\n\n**Blend - hybrid apps**\n\n演讲人是来自百度的雷大海\n\nBlend 是一套组件库。\n\n------\n\n"
        "**乐逗游戏发行平台**\n\n演讲人：余中海\n\n架构经历了三个阶段。\n\n**这句加粗的话是强调。**\n\n后面的文字。\n"
    )
    chunks = parse_note(note, "note.md").chunks
    assert [(c.headings, c.speaker, c.text) for c in chunks] == [
        (("Mobile",), None, "Mobile"),
        (("Mobile", "Blend - hybrid apps"), "雷大海", "Blend 是一套组件库。"),
        # a bold sentence is emphasis, not a heading
        (("Mobile", "乐逗游戏发行平台"), "余中海", "架构经历了三个阶段。\n这句加粗的话是强调。\n后面的文字。"),
    ]


def test_a_heading_repeated_through_the_note_belongs_to_the_talk_above():
    note = "".join(
        f"## Talk {n}\n\n- Speaker: Jan Novak{n}ski\n\n## Keynotes\n\nWhat talk {n} said.\n\n" for n in "ABC"
    )
    by_heading = {c.headings: c.speaker for c in parse_note(note, "note.md").chunks if c.text.startswith("What")}
    assert by_heading == {
        ("Talk A", "Keynotes"): "Jan NovakAski",
        ("Talk B", "Keynotes"): "Jan NovakBski",
        ("Talk C", "Keynotes"): "Jan NovakCski",
    }


def test_speaker_lines_in_turn_split_one_section_into_talks():
    note = (
        "# Day one\n\n第一位演讲者：Hugo Larsson\n\nHe talked about feedforward networks.\n\n"
        "第二位演讲者：Andrej Karlsson\n\nHe talked about convolutional networks.\n"
    )
    chunks = parse_note(note, "note.md").chunks
    assert [(c.speaker, c.people, c.text) for c in chunks] == [
        ("Hugo Larsson", ("Hugo Larsson",), "He talked about feedforward networks."),
        ("Andrej Karlsson", ("Andrej Karlsson",), "He talked about convolutional networks."),
    ]


def test_co_speakers_on_adjacent_lines_share_the_talk():
    note = "# Panel\n\n- Speaker: Maria Lopez\n- Speaker: Kenji Tanaka\n\nThey discussed benchmarks.\n"
    (chunk,) = parse_note(note, "note.md").chunks
    assert (chunk.speaker, chunk.people) == ("Maria Lopez", ("Maria Lopez", "Kenji Tanaka"))


@pytest.mark.parametrize(
    ("heading", "people"),
    [
        ("Keynote: Jane Roe", ["Jane Roe"]),
        ("Life in the Fast Lane: George Varghese", ["George Varghese"]),
        ("Lessons from scaling - [Paul Rogers]", ["Paul Rogers"]),  # a link that lost its URL
        ("Jane Roe @jroe", ["Jane Roe"]),  # the heading is the speaker, with a handle
        ("GraalVM: Java ♥ Python ♥ Micronaut", None),  # a subtitle, not a person
        ("DNS Decentralization", None),
        ("Part 2: Deep Learning", None),
    ],
)
def test_more_speakers_in_headings(heading, people):
    found = from_heading(heading)
    assert (found and [name for name, _ in found[0]]) == (people or None)


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("by Jane Roe", [("Jane Roe", None)]),
        ("Jane Roe (Some University)", [("Jane Roe", "Some University")]),
        ("Jane Roe (Univ A); John Smith (Univ B)", [("Jane Roe", "Univ A"), ("John Smith", "Univ B")]),
        ("Jane Roe - Principal Engineer, Acme", [("Jane Roe", "Principal Engineer, Acme")]),
        ("李四，某公司研发工程师，负责推荐系统。", [("李四", "某公司研发工程师")]),
        ("由张三丰主讲《分布式系统》", [("张三丰", None)]),
        ("香港某某大学张连海教授的报告。", [("张连海", "香港某某大学")]),
        ("Apache Kafka, a streaming platform.", []),  # no role follows: not a person
        ("Yesterday, we talked about models.", []),
        ("HRNet，一种高分辨率网络", []),
    ],
)
def test_speaker_on_the_first_line_of_a_talk(line, people):
    assert from_opening_line(line) == people


def test_first_line_names_the_speaker_of_its_section_only():
    note = "# Day\n\n## Talk one\n\nJane Roe (Some University)\n\nShe talked about caches.\n\n## Talk two\n\nNo name here.\n"
    found = sections(note)
    assert found["Talk one"][0] == "Jane Roe" and found["Talk two"][0] is None


def test_a_speaker_heading_names_the_talk_above():
    note = "# 推荐系统实践\n\n## 分享嘉宾\n\n李四，某公司研发工程师。\n\n## 内容\n\n推荐系统的三个阶段。\n"
    found = sections(note)
    assert found["推荐系统实践"][0] == "李四" and found["内容"][0] == "李四"


def test_a_speaker_heading_with_a_symbol_names_the_talk_above_each_name_with_its_reading():
    note = (
        "# 中国某通（China Someco）\n\n## 📍 演讲人\n- 吴小梅、郑立新（Xiaomei Wu, Lixin Zheng）\n\n"
        "## ✅ 一、已落地的技术\n\n智能体上线。\n\n# 某联（Lianhe）\n\n## 📍 演讲主题\n*Practices*\n"
    )
    found = sections(note)
    assert found["中国某通（China Someco）"][2] == ("吴小梅 Xiaomei Wu", "郑立新 Lixin Zheng")
    assert found["✅ 一、已落地的技术"][0] == "吴小梅 Xiaomei Wu"
    assert found["某联（Lianhe）"][0] is None  # no speaker heading under it


@pytest.mark.parametrize("heading", ["中国联通（China Unicom）", "中国移动（China Mobile）"])
def test_brackets_translating_the_words_before_them_name_no_one(heading):
    assert from_heading(heading) is None


def test_guest_and_host_joined_by_a_cross():
    line = "**讲者**: 张大海(某大学 / Some University,嘉宾) × 李小龙(某公司,主持)"
    found = sections(f"# 访谈\n\n{line}\n\n访谈内容。\n")["访谈"]
    assert found == ("张大海", "某大学 / Some University", ("张大海", "李小龙"))


def test_common_first_and_last_names_are_names():
    assert is_person("John Smith") and is_person("Michael Jordan") and is_person("Zed A. Shaw")
    assert not is_person("Young Talents") and not is_person("Mark Down")


def test_a_bold_title_glued_to_its_paragraph_heads_it():
    note = "# Workshop\n\n**1. 深度森林初探**\n这是由南京大学周志海老师讲述的研究成果。\n\n**2. 图学习**\n北京某大学王立海教授的报告。\n"
    chunks = parse_note(note, "note.md").chunks
    assert [(c.headings[-1], c.speaker) for c in chunks[1:]] == [("1. 深度森林初探", "周志海"), ("2. 图学习", "王立海")]


def test_names_listed_under_an_empty_speakers_label():
    note = (
        "# Meetup\n\nChair: Martin Okafor, Director of Engineering\n\nSpeakers:\n\n"
        "Rachel Ainsley - Community Manager, Some Institute\n\nIan Mulroney - Head of Product, Sage\n\n"
        "Research software is increasingly recognised.\n"
    )
    found = sections(note)["Meetup"]
    assert found == (
        "Rachel Ainsley",
        "Community Manager, Some Institute",
        ("Rachel Ainsley", "Ian Mulroney", "Martin Okafor"),
    )


def test_authors_of_a_paper_present_it_but_the_notes_author_is_no_speaker():
    note = "Author: Note Writerson\n\n# Talks\n\n## Remote sensing\n\nAuthors: **Edda Pebbles** (Univ. X), Anna Angelo\n\nText.\n"
    found = sections(note)
    assert found["Remote sensing"] == ("Edda Pebbles", "Univ. X", ("Edda Pebbles", "Anna Angelo"))
    assert found["Talks"][0] is None


def test_a_speaker_info_heading_takes_a_nickname_and_a_self_introduction_names_the_speaker():
    note = (
        "# 第二场：CSS Grid\n\n### 演讲者信息\n星河。CSS专家、前端技术专家。\n\n### 主要内容\nGrid 的历程。\n\n"
        "# 第三场：Android 新特性\n\n大家好，我叫钟大辉，今天讲隐私。\n"
    )
    found = sections(note)
    assert found["第二场：CSS Grid"][0] == "星河" and found["主要内容"][0] == "星河"
    assert found["第三场：Android 新特性"][0] == "钟大辉"


def test_wiki_links_read_as_their_text_and_a_credits_line_is_no_heading():
    note = "# Share\n\n**编辑：张三||校对：李四**\n\nSee [[people/Jane Roe]] and [[notes/agents|the agents page]].\n"
    (chunk,) = [c for c in parse_note(note, "note.md").chunks if "See" in c.text]
    assert chunk.headings == ("Share",) and "See Jane Roe and the agents page." in chunk.text


def test_the_one_speaker_named_in_a_notes_info_section_gives_the_whole_note():
    note = "# 讲座笔记\n\n## 基本信息\n\n- 分享嘉宾：王小五（某大学博士生）\n- 时间：周六\n\n## 第一部分\n\n内容。\n"
    assert sections(note)["第一部分"][0] == "王小五"
    two_talks = "# 会议\n\n## 报告一\n\n演讲人：王小五\n\n内容。\n\n## 报告二\n\n没有写讲者。\n"
    assert sections(two_talks)["报告二"][0] is None  # one named talk of two: the other's speaker is unknown


def test_a_name_heading_under_a_talk_names_the_talk():
    note = "# Workshop day\n\n## 工作坊：开源治理\n\n### 李小龙\n\n某基金会理事。\n\n### 议程\n\n开源许可证。\n"
    found = sections(note)
    assert found["工作坊：开源治理"][0] == "李小龙" and found["议程"][0] == "李小龙"


def test_a_sub_talk_with_its_own_by_line_has_its_own_speaker():
    note = "# Day\n\n## Android talks\n\nby Jane Roe\n\nIntro.\n\n### Kotlin tips\n\nby John Smith\n\nTips.\n"
    found = sections(note)
    assert found["Android talks"][0] == "Jane Roe" and found["Kotlin tips"][0] == "John Smith"


@pytest.mark.parametrize(
    ("heading", "person"),
    [
        ("《分布式存储实践》-张三丰，某公司 专家", "张三丰"),
        ("Keynote: Bob Crane", "Bob Crane"),
        ("Talk: Deep Learning Basics", None),
    ],
)
def test_book_title_and_label_headings(heading, person):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == person


def test_dictionary_word_phrases_are_no_names():
    assert not is_person("Graduated Status") and not is_person("Performance Auditing")
    assert not is_person("Acme Research Initiative")


def test_an_obsidian_tag_is_no_heading_and_a_bold_line_ends_at_the_next_heading():
    note = "#seminar #notes\n\n**核心亮点：**\n\n- 要点一\n\n## 第一部分\n\n内容一。\n"
    chunks = parse_note(note, "note.md").chunks
    assert [c.headings for c in chunks] == [(), ("核心亮点",), ("第一部分",)]


@pytest.mark.parametrize(
    ("heading", "person", "title"),
    [
        ("Fast Pages - Ann Lee, Advocate at Zed", "Ann Lee", "Fast Pages"),
        ("Bob Ray, CTO, Acme", "Bob Ray", ""),
        ("Ann Lee - Exec Dir - FooOrg", "Ann Lee", ""),  # the name, not the job title
        ('"Title" by David Beazley, Dabeaz LLC', "David Beazley", '"Title"'),
        ("Deep Learning, Part 2", None, None),
        ("Day 1 - Opening - Welcome", None, None),
    ],
)
def test_a_name_then_its_role_in_a_heading(heading, person, title):
    found = from_heading(heading)
    assert (found[0][0][0], found[1]) == (person, title) if person else found is None


def test_a_label_standing_as_a_heading_names_the_talk_and_a_bracket_tag_does_not():
    note = "# 代码分享\n\n### 主讲人：张三丰\n\n内容。\n\n### 要点\n\n更多。\n"
    assert {h: v[0] for h, v in sections(note).items()} == {
        "代码分享": "张三丰",
        "主讲人：张三丰": "张三丰",
        "要点": "张三丰",
    }
    tagged = "# Picks\n\n### [Keynote] Concepts: the future - Bjarne Stroup - ★★\n\nText.\n"
    assert sections(tagged)["Picks"][0] is None


def test_a_speaker_line_with_a_handle_and_a_bold_question_title():
    note = "# Conf\n\n**Is scaling all we need?**\n\nCara Mossley - @cmoss\n\nScaling talk.\n"
    assert sections(note)["Is scaling all we need?"][0] == "Cara Mossley"


def test_traditional_and_joins_two_speakers():
    assert [n for n, _ in split_people("Tom Rayburn 與 Kim Chodorow")] == ["Tom Rayburn", "Kim Chodorow"]


@pytest.mark.parametrize(
    ("heading", "person"),
    [
        ("Qzone 的性能优化 - 黄友坤", "黄友坤"),
        ("Node.js 实践 - 于航", "于航"),
        ("模型压缩 - 方法论", None),
        ("Title - 高性能", None),
    ],
)
def test_a_chinese_name_no_dictionary_spells_after_a_dash(heading, person):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == person


def test_a_line_of_only_names_under_a_talk_heading_names_its_speakers():
    text = (
        "# Presentations\n\n## Curing a Security Bug\nGary Pendleton\n\nA good talk about the fix.\n\n"
        "## The Future Stack\nZack Tolliver, Aaron Jorgen\n\nTwo speakers took turns.\n\n"
        "## Results\nBatch Normalization\n\nIt helps training.\n\n"
        "## Quote\nJohn Smith said caching is hard.\n"
    )
    found = sections(text)
    assert found["Curing a Security Bug"][0] == "Gary Pendleton"
    assert found["The Future Stack"][::2] == ("Zack Tolliver", ("Zack Tolliver", "Aaron Jorgen"))
    assert (found["Results"][0], found["Quote"][0]) == (None, None)  # a term, and a sentence, name no one
