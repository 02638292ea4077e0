"""Retrieval and answers with the real default model on the sample notes, in-process and through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rag
from rag import evaluate, question_sets

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parent.parent
MOBILENEXT = "3.1 MobileNeXt: Bottleneck 模块的修改"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("index")
    rag.build_index(REPO / "data", folder, rag.Settings(), embedder=real_embedder)
    return folder


@pytest.fixture(scope="module")
def index(index_dir, real_embedder):
    return rag.open_index(index_dir, rag.Settings(), embedder=real_embedder)


@pytest.mark.parametrize(
    "question",
    [
        "what did 冯佳时 say about shortcuts",
        "What did Jiashi Feng say about shortcut connections?",
        "Feng Jiashi: shortcut 连接在哪里？",
        "冯佳时讲的 shortcut 连接有什么作用？",
    ],
)
def test_feng_jiashi_shortcut_questions_cite_mobilenext(index, question):
    answer = index.ask(question)
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.chunk.speaker == "冯佳时"
    assert first.chunk.affiliation == "National University of Singapore"
    assert first.chunk.headings[-1] == MOBILENEXT
    assert (first.chunk.file, first.chunk.start, first.chunk.end) == ("valse2020-network-architecture.md", 218, 242)
    assert "shortcut" in answer.text and "[1]" in answer.text
    assert first.score > 0.5


def test_every_answer_sentence_is_cited_and_quoted_from_its_source(index):
    answer = index.ask("HRNet 如何保持高分辨率？")
    assert not answer.abstained
    sources = {c.n: c.chunk for c in answer.citations}
    for line in answer.text.split("\n")[1:]:
        sentence, marker = line.removeprefix("- ").rsplit(" [", 1)
        assert sentence in sources[int(marker.rstrip("]"))].text


@pytest.mark.parametrize(
    "question, speaker",
    [("What did Song Han say about ProxylessNAS?", "韩松"), ("王井东讲了 OCRNet 的什么？", "王井东")],
)
def test_named_speakers_in_either_script(index, question, speaker):
    answer = index.ask(question)
    assert answer.query.speaker == speaker
    assert not answer.abstained and answer.citations[0].chunk.speaker == speaker


@pytest.mark.parametrize(
    "question",
    [
        "What did Geoffrey Hinton say about capsule networks?",
        "李飞飞讲了什么？",
        "What did 冯佳时 say about quantum computing?",
        "What is the best recipe for sourdough bread?",
    ],
)
def test_questions_the_notes_do_not_answer_abstain_with_closest_sections(index, question):
    answer = index.ask(question)
    assert answer.abstained, answer.text
    assert answer.citations, "an abstention still lists the closest sections"
    assert "[1]" not in answer.text


def test_evaluation_set_meets_its_floor(index_dir, real_embedder, tmp_path):
    """A regression guard on the labelled set (the full numbers come from `rag eval`)."""
    folders, cases = question_sets.load_cases(REPO / "eval" / "qa.yaml")
    notes = question_sets.stage_notes(folders, tmp_path / "notes")
    rag.build_index(notes, tmp_path / "index", rag.Settings(), embedder=real_embedder)
    scores = evaluate.metrics(evaluate.run(rag.open_index(tmp_path / "index", embedder=real_embedder), cases))
    assert scores["hit@1"] >= 0.9 and scores["hit@3"] >= 0.95
    assert scores["correct_abstention"] >= 0.9 and scores["false_abstention"] <= 0.1


def test_cli_subprocess_json_one_object_per_question(index_dir):
    env = {**os.environ, "XDG_CACHE_HOME": str(REPO / ".cache" / "xdg"), "HF_HUB_OFFLINE": "1"}
    # The CLI converts the model into XDG_CACHE_HOME/lecture-rag; reuse the tests' converted copy.
    target = REPO / ".cache" / "xdg" / "lecture-rag" / "models"
    target.mkdir(parents=True, exist_ok=True)
    for folder in (REPO / ".cache" / "models").iterdir():
        if not (target / folder.name).exists():
            (target / folder.name).symlink_to(folder)
    questions = ["what did 冯佳时 say about shortcuts", "What did Geoffrey Hinton say about capsules?"]
    result = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ask", "--index", str(index_dir), "--json", *questions],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["question"] == questions[0] and not first["abstained"]
    assert first["citations"][0]["section"].endswith(" > " + MOBILENEXT)
    assert first["citations"][0]["speaker"] == "冯佳时" and first["citations"][0]["lines"] == [218, 242]
    assert second["abstained"] and second["citations"]


TALK_ZH = """# 运维大会参会笔记

## 百万级业务的智能运维（郑旭东）

### 量化问题

郑旭东提出用量化指标衡量系统稳定性：宕机时长、卡死机器的数量、故障恢复的平均时间。

这些指标每周统计一次，并且和业务损失直接挂钩。

### 事件驱动

所有告警都被当作事件处理，进入统一的事件平台，再由规则自动分派给值班人员。
"""
MEETUP_EN = """# SRE meetup notes

## Measuring reliability - Jane Roe

We track SLOs, error budgets and the availability of every service. Downtime minutes are reported every week.

## Alerting that works - Bob Ray

Alerts should page only on symptoms: latency, errors and saturation. Metrics dashboards help the on-call engineer.

## Incident reviews - Li Wei

Every outage gets a review: how long the downtime lasted, which machines hung, and which metrics warned first.

## Dashboards - Maria Garcia

Downtime, hung machines and error rates sit on one dashboard; the metrics refresh every minute.

## Chaos days - Tom Field

We kill machines on purpose and measure downtime; hung processes are restarted by a watchdog.
"""


@pytest.mark.parametrize(
    "question",
    [
        "Which metrics did Zheng Xudong propose for measuring downtime and hung machines?",
        "How did Zheng Xudong handle alerts?",
    ],
)
def test_notes_in_another_language_do_not_lower_how_well_a_speakers_talk_answers(tmp_path, real_embedder, question):
    """An English question about a Chinese talk: the talk is judged among the Chinese notes, so English talks on
    the same topic beside it do not push it toward abstaining."""
    indexes = {}
    for name, notes in (("alone", {"zh.md": TALK_ZH}), ("mixed", {"zh.md": TALK_ZH, "en.md": MEETUP_EN})):
        (tmp_path / name).mkdir()
        for file, text in notes.items():
            (tmp_path / name / file).write_text(text, encoding="utf-8")
        rag.build_index(tmp_path / name, tmp_path / f"{name}-index", rag.Settings(), embedder=real_embedder)
        indexes[name] = rag.open_index(tmp_path / f"{name}-index", rag.Settings(), embedder=real_embedder)
    alone, mixed = (indexes[name].ask(question) for name in ("alone", "mixed"))
    assert mixed.query.speaker == "郑旭东" and mixed.hits[0].chunk.speaker == "郑旭东"
    assert mixed.hits[0].relevance >= alone.hits[0].relevance - 0.01
