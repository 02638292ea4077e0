"""Speakers named the way recaps and trip reports write them: in the prose opening a talk, one talk after
another in a paragraph, a name with its handle, bold names, affiliation lines, a label after a time, and the
headings Markdown only marks by underlining or inside HTML. Small notes written for these tests."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading, from_title
from rag.name_lines import from_affiliation_lines, from_opening_line
from rag.notes import parse_note
from rag.outline import loose_headings
from rag.prose_speakers import bold_opening, speaker_in_sentence


def speaker_at(text: str) -> dict[int, str | None]:
    """Every line a chunk covers → that chunk's speaker."""
    return {n: c.speaker for c in parse_note(text, "note.md").chunks for n in range(c.start, c.end + 1)}


@pytest.mark.parametrize(
    "sentence, person",
    [
        ("下午的第一场，我听了来自某云公司的 Dana Whitfield 的分享，讲的是备份。", "Dana Whitfield"),
        ("上午的第二场，Oskar Lindqvist 分享了这个主题。", "Oskar Lindqvist"),
        ("演讲人 Priya Raman 是某大学的教授，做存储系统。", "Priya Raman"),
        ("《图上的对比学习》，是北方大学的韩立伟老师带来的，讲得很细。", "韩立伟"),
        ("《流式计算》，该报告由江城大学的邓嘉树，同时也是某实验室主任带来。", "邓嘉树"),
        ("《模糊推理》,这个Talk是东海大学孟庆华教授的，他做了二十年。", "孟庆华"),
        ("西湖的宋启文老师的报告是关于标注噪声的。", "宋启文"),
        ("团队的许振东老师做了《形状分析》，很有意思。", "许振东"),
        ("然后是 罗一鸣 [博客] 同学带来的《用脚本做小游戏》", "罗一鸣"),
        ("本期讲者蒋雨桐提出了一个新系统。", "蒋雨桐"),
        ("接着，来自在社区混迹多年的老哥邝子健，他也维护着中文站，为我们带来了语言特性的对比。", "邝子健"),
        ("Kira Vance (@kiravance) showed how to profile a slow page.", "Kira Vance"),
        ("Caching tricks by Tomas Berg (@tberg) are simple.", "Tomas Berg"),
        ("Good talk. Thanks Elena Sorokina (@elenas)!", "Elena Sorokina"),
        ("Marta Quinlan presenting Query Planning: a tour", "Marta Quinlan"),
        ("The day began with ‘Queues on Postgres’ — by Viktor Hale.", "Viktor Hale"),
        ("某电商公司 Dr. Luo Si 介绍了 AliNLP 的技术优势，支撑了很多业务。", "Luo Si"),
        ("某教育公司的 CEO **Dr.Qiu** 介绍了自适应学习的概念。", "Dr. Qiu"),  # a title: one word is a surname
        ("投资者简报上，某公司 CFO Dana Whitfield 的keynote主题是算力投资。", "Dana Whitfield"),
        ("下一个发言人是来自另一家广告公司 Adnet 的 Oskar Lindqvist。", "Oskar Lindqvist"),
        ("第一位讲者是来自北方大学的韩立伟教授，他讲了图网络。", "韩立伟"),
    ],
)
def test_prose_that_says_who_gives_the_talk(sentence, person):
    assert speaker_in_sentence(sentence) == [(person, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "和 Oskar 吃饭聊天的时候也提到这个话题。",  # a mention, and one name alone
        "他推荐了周文博的《浪潮》这本书。",  # a book's author
        "开场由 Dana Whitfield 与 Oskar Lindqvist 主持，前者是核心组成员。",  # hosts
        "Priya 的分享结束后便是晚宴。",
        "这个会议的分享要有趣得太多了。",
        "来自江城大学的同学们，为我们带来了一段合唱。",  # who came, but no name
        "As Jeff Dean said, scale changes everything.",
        "We missed talks like ‘JSON’ - by Ann Lee, ‘Vacuum’ — by Rolf Stenberg.",  # several: a list in a sentence
        "这篇论文介绍了一种新的压缩方法。",
        "嘉宾是来自某公司的工程师们。",  # where they are from, but no name
        "他在结尾引用了 Dr.Who 的台词。",  # a titled surname, but no talk given
    ],
)
def test_prose_that_names_no_speaker(sentence):
    assert speaker_in_sentence(sentence) == []


