"""The fused ranking (e5 + USE + BM25) and the rank-based abstention with the real models on the sample notes."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("fused")
    rag.build_index(REPO / "data", folder, rag.Settings(), embedder=real_embedder)
    return rag.open_index(folder, rag.Settings(), embedder=real_embedder)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("How does HRNet help small object detection?", "1.1 HRNet"),
        ("Why is upsampling to high resolution not good enough?", "1. High-Resolution Networks"),
        ("What is the feedback signal in ProxylessNAS?", "2.1 ProxylessNAS"),
    ],
)
def test_cross_lingual_questions_find_their_section_with_every_score_shown(index, question, section):
    hits = index.search(question, k=3)
    assert any(h.chunk.headings[-1].startswith(section) for h in hits), [h.chunk.headings for h in hits]
    first = hits[0]
    assert first.dense is not None and first.dense2 is not None
    assert first.agreement >= 1


def test_the_second_encoder_alone_finds_a_cross_lingual_section(index):
    hits = index.search("How does HRNet help small object detection?", k=3, mode="dense2")
    assert any(h.chunk.headings[-1] == "1.1 HRNet" for h in hits)


def test_off_topic_questions_abstain_and_covered_ones_answer(index):
    assert index.ask("Who won the 2018 World Cup?").abstained
    assert index.ask("What is the best recipe for sourdough bread?").abstained
    answer = index.ask("HRNet 如何保持高分辨率？")
    assert not answer.abstained and answer.citations[0].chunk.speaker == "王井东"


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Why is upsampling to high resolution not good enough?",
            "上采样的性能不太好，低分辨率特征到高分辨率的学习比较弱",
        )
    ],
)
def test_cross_lingual_answers_quote_the_sentence_that_answers(index, question, sentence):
    """Sentences are picked by the question's words and their translations, also inside longer Chinese words."""
    answer = index.ask(question)
    assert not answer.abstained and sentence in answer.text, answer.text
