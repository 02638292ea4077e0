"""People and talk overviews with the real model on the sample notes plus a note of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rag

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parent.parent
# A panel note of our own: a person named only in the prose, and a quotation by someone who gives no talk.
PANEL_NOTE = """\
---
title: Workshop on Efficient Vision
---

# Panel: Is scaling all we need?

【讲者】**Alice Moreau**(INRIA)

- As Jeff Dean said in his keynote, sparse models decide which experts to run per token.
- Moreau argued that data quality matters more than parameter count for small models.

# Closing remarks

The organisers thanked the volunteers and announced next year's venue in Lisbon.
"""


# A Chinese salon note: a speaker whose name has a character of several readings (柏: bai, bo), and a
# company that an English question can only write in pinyin.
SALON_NOTE = """\
# 技术沙龙

## 创业公司的目标管理

演讲人：施柏海

豌豆荚每个季度用 OKR 对齐目标，每个人的目标都公开。

## 论文投稿经验

演讲人：顾小明

审稿意见要逐条回复，并说明修改的位置。
"""


def _open_built(tmp_path_factory, embedder, name: str, written: dict[str, str], copied=()) -> rag.Index:
    """A real index of the notes `written` (file name → text) and the files `copied`."""
    notes = tmp_path_factory.mktemp(f"{name}-notes")
    for note in copied:
        shutil.copy(note, notes / note.name)
    for file, text in written.items():
        (notes / file).write_text(text, encoding="utf-8")
    folder = tmp_path_factory.mktemp(f"{name}-index")
    rag.build_index(notes, folder, rag.Settings(), embedder=embedder)
    return rag.open_index(folder, rag.Settings(), embedder=embedder)


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    written = {"panel.md": PANEL_NOTE, "salon.md": SALON_NOTE}
    return _open_built(tmp_path_factory, real_embedder, "people", written, (REPO / "data").glob("*.md"))


@pytest.mark.parametrize(
    "question", ["王井东的报告讲了什么", "What did Jingdong Wang talk about?", "summarize 王井东's talk"]
)
def test_talk_overview_lists_the_talk_in_order(index, question):
    answer = index.ask(question)
    assert not answer.abstained, answer.text
    assert answer.text.split("\n")[0].startswith("王井东")
    sections = [c.chunk.headings[-1] for c in answer.citations]
    assert sections[:2] == ["1. High-Resolution Networks: A Universal Architecture for Visual Recognition", "1.1 HRNet"]
    assert sections[-1] == "1.3 HigherHRNet"
    assert all(c.chunk.speaker == "王井东" for c in answer.citations)
    assert "no written notes)" not in answer.text and "0 slides" not in answer.text
    assert len(answer.text.split("\n")) == len(answer.citations) + 1  # one cited line per section


def test_speaker_filter_and_a_topicless_question_is_an_overview(index):
    answer = index.ask("what are the main ideas?", speaker="韩松")
    assert not answer.abstained
    assert {c.chunk.speaker for c in answer.citations} == {"韩松"}
    assert "2.1 ProxylessNAS" in answer.text


def test_note_filter_and_no_topic_gives_the_note(index):
    answer = index.ask("总结一下", note="panel.md")
    assert not answer.abstained
    assert [c.chunk.headings[-1] for c in answer.citations] == ["Panel: Is scaling all we need?", "Closing remarks"]


def test_person_named_in_the_prose_is_no_stranger(index):
    answer = index.ask("What did Jeff Dean say about sparse models?")
    assert not answer.abstained, answer.text
    assert answer.query.mentioned == "Jeff Dean" and answer.query.unknown_person is None
    assert answer.citations[0].chunk.headings[-1] == "Panel: Is scaling all we need?"


@pytest.mark.parametrize(
    ("question", "who"),
    [("何恺明关于自监督学习说了什么", "何恺明"), ("What did 张祥雨 say about Vision Transformers?", "张祥雨")],
)
def test_person_named_nowhere_abstains_as_a_stranger(index, question, who):
    answer = index.ask(question)
    assert answer.abstained and answer.query.unknown_person == who
    assert who in answer.text


def test_a_speaker_asked_about_a_topic_they_never_covered_abstains(index):
    answer = index.ask("What did 冯佳时 say about speech recognition?")
    assert answer.abstained, answer.text


def test_a_name_spelt_in_another_reading_of_its_characters_is_the_speaker(index):
    answer = index.ask("What did Bohai Shi say about goals?")
    assert answer.query.speaker == "施柏海" and not answer.abstained
    assert answer.citations[0].chunk.headings[-1] == "创业公司的目标管理"


def test_a_company_written_in_pinyin_finds_its_chinese_section(index):
    answer = index.ask("What about Wandoujia?")
    assert not answer.abstained and answer.citations[0].chunk.headings[-1] == "创业公司的目标管理"
    assert answer.hits[0].keyword is not None  # BM25 met 豌豆荚 through its pinyin spelling


@pytest.mark.parametrize(
    ("first", "follow_up", "notice"),
    [
        (
            "王井东讲了 HRNet 的什么？",
            "and about ConvBERT?",
            "王井东's talk does not cover this; this is from 冯佳时's talk.",
        ),
        ("王井东讲了 HRNet 的什么？", "那 ConvBERT 呢？", "王井东 的报告没有讲到这个问题；以下来自 冯佳时 的报告。"),
    ],
)
def test_a_follow_up_about_another_speakers_topic_goes_there_and_says_so(index, first, follow_up, notice):
    chat = rag.Conversation(index)
    assert chat.ask(first).query.speaker == "王井东"
    about = chat.ask(follow_up)
    assert (
        not about.abstained
        and about.citations[0].chunk.headings[-1] == "3.2 ConvBERT: 自注意力模块的修改"
        and about.notice == notice
    )
    assert about.query.speaker == "冯佳时"  # the next follow-up continues with the talk that answered
    assert chat.ask("what else did he say?").query.speaker == "冯佳时"


# Speakers written with a Chinese and a Latin name (people invented for this test): either name asks for them.
BILINGUAL_NOTE = """\
# 数据工程沙龙