def test_a_list_of_talks_to_watch_is_no_ones_talk():
    assert speaker_in_sentence("Fast Queues - by Viktor Hale", list_item=True) == []
    note = "# Trip\n\n## Other talks\n\nWorth a look:\n\n- Fast Queues - by Viktor Hale\n- Vacuum - by Ann Lee\n"
    assert set(speaker_at(note).values()) == {None}


def test_bold_names_opening_a_line():
    assert bold_opening("**Kira Vance** walked us through profiling") == [("Kira Vance", None)]
    two = "<strong>Ann Lee</strong> and <strong>Rolf Stenberg</strong> showed us the planner"
    assert bold_opening(two) == [("Ann Lee", None), ("Rolf Stenberg", None)]
    assert bold_opening("**Note:** slides are online") == []
    assert bold_opening("**Deep Learning** is everywhere") == []


def test_a_talks_first_paragraph_names_its_speaker_in_prose():
    note = (
        "# 大会记录\n\n## 第一天\n\n### 备份的艺术\n\n下午的第一场，我听了来自某云公司的 Dana Whitfield 的分享。"
        "她讲了备份。\n\n### 新硬件\n\n毫不夸张地说，这是最好的一场。演讲人 Priya Raman 是某大学的教授。\n\n"
        "### 晚宴\n\nPriya 的分享结束后便是晚宴，和 Oskar 聊了很多。\n"
    )
    found = speaker_at(note)
    assert found[5] == "Dana Whitfield" and found[9] == "Priya Raman"
    assert found[13] is None  # the dinner names people, but no talk


def test_handles_in_the_prose_under_each_talk_heading():
    note = (
        "# Conf\n\n### Keynote\nRating: 4/5\n\nKira Vance ([@kiravance](https://x.com/kiravance)) opened.\n\n"
        "### Rendering\nRating: 3/5\n\nAbout the GPU. Thanks Tomas Berg ([@tberg](https://x.com/tberg))!\n\n"
        "### SVG\nRating: 5/5\n\nThis speaker really knows her stuff.\n"
    )
    found = speaker_at(note)
    assert (found[3], found[8], found[13]) == ("Kira Vance", "Tomas Berg", None)


def test_a_recap_without_headings_gives_each_talk_its_speaker():
    note = (
        "---\ntitle: 年会总结\n---\n\n两天的报告，收获很多。\n\n"
        "《图上的对比学习》，是北方大学的韩立伟老师带来的，讲了对比学习。\n\n"
        "《流式计算》,由江城大学的邓嘉树教授带来。讲得很细。\n\n"
        "宋启文老师是我们团队出去的老师，报告组织合理。\n"
    )
    found = speaker_at(note)
    assert found[5] is None  # the introduction before the first talk is no one's
    assert (found[7], found[9], found[11]) == ("韩立伟", "邓嘉树", "宋启文")


def test_a_salon_recap_with_a_segment_that_is_no_talk():
    note = (
        "# 沙龙小结\n\n首先是自我介绍。第一个上场的是某公司工程师韩立伟分享的《游戏开发》\n这个主题很受欢迎。\n\n"
        "接着是现场招聘环节，介绍了岗位。\n\n然后是 罗一鸣 [微博] 同学带来的《脚本做游戏》\n演示了一百行代码。\n"
    )
    found = speaker_at(note)
    assert found[4] == "韩立伟" and found[6] is None and found[8] == "罗一鸣"


def test_a_questions_heading_after_a_talk_belongs_to_it():
    note = "# Sketching - Ann Lee - Acme\n\n## Idea\n\ntext\n\n# Questions\n\n- Is it fast?\n  - yes\n"
    found = speaker_at(note)
    assert found[1] == found[7] == "Ann Lee"
    alone = "# Agenda\n\ntext\n\n# Questions\n\n- none\n"
    assert speaker_at(alone)[5] is None


