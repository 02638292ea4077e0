"""Speakers from the format a note's talk headings (or the bylines under them) share, and the formats that
name no one. Small notes written for these tests."""

from __future__ import annotations

from rag.notes import parse_note
from rag.templates import Slot, byline_slots, name_shaped, slots


def people_by_heading(text: str) -> dict[str, tuple[str, ...]]:
    """Last heading → people of its first chunk."""
    found: dict[str, tuple[str, ...]] = {}
    for chunk in parse_note(text, "note.md").chunks:
        found.setdefault(chunk.headings[-1] if chunk.headings else "", chunk.people)
    return found


def speaker_at(text: str, line: int) -> str | None:
    return next(c.speaker for c in parse_note(text, "note.md").chunks if c.start <= line <= c.end)


def test_slots_of_the_formats_a_heading_fits():
    assert Slot("name《title", "青禾", "《探索 WebGL》") in slots("青禾：《探索 WebGL》")
    assert Slot("title|name", "Marta Quill", "Sorting") in slots("Sorting | Marta Quill (~2:10pm)")
    assert Slot("title-name", "阿泽", "构建海量页面渲染服务") in slots("构建海量页面渲染服务 - 阿泽")
    assert Slot("name(org)", "Marta Quill", "Khan Academy") in slots("Marta Quill (Khan Academy)")
    assert name_shaped(Slot("name:title", "阿泽", "一个很长的标题"))
    assert not name_shaped(Slot("name:title", "结语", "回顾与展望"))  # a word, not a nickname
    assert not name_shaped(Slot("name:title", "分享一", "现代编程语言概述"))
    assert byline_slots("**Marta Quill, Weill Labs**") == [Slot("byline,", "Marta Quill", "Weill Labs")]
    assert byline_slots("Marta Quill, Weill Labs") == []  # a plain line is prose, not a byline


def test_sibling_headings_of_one_format_name_the_nicknames_the_rules_alone_miss():
    note = (
        "# 沙龙回顾\n\n开场白。\n\n## 张伟：《前端性能优化》\n\n内容一。\n\n## 青禾：《探索 WebGL》\n\n内容二。\n\n"
        "## 冉思远 ：《小程序框架》\n\n内容三。\n\n## 阿泽 《移动端调试》\n\n内容四。\n"
    )
    found = people_by_heading(note)
    assert found["张伟：《前端性能优化》"] == ("张伟",)
    assert found["青禾：《探索 WebGL》"] == ("青禾",)
    assert found["冉思远 ：《小程序框架》"] == ("冉思远",)
    assert found["阿泽 《移动端调试》"] == ("阿泽",)
    assert found["沙龙回顾"] == ()


def test_a_format_whose_slot_is_no_ones_anywhere_names_no_one():
    topics = "# 讲座\n\n## 分享一：现代编程语言概述\n\n内容。\n\n## 分享二：协程\n\n内容。\n\n## 青禾：渲染\n\n内容。\n"
    assert all(people == () for people in people_by_heading(topics).values())
    english = "# Notes\n\n## Caching | Query Planning\n\nText.\n\n## Indexes | Zorbo Quill\n\nText.\n"
    assert all(people == () for people in people_by_heading(english).values())


def test_a_format_shared_mostly_by_topics_spreads_no_name():
    note = (
        "# 报告\n\n## 张伟：深度学习的泛化\n\n内容。\n\n## 背景：问题定义\n\n内容。\n\n## 结语：回顾与展望\n\n内容。\n"
        "\n## 方法：网络结构\n\n内容。\n"
    )
    found = people_by_heading(note)
    assert found["张伟：深度学习的泛化"] == ("张伟",)
    assert found["背景：问题定义"] == found["结语：回顾与展望"] == found["方法：网络结构"] == ()


