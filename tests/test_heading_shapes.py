"""Speakers from a heading's short name side and from bold talk headings opening paragraphs and list items; and
the topic headings of the same shapes that name no one. Small notes written for these tests."""

from __future__ import annotations

from rag.heading_names import from_bold_opening, from_heading
from rag.notes import parse_note


def speaker_at(text: str, line: int) -> str | None:
    return next(c.speaker for c in parse_note(text, "note.md").chunks if c.start <= line <= c.end)


def test_a_heading_split_into_a_short_name_and_a_title_names_the_speaker():
    assert from_heading("霍启航 《移动端调试的实践》") == ([("霍启航", None)], "《移动端调试的实践》")
    assert from_heading("霍启航 ：《移动端调试的实践》")[0] == [("霍启航", None)]
    assert from_heading("Caching at Scale | Tamsin Hale (9:45am)") == ([("Tamsin Hale", None)], "Caching at Scale")
    assert from_heading("Dr. Orla Venn (Acme Labs): Query Planning Deep Dive")[0] == [("Orla Venn", "Acme Labs")]
    assert from_heading("岑晓舟（某研究院）：超算调度")[0] == [("岑晓舟", "某研究院")]
    # Two speakers after the title's dash, then where they work.
    assert from_heading("Iterative design at Fairfax - Dina Gohil & Lucy Burton, Fairfax Media") == (
        [("Dina Gohil", "Fairfax Media"), ("Lucy Burton", "Fairfax Media")],
        "Iterative design at Fairfax",
    )


def test_a_heading_whose_short_side_is_no_name_names_no_one():
    for heading in (
        "HRNet：高分辨率表示",
        "模型压缩",
        "庖丁解牛——认识文献信息检索",
        "Getting Started: Installing Python",
        "Session 1 - Deep Learning",
        "花絮 《会场照片》",
        "Empire JS | 05.05.2014",
        "Go Concurrency | Kubernetes Operators",  # two capitalised words, but no clear name
        "Python (3.12) New Features",
        "Caching - Redis & Memcached, compared",
    ):
        assert from_heading(heading) is None, heading


def test_bold_talk_headings_opening_paragraphs_split_a_section_into_talks():
    note = (
        "# 参会记录\n\n### 报告亮点\n\n**Dr. Orla Venn(Acme): Scaling Training Clusters**。介绍了集群。\n\n"
        "这些集群很激动人心。\n\n**岑晓舟（某研究院）：超算互联网**。描绘了蓝图。\n\n"
        "**柯一帆（北航）：细粒度值分析工具**。回顾了发展历程。\n"
    )
    assert speaker_at(note, 5) == "Orla Venn"
    assert speaker_at(note, 7) == "Orla Venn"
    assert speaker_at(note, 9) == "岑晓舟"
    assert speaker_at(note, 11) == "柯一帆"
    assert from_bold_opening("**注意（重要）**：会场在二楼。") == []
    assert from_bold_opening("**Jane Roe** opened the day.") == []  # a bold name alone is bold_opening()'s


def test_numbered_items_opening_with_a_bold_name_and_organisation_are_a_programme():
    note = (
        "# 活动\n\n## 记要\n\n"
        "  1. **冉思远(正点科技) [浅谈开发](http://x/1)**\n\n    * **幻灯:**[浅谈开发](http://x/1)\n\n    * 内容。\n\n"
        "  2. **邝子健(某网络)  [需求分析](http://x/2)**\n\n    * 内容。\n\n"
        "  3. **Zoom.Quiet(某网络) 年会汇报**\n\n    * 内容。\n"
    )
    assert speaker_at(note, 5) == "冉思远"
    assert speaker_at(note, 11) == "邝子健"
    assert speaker_at(note, 15) is None  # like the others, but no name: no one's rather than the talk above's


def test_numbered_items_with_notes_under_them_are_talks_headed_by_their_first_line():
    note = (
        "# 有趣的session\n1.  OpenQA\n    和工程师聊了聊测试框架。\n    它也能抓串口数据。\n\n"
        "2.  unikernel introduction and demo. by Tamsin Hale(Acme)\n\n    *   作为微服务运行。\n    *   演示很顺利。\n\n"
        "3.  区块链\n    *   有三个相关的talk。\n"
    )
    assert speaker_at(note, 3) is None
    assert speaker_at(note, 8) == "Tamsin Hale"
    assert speaker_at(note, 12) is None
    points = "# 要点\n1.  缓存\n    *   命中率。\n2.  分片\n    *   重建。\n3.  区块链\n    *   共识。\n"
    assert all(chunk.speaker is None for chunk in parse_note(points, "note.md").chunks)


