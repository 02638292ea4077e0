"""A speaker written with a Chinese and a Latin name is one person, wherever a note names speakers; a Latin
organisation beside a Chinese name stays the affiliation. Small notes and people invented for these tests."""

from __future__ import annotations

import pytest

from rag.name_forms import full_names, name_aliases, normalize_for_names
from rag.query import analyze
from rag.speakers import is_person, split_people
from tests.test_speakers import sections


@pytest.mark.parametrize(
    ("value", "speaker", "affiliation"),
    [
        ("罗嘉文 Kevin Law", "罗嘉文 Kevin Law", None),
        ("Kevin Law罗嘉文", "Kevin Law 罗嘉文", None),
        ("Kevin Law（罗嘉文）", "Kevin Law 罗嘉文", None),
        ("罗嘉文 Kevin Law（某电商公司）", "罗嘉文 Kevin Law", "某电商公司"),
        ("**Helen Tsai 蔡雅婷**", "Helen Tsai 蔡雅婷", None),
        ("周子豪 (Zihao Zhou)，某大学", "周子豪 Zihao Zhou", "某大学"),
        ("Zihao ZHOU 周子豪", "Zihao ZHOU 周子豪", None),  # English order, surname in capitals: a pinyin reading
        ("周子豪（Zihao Zhou，某大学）", "周子豪 Zihao Zhou", "某大学"),
        ("罗嘉文 Kevin Law 某电商公司", "罗嘉文 Kevin Law", "某电商公司"),
    ],
)
def test_a_name_in_both_scripts_is_one_speaker(value, speaker, affiliation):
    assert split_people(value) == [(speaker, affiliation)]


@pytest.mark.parametrize(
    ("value", "speaker", "affiliation"),
    [
        ("罗嘉文 Stanford", "罗嘉文", "Stanford"),
        ("蔡雅婷 MSRA", "蔡雅婷", "MSRA"),
        ("张三 Google", "张三", "Google"),
        ("周子豪 Google Brain", "周子豪", "Google Brain"),
        ("梁伟 Microsoft Research", "梁伟", "Microsoft Research"),
        ("陈思远 Peking University", "陈思远", "Peking University"),
        ("陈思远（Tencent AI Lab）", "陈思远", "Tencent AI Lab"),
    ],
)
def test_an_organisation_beside_a_chinese_name_stays_the_affiliation(value, speaker, affiliation):
    assert split_people(value) == [(speaker, affiliation)]
    assert not is_person(value)


@pytest.mark.parametrize(
    "note",
    [
        "# 推荐系统的冷启动\n\n【讲者】**罗嘉文 Kevin Law**(某电商公司)\n\n新用户先用兴趣标签召回。\n",
        "# 推荐系统的冷启动\n\n讲者：罗嘉文 Kevin Law，某电商公司\n\n新用户先用兴趣标签召回。\n",
        "# 推荐系统的冷启动 —— 罗嘉文 Kevin Law（某电商公司）\n\n新用户先用兴趣标签召回。\n",
        '---\nspeaker: "罗嘉文 Kevin Law（某电商公司）"\n---\n\n# 推荐系统的冷启动\n\n新用户先用兴趣标签召回。\n',
        "# 推荐系统的冷启动\n\n| 讲者 | 单位 |\n|---|---|\n| 罗嘉文 Kevin Law | 某电商公司 |\n\n新用户先用兴趣标签召回。\n",
    ],
    ids=["marker", "label", "heading", "front-matter", "table"],
)
def test_every_speaker_style_reads_the_pair_as_one_name(note):
    (speaker, affiliation, people), *_ = sections(note).values()
    assert speaker == "罗嘉文 Kevin Law" and people == ("罗嘉文 Kevin Law",)
    assert affiliation in ("某电商公司", None)