def test_english_siblings_title_bar_name_and_name_org_under_a_timed_title():
    day = (
        "# Day 1\n\n## Sorting | Tamsin Hale (9am)\n\nText.\n\n## Modules | Lorna Fitch (9:45am)\n\nText.\n\n"
        "## Boards: the underdog | Marta Quill (10:50am)\n\nText.\n\n## LUNCH\n\nFood.\n"
    )
    found = people_by_heading(day)
    assert found["Boards: the underdog | Marta Quill (10:50am)"] == ("Marta Quill",)
    assert found["LUNCH"] == ()
    keynotes = (
        "# Speed and Perception (10:35am)\n## Orla Venn (Google)\n\n- text\n\n"
        "# Reading and Writing (9:25am)\n## Marta Quill (Khan Academy)\n\n- text\n"
    )
    assert speaker_at(keynotes, 6) == "Marta Quill"  # the timed title above the name heading
    assert speaker_at(keynotes, 7) == "Marta Quill"


def test_bylines_under_sibling_headings_share_a_format():
    note = (
        "# Session 1\n\n## Decoding cell states\n\n**Orla Venn, MSK**\n\nText.\n\n## Tissue memory\n\n"
        "**Brigid Olsen, Pitt**\n\nText.\n\n## Epigenetic states\n\n**Marta Quill, Weill Labs**\n"
    )
    assert speaker_at(note, 15) == "Marta Quill"


def test_a_first_name_alone_in_a_sibling_name_slot_is_a_speaker_but_a_topic_word_is_not():
    note = (
        "# 年终聚会\n\n## 总结\n\n### 叶小明 - [数据库调优][a]\n\n内容一。\n\n### Shin - [新手学习经验][b]\n\n内容二。\n\n"
        "### 吕小荣 - [Ruby Require][c]\n\n内容三。\n\n### Summary - [全年回顾][d]\n\n内容四。\n"
    )
    found = people_by_heading(note)
    assert found["Shin - 新手学习经验"] == ("Shin",)  # the reference links read as their text
    assert found["Summary - 全年回顾"] == ()  # no first name
    assert found["叶小明 - 数据库调优"] == ("叶小明",)


def test_a_name_heading_among_named_siblings_does_not_name_the_section_above():
    found = people_by_heading("# Show\n\n### Jonathan - Acme\n\nCloud.\n\n### Priya Natarajan - Acme\n\nMore.\n")
    assert found["Jonathan - Acme"] == ("Jonathan",) and found["Priya Natarajan - Acme"] == ("Priya Natarajan",)
    assert found["Show"] == ()
    alone = people_by_heading("# Caching at Scale\n\n## Priya Natarajan (Acme)\n\nBio.\n\n## Notes\n\nText.\n")
    assert alone["Caching at Scale"] == ("Priya Natarajan",)  # the one name heading names the talk above


def test_name_bullets_under_a_talk_heading_are_all_its_speakers():
    note = "# Conf\n\n## Migrating to Hyrax\n\n- Glen Horton\n- Thomas Scherz\n- Sean Crowe\n\nWe moved.\n\n## Next\n\nText.\n"
    found = people_by_heading(note)
    assert found["Migrating to Hyrax"] == ("Glen Horton", "Thomas Scherz", "Sean Crowe")
    assert found["Next"] == ()


def test_a_name_bullet_in_careless_case_is_the_talks_speaker_but_ordinary_words_are_not():
    note = "# Conf\n\n## Honeypots\n\n- Andreanne bergeron\n- They logged attempts.\n\n## Gardens\n\n- Rose garden\n- Soil.\n"
    found = people_by_heading(note)
    assert found["Honeypots"] == ("Andreanne bergeron",)
    assert found["Gardens"] == ()  # a first name and a surname, but both ordinary words


def test_a_lone_first_name_heading_beside_a_name_heading_is_its_talks_speaker():
    note = (
        "# Ignite talks\n\n## The ops lead\n\nDeploys weekly.\n\n## Dr. Helen Porter\n\nChaos drills.\n\n"
        "## Trent\n\nThe Phoenix Project retold.\n\n## Summary\n\nShort talks, good talks.\n"
    )
    found = people_by_heading(note)
    assert found["Trent"] == ("Trent",)
    assert found["Dr. Helen Porter"] == ("Helen Porter",)
    assert found["Ignite talks"] == ()  # a section of several talks, not Helen's
    assert found["The ops lead"] == () and found["Summary"] == ()
    # Without a sibling headed by a name, a first name alone heads no talk ("## Trent" may be a topic).
    assert people_by_heading("# Notes\n\n## Trent\n\nA river.\n\n## Severn\n\nAnother.\n")["Trent"] == ()