def test_affiliation_lines_under_a_talk_heading():
    lines = ["Ann Lee, Acme Labs  ", "Rolf Stenberg, Zed  ", "", "* [Zed](#zed)"]
    assert from_affiliation_lines(lines) == [("Ann Lee", "Acme Labs"), ("Rolf Stenberg", "Zed")]
    assert from_affiliation_lines(["", "Ann Lee, OCLC", "", "Rolf Stenberg, Zed University", "", "Topics"]) == [
        ("Ann Lee", "OCLC"),
        ("Rolf Stenberg", "Zed University"),
    ]
    assert from_affiliation_lines(["San Jose, CA", "text"]) == []  # a place
    assert from_affiliation_lines(["Apache Kafka, a streaming platform"]) == []


def test_setext_headings_and_rules():
    lines = ["Title", "=====", "", "para two", "---", "", "Topics", "------", "- a", "", "x", "", "---"]
    assert loose_headings(lines) == [
        "# Title",
        "",
        "",
        "para two",
        "---",
        "",
        "## Topics",
        "",
        "- a",
        "",
        "x",
        "",
        "---",
    ]
    note = "Query Planning in Practice\n==========\n\nAnn Lee, Acme Labs\n\nTopics\n------\n\n- joins\n"
    chunks = parse_note(note, "note.md").chunks
    assert [(c.headings, c.speaker) for c in chunks] == [
        (("Query Planning in Practice",), "Ann Lee"),
        (("Query Planning in Practice", "Topics"), "Ann Lee"),
    ]


def test_a_heading_inside_an_html_block_starts_a_talk():
    talk = '<div class="row">\n  <div class="col">\n    <h3><a name="{a}"></a>{t}</h3>\n    <p>\n      {p}\n    </p>\n  </div>\n</div>\n'
    note = "## The talks\n\n" + talk.format(a="k", t="Keynote", p="<strong>Ann Lee</strong> explores the planner.")
    note += "\n" + talk.format(a="r", t="Routing", p="Rolf Stenberg showed us the router.")
    chunks = parse_note(note, "note.md").chunks
    assert [(c.headings[-1], c.speaker) for c in chunks if c.speaker] == [
        ("Keynote", "Ann Lee"),
        ("Routing", "Rolf Stenberg"),
    ]


@pytest.mark.parametrize(
    "heading, people, title",
    [
        ("09:45 演讲者：Stepan Quill 使用React构建应用", [("Stepan Quill", None)], "使用React构建应用"),
        ("10:50 演讲者：邓嘉树 微信开发实践", [("邓嘉树", None)], "微信开发实践"),
        ("Speaker: Jane Roe Caching at Scale", [("Jane Roe", None)], "Caching at Scale"),
    ],
)
def test_a_speaker_label_after_a_time_then_the_title(heading, people, title):
    assert from_heading(heading) == (people, title)


@pytest.mark.parametrize(
    "heading",
    [
        "HRNet：高分辨率表示",
        "模型压缩",
        "庖丁解牛——认识文献信息检索",
        "Getting Started: Installing Python",
        "Linked Data-Driven Discovery: Applications and APIs",
        "09:45 Opening remarks",
        "演讲者：模型压缩 方法",
    ],
)
def test_headings_that_name_no_one(heading):
    assert from_heading(heading) is None


def test_a_title_names_its_speaker_inside_book_title_marks_or_after_a_bar():
    assert from_title("SFFAI 99 | 图学习专题《蒋雨桐：对比学习的边界》") == [("蒋雨桐", None)]
    assert from_title("读书笔记《模型压缩：原理与实践》") == []


def test_a_name_and_colon_opens_a_speakers_introduction():
    assert from_opening_line("蒋雨桐：某大学博士生，研究图学习。", labelled=True) == [("蒋雨桐", None)]
    assert from_opening_line("Note: slides are online", labelled=True) == []
    note = "---\ntitle: 图学习专题\n---\n\n报告题目：对比学习\n\n### 讲者介绍\n\n**蒋雨桐：**某大学博士生。\n\n### 论文推荐\n\n- 一篇\n"
    assert set(speaker_at(note).values()) == {"蒋雨桐"}