## 推荐系统的冷启动

【讲者】**罗嘉文 Kevin Law**（某电商公司）

新用户没有行为数据，这就是冷启动（cold start）：先用注册时选的兴趣标签召回，再用少量探索流量收集反馈。

## 图数据库选型

讲者：Helen Tsai 蔡雅婷，某医院信息科

多跳关系查询适合用图数据库，单表统计仍然用关系数据库。
"""


@pytest.fixture(scope="module")
def bilingual_index(tmp_path_factory, real_embedder):
    written = {"salon.md": SALON_NOTE, "bilingual.md": BILINGUAL_NOTE}
    return _open_built(tmp_path_factory, real_embedder, "bilingual", written)


@pytest.mark.parametrize(
    ("question", "speaker", "section"),
    [
        ("What did Kevin Law say about cold start?", "罗嘉文 Kevin Law", "推荐系统的冷启动"),
        ("罗嘉文讲了什么", "罗嘉文 Kevin Law", "推荐系统的冷启动"),
        ("Helen Tsai 讲了哪些内容", "Helen Tsai 蔡雅婷", "图数据库选型"),
        ("蔡雅婷为什么用图数据库？", "Helen Tsai 蔡雅婷", "图数据库选型"),
    ],
)
def test_either_name_of_a_speaker_written_in_both_scripts_finds_their_talk(bilingual_index, question, speaker, section):
    answer = bilingual_index.ask(question)
    assert answer.query.speaker == speaker and not answer.abstained, answer.text
    assert answer.citations[0].chunk.speaker == speaker
    assert answer.citations[0].chunk.headings[-1] == section
