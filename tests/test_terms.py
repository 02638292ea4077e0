"""Terms as people type them: width, script, case and inner marks must not keep a question from its notes."""

from __future__ import annotations

import pytest

from rag.text import Tokenizer, compound_forms, main_language, normalize_text


@pytest.fixture(scope="module")
def tokenizer():
    return Tokenizer(["GOLD-NAS", "冯佳时"])


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("nonlocal operations", "Non-local operations"),
        ("non local block", "Non-local block"),
        ("R(2+1)D 的分解", "r(2+1)d 把 3D 卷积分解"),
        ("hrnet", "HRNet 保持高分辨率"),
        ("ｓｈｏｒｔｃｕｔ连接", "shortcut 连接"),
        ("ＨＲＮｅｔ（高分辨率）", "HRNet (高分辨率)"),
        ("时空跨度依赖模型", "時空跨度依賴模型"),
        ("網絡結構設計", "网络结构设计"),
        ("shortcut连接在哪里", "shortcut 连接"),
        ("goldnas", "GOLD-NAS 搜索"),
    ],
)
def test_question_words_all_occur_in_the_note_however_typed(tokenizer, question, note):
    asked, written = set(tokenizer.tokens(question)), set(tokenizer.tokens(note))
    assert asked and asked <= written, (asked, written)


def test_a_compound_meets_its_run_together_spelling(tokenizer):
    assert "nonlocal" in set(tokenizer.tokens("non-local")) & set(tokenizer.tokens("a NONLOCAL block"))
    assert "r21d" in set(tokenizer.tokens("R(2+1)D")) & set(tokenizer.tokens("the r21d model"))


def test_compounds_keep_their_marks_and_run_together():
    assert compound_forms("r(2+1)d") == ["r(2+1)d", "r21d"]
    assert compound_forms("vit-b/16 and resnet-50.") == ["vit-b/16", "vitb16", "resnet-50", "resnet50"]
    assert compound_forms("(see the table) c++ hrnet") == []  # plain words and a wrapped phrase are no compounds


def test_different_words_stay_different(tokenizer):
    assert not set(tokenizer.tokens("local features")) & set(tokenizer.tokens("non-linear model")) - {"non"}
    assert "r21d" not in tokenizer.tokens("R(2+1)")  # no letter after the mark: not the same model


def test_a_currency_sign_is_the_word_a_question_types(tokenizer):
    assert {"euro", "1", "yuan", "pound"} <= set(tokenizer.tokens("every €1 invested, ￥5 or £2"))
    assert "euro" not in tokenizer.tokens("echo $@ costs $5")  # "$" stays shell's and LaTeX's


def test_normalize_text_is_width_script_and_case_blind():
    assert normalize_text("ＨＲＮｅｔ，時空") == "hrnet,时空"
    assert normalize_text("Plain English") == "plain english"


def test_a_question_word_is_no_topic_word(tokenizer):
    assert tokenizer.tokens("郭蕾推荐了哪本书？") == ["郭蕾", "推荐", "本书"]


def test_a_chunks_language_is_the_one_most_of_its_words_are_in():
    assert main_language("郑旭东提出用量化指标衡量系统稳定性，例如 MTTR 和 SLO。") == "zh"
    assert main_language("We track SLOs and error budgets for every service, 也就是可用性。") == "en"
    assert main_language("ConvBERT 用 span-based dynamic convolution 替换了一半的注意力头") == "zh"