def test_a_name_after_a_headings_last_comma_is_the_speaker():
    assert from_heading("Scaling Message Queues, Orla Venn") == ([("Orla Venn", None)], "Scaling Message Queues")
    assert from_heading("Query Planning - a deep dive, Tamsin Hale")[0] == [("Tamsin Hale", None)]
    note = (
        "# Rails Day\n\n### *Caching Layers* - [Tamsin Hale](https://example.org/th)\n\n* caches\n\n"
        "### *Background Jobs*, [Orla Venn](https://example.org/ov)\n\n* queues\n\n### Deploying, [Bram Kessel](u)\n\n* ci\n"
    )
    assert [speaker_at(note, line) for line in (5, 9, 13)] == ["Tamsin Hale", "Orla Venn", "Bram Kessel"]


def test_a_comma_before_no_clear_name_names_no_one():
    for heading in (
        "Paris, France",
        "Attention Is All You Need, Google Brain",
        "Deep Learning, Part Two",
        "Summary, Next Steps",
        "Monday, June 15",
        "模型压缩，量化训练",
        "HRNet：高分辨率表示, 第二部分",
        "next_talk, next_speaker",
    ):
        assert from_heading(heading) is None, heading


def test_a_name_spelled_by_the_handle_after_it_is_the_speaker_even_when_its_words_are_common():
    # "Wheeler" alone is a dictionary word; the handle that spells the name says it is a person's.
    found = from_heading("11:30am Betting on Mobile Apps by Ken Wheeler @ken_wheeler")
    assert found == ([("Ken Wheeler", None)], "11:30am Betting on Mobile Apps")
    assert from_heading("Streams Everywhere by Mark Baker (@markbaker)")[0] == [("Mark Baker", None)]


def test_a_handle_that_spells_no_first_and_last_name_names_no_one():
    assert from_heading("Betting on React Native @reactnative") is None
    # "Bakery" is a word and no common surname, and the handle is not the name.
    assert from_heading("Release notes by Mark Bakery @bakery_team") is None


def test_a_title_closed_by_a_lower_case_handle_names_its_speaker():
    found = from_heading("1.4 understanding the interface @francesc")
    assert found == ([("francesc", None)], "1.4 understanding the interface")
    assert from_heading("Kafka at Acme @scale") is None  # an English word
    assert from_heading("Betting on React Native @reactnative") is None  # the title's project


def test_a_product_name_with_an_inner_capital_is_no_name_in_a_keynote_heading():
    heading = "Keynote: Phoenix LiveView - Interactive Apps by Chris McCord"
    assert from_heading(heading)[0] == [("Chris McCord", None)]


def test_a_handle_alone_under_a_talk_heading_is_its_speaker():
    note = (
        "# Built With Love: Why Developer Experience Matters\n@amy_dev\nlots of companies invest in UX.\n\n"
        "# Building Web Apps That Work\n\n@rfharper\n\nslides will be online\n\n"
        "# Lunch\n\nsee @amy_dev on twitter for the slides\n"
    )
    assert speaker_at(note, 3) == "@amy_dev"
    assert speaker_at(note, 9) == "@rfharper"
    assert speaker_at(note, 13) is None  # a handle inside a sentence names no speaker


def test_a_name_alone_on_the_first_line_over_a_handle_or_role_is_the_speaker():
    note = (
        "# Day 1\n\n## 1030 - What impact will you have?\n\nCalvin Hendryx-Parker\n[@calvinhp](https://twitter.com/x)\n"
        "Co-founder & CTO at Six Feet Up\n\n- ten projects by 2025\n\n"
        "## 1110 - The admin is your oyster\n\nAdrienne Franke (pronounced like Frankie)\n@adriennefranke\n\n- templates\n\n"
        "## 1200 - Lunch\n\nGrace Hopper\nonce said that ships are safe in harbour, but that is not what ships are for.\n"
    )
    assert speaker_at(note, 5) == "Calvin Hendryx-Parker"
    assert speaker_at(note, 9) == "Calvin Hendryx-Parker"
    assert speaker_at(note, 13) == "Adrienne Franke"
    assert speaker_at(note, 19) is None  # a sentence wrapped after a name: a quotation, no byline


def test_one_talk_by_item_among_a_talks_notes_names_its_speaker():
    note = (
        "# Day one\n\n## [Playing with engineering](https://example.org/v)\n\nAnother inspiring talk. She shows that "
        "engineering can be fun. It is her research. Kids love it. So do adults. Try it.\n\n"
        "- Playful learning lab\n- Talk by AnnMarie Thomas\n- play is about process\n\n"
        "## Videos to watch\n\n- Talk by Jane Roe on caching\n- Talk by John Smith on queues\n\n"
        "## Interesting sessions\n\n1. OpenQA, a test tool.\n2. unikernel demo. by Amir Chaudhry(docker)\n"
    )
    assert speaker_at(note, 6) == "AnnMarie Thomas"  # two census first names run together
    assert speaker_at(note, 13) is None  # several talks listed: none is this section's
    assert speaker_at(note, 18) is None  # "by" inside an item's text is no byline of the section