@pytest.mark.parametrize(
    "panel",
    [
        "- 嘉宾：蔡雅婷 Helen Tsai\n- 嘉宾：周子豪 Zihao Zhou",
        "嘉宾：蔡雅婷 Helen Tsai（某医院）、周子豪 Zihao Zhou（某大学）",
        "Panelists: 蔡雅婷 Helen Tsai, 周子豪 Zihao Zhou",
    ],
)
def test_a_panel_lists_each_pair_as_one_person(panel):
    note = f"# 圆桌：数据标注的未来\n\n{panel}\n\n大家讨论了众包质量。\n"
    assert sections(note)["圆桌：数据标注的未来"][2] == ("蔡雅婷 Helen Tsai", "周子豪 Zihao Zhou")


def test_an_organisation_in_the_heading_is_no_part_of_the_name():
    for heading in ("推荐系统的冷启动 —— 罗嘉文（Stanford）", "推荐系统的冷启动 —— 罗嘉文（MSRA）"):
        speaker, affiliation, _ = sections(f"# {heading}\n\n新用户先用兴趣标签召回。\n")[heading]
        assert (speaker, affiliation) in (("罗嘉文", "Stanford"), ("罗嘉文", "MSRA"))


def test_two_latin_runs_are_never_read_as_one_name_in_two_scripts():
    assert split_people("Ingrid Halvorsen (GBIF") == [("Ingrid Halvorsen", "GBIF")]  # a bracket left open


def test_a_note_naming_someone_in_one_script_and_elsewhere_in_both_gives_them_one_name():
    note = "# 第一天\n\n主持人：Helen Tsai蔡雅婷\n\n## 图数据库选型\n\n讲者：蔡雅婷（某医院）\n\n多跳查询用图数据库。\n"
    found = sections(note)
    assert found["图数据库选型"][:2] == ("Helen Tsai 蔡雅婷", "某医院")
    assert found["第一天"][2] == ("Helen Tsai 蔡雅婷",)


def test_a_part_two_people_share_names_neither():
    names = ["王伟 David Wang", "王伟 William Wang", "王伟", "Kevin Law", "罗嘉文 Kevin Law"]
    assert full_names(names) == {"Kevin Law": "罗嘉文 Kevin Law"}


def test_the_aliases_of_a_pair_are_both_names_aliases():
    aliases = name_aliases("周子豪 Zihao Zhou")
    assert {"周子豪", "zihao zhou", "zhou zihao", "zhouzihao"} <= aliases
    assert {"kevin law", "law kevin", "罗嘉文", "luo jiawen"} <= name_aliases("罗嘉文 Kevin Law")


PEOPLE = ("罗嘉文 Kevin Law", "Helen Tsai 蔡雅婷", "冯佳时", "Tim Hirsch")


@pytest.mark.parametrize(
    ("question", "speaker", "topic"),
    [
        ("What did Kevin Law say about cold start?", "罗嘉文 Kevin Law", "What did say about cold start?"),
        ("罗嘉文讲了冷启动的什么？", "罗嘉文 Kevin Law", "讲了冷启动的什么？"),
        ("Helen Tsai 讲了哪些内容", "Helen Tsai 蔡雅婷", "讲了哪些内容"),
        ("蔡雅婷讲了什么", "Helen Tsai 蔡雅婷", "讲了什么"),
        ("What did Jiawen Luo say about cold start?", "罗嘉文 Kevin Law", "What did say about cold start?"),
        ("What did Tsai say about graphs?", "Helen Tsai 蔡雅婷", "What did say about graphs?"),
    ],
)
def test_a_question_naming_either_part_names_the_speaker(question, speaker, topic):
    query = analyze(question, PEOPLE)
    assert (query.speaker, query.topic) == (speaker, topic)


def test_a_surname_with_u_umlaut_is_spelt_as_questions_write_it():
    # pypinyin reads 吕 as "lv"; a question writes "Lü Xiaorong" (accents fold to "lu") or the passport's "Lyu".
    assert {"lv xiaorong", "lu xiaorong", "lyu xiaorong", "xiaorong lu"} <= name_aliases("吕小荣")
    assert normalize_for_names("What did Lü Xiaorong say?").strip().split()[2:4] == ["lu", "xiaorong"]