def test_a_byline_of_two_people_each_with_an_organisation_names_both():
    note = (
        "# Day one\n\n## Chaos patterns in practice\n\n**Jos Varga (Krux Digital), Bruce Wen (Twilio)**\n\n"
        "- run chaos in office hours\n\n## Caching (Redis), queues (Kafka)\n\n- two tools\n"
    )
    found = people_by_heading(note)
    assert found["Chaos patterns in practice"] == ("Jos Varga", "Bruce Wen")
    assert found["Caching (Redis), queues (Kafka)"] == ()


def test_a_list_naming_each_talk_beside_its_title_gives_the_talk_headed_by_that_title_its_speaker():
    note = (
        "# 大会第一天\n\n## 你懂了 JavaScript，也不懂 JavaScript\n\n### Type\n\n浮点数。\n\n"
        "## 用 Type 建立 Type：型别魔术师\n\n泛型。\n\n## 善用 UX 來提升 UU\n\n介面。\n\n## Scaling queues at Acme\n\nKafka.\n\n"
        "## 參考文件\n\n- [Huli: 你懂了 JavaScript，也不懂 JavaScript](https://example.org/6)\n"
        "- [PJCHENder: 用 Type 建立 Type：型别魔术师](https://example.org/12)\n- [善用 UX 來提升 UU](https://example.org/15)\n"
        "- Scaling queues at Acme - Jane Roe\n- Note: Type\n"
    )
    found = people_by_heading(note)
    assert found["你懂了 JavaScript，也不懂 JavaScript"] == ("Huli",)
    assert found["Type"] == ("Huli",)  # a part of her talk
    assert found["用 Type 建立 Type：型别魔术师"] == ("PJCHENder",)
    assert found["Scaling queues at Acme"] == ("Jane Roe",)
    assert found["善用 UX 來提升 UU"] == ()  # listed without a speaker
    assert found["參考文件"] == ()


def test_a_panel_part_saying_who_said_what_by_first_name_has_those_speakers():
    note = (
        "# Charts people can read by Sarah Kowalczyk\n\n## Contrast\n\nUse texture.\n\n"
        "# Design from the start by Stephanie Marchetti\n\n## Links\n\nUnderline them.\n\n"
        "# Panel\n\n## Beyond colour\n\nSarah talks about splitting a chart. Stephanie also talks about text labels.\n\n"
        "## Convincing managers\n\nTie it to money. Alex says budgets decide.\n"
    )
    found = people_by_heading(note)
    assert found["Beyond colour"] == ("Sarah Kowalczyk", "Stephanie Marchetti")
    assert found["Convincing managers"] == ()  # no speaker of the note is called Alex
    assert found["Links"] == ("Stephanie Marchetti",)  # a part of her talk stays hers


def test_a_lower_case_name_in_a_sibling_name_slot_is_a_speaker_but_lower_case_words_are_not():
    note = (
        "# oops I guess we're full stack - chris coiyer\n\nstacks.\n\n"
        "# Variable Fonts in Practice - Jason Pamental\n\ntype is voice.\n\n"
        "# Web Performance for Everyone - Henri Helvetica\n\nimages.\n\n"
        "# stacks and tools - good old days\n\nlamp.\n"
    )
    found = people_by_heading(note)
    assert found["oops I guess we're full stack - chris coiyer"] == ("chris coiyer",)
    assert found["stacks and tools - good old days"] == ()


def test_headings_by_first_name_name_their_speakers_once_the_text_names_some_in_full():
    note = (
        "# Day 2\n\n### Dirk, on trust\n\nThe day started with a talk by Dirk Lehmann on trust.\n\n"
        "### Yuwei, on mentoring\n\nThe next talk was by Yuwei Ren, an engineer.\n\n"
        "### Sponsors, on stage\n\nThanks to them.\n\n"
        "### Daiany, on relaxing at speed\n\nA fine lightning talk.\n"
    )
    found = people_by_heading(note)
    assert found["Dirk, on trust"] == ("Dirk Lehmann",) and found["Yuwei, on mentoring"] == ("Yuwei Ren",)
    assert found["Daiany, on relaxing at speed"] == ("Daiany",)  # a first name no census has, in the format
    assert found["Sponsors, on stage"] == ()  # an English word
