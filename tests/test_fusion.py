"""rag/fusion.py: rank scores, agreement and the coverage of a question's words, on tiny inputs. Pure."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.fusion import CROSS_LANGUAGE_TALK, agreement, coverage, rank_score, relevance, word_groups
from rag.index import _across_languages
from rag.text import Tokenizer
from rag.types import Chunk, Hit, Query


def test_rank_score_averages_the_best_two_retrievers_and_agreement_counts_the_top_three():
    rankers = ("dense", "dense2", "keyword")
    assert rank_score({"dense": 1, "dense2": 1, "keyword": None}, rankers) == 1.0  # BM25 lost: two still agree
    assert rank_score({"dense": 2, "dense2": None, "keyword": None}, rankers) < 0.5
    assert agreement({"dense": 1, "dense2": 3, "keyword": 4}, rankers) == 2
    assert relevance(1.0, 1.0) == 2.0 and relevance(0.0, 0.0) == 0.0


def test_a_compounds_spellings_count_as_one_word_covered_by_any_of_them():
    words = ["live-code", "livecode", "live", "code", "div"]
    assert word_groups(words) == [(("live-code", "livecode"), ("live", "code")), (("div",), ())]
    assert coverage(words, {"livecode", "div"}, {}) == 1.0  # written run together
    assert coverage(words, {"live", "code", "div"}, {}) == 1.0  # written apart
    assert coverage(words, {"live", "div"}, {}) == 0.5  # half a compound is not the compound
    # Rare words weigh more; a compound weighs as its rarest spelling, once.
    weights = {"live-code": 5.0, "livecode": 5.0, "live": 1.0, "code": 1.0, "div": 5.0}
    assert coverage(words, {"div"}, {}, weights) == 0.5


def test_a_translation_covers_a_word():
    assert coverage(["bottleneck", "database"], {"瓶颈", "database"}, {"bottleneck": ("瓶颈",)}) == 1.0


def test_according_to_frames_a_question_and_is_no_topic_word():
    assert "according" not in Tokenizer().tokens("According to the slides, what is the real bottleneck?")


def test_a_speakers_talk_in_the_other_language_counts_by_its_rank_not_its_words():
    talk = Chunk(
        "n.md", "N", ("Microservices",), 1, 2, "When do you use microservices? Start with a monolith.", "Jane Roe"
    )
    other = replace(talk, speaker="John Doe")
    chinese = Query(
        "Jane Roe 觉得什么时候适合用微服务？", "觉得什么时候适合用微服务？", speaker="Jane Roe", language="zh"
    )
    english = replace(
        chinese, text="When does Jane Roe use microservices?", topic="When use microservices?", language="en"
    )
    hit = Hit(talk, score=0.5, relevance=0.6)
    assert _across_languages(hit, chinese).relevance == pytest.approx(0.6 * CROSS_LANGUAGE_TALK)
    assert _across_languages(hit, english).relevance == 0.6  # the same language: its words count as they are
    assert _across_languages(replace(hit, chunk=other), chinese).relevance == 0.6  # not her talk
