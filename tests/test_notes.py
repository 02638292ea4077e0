"""The parser: exact expectations on the sample notes, other speaker styles, and properties for any note."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.notes import parse_note
from rag.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TESTDATA = Path(__file__).resolve().parent / "data"
WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]")


def parse_file(path: Path):
    return parse_note(path.read_text(encoding="utf-8"), path.name)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(w == h for h in it) for w in needle)


def assert_maps_back(source: str, chunks) -> None:
    """Every word of a chunk appears, in order, in the source lines the chunk claims."""
    lines = source.removeprefix("\ufeff").splitlines()
    for chunk in chunks:
        assert 1 <= chunk.start <= chunk.end <= len(lines), chunk
        claimed = "\n".join(lines[chunk.start - 1 : chunk.end])
        assert chunk.text.strip(), chunk
        assert is_subsequence(words(chunk.text), words(claimed)), (chunk.location, chunk.text, claimed)


def test_network_architecture_talks_sections_and_speakers():
    note = parse_file(DATA / "valse2020-network-architecture.md")
    assert note.title == "讲座笔记 -- VALSE2020在线大会 网络架构设计与类脑"
    by_section = {c.headings[-1] if c.headings else "": c for c in note.chunks}
    mobilenext = by_section["3.1 MobileNeXt: Bottleneck 模块的修改"]
    assert (
        mobilenext.headings[0] == "3. Rethinking Bottleneck and Self-attention Structures for Efficient Network Design"
    )
    assert (mobilenext.start, mobilenext.end) == (218, 242)
    assert mobilenext.speaker == "冯佳时"
    assert mobilenext.affiliation == "National University of Singapore"
    assert mobilenext.time == "10:20-10:50"
    assert mobilenext.images == tuple(f"/images/VALSE/2020_{n}.png" for n in range(67, 76))
    assert mobilenext.text.startswith("实验表明我们希望shortcut连接在宽网络上才能加速收敛")
    assert "partial connection 减少计算量" in mobilenext.text
    assert "讲者" not in mobilenext.text  # meta lines become fields, not answer text
    speakers = {c.headings[0]: c.speaker for c in note.chunks if c.headings}
    assert speakers["1. High-Resolution Networks: A Universal Architecture for Visual Recognition"] == "王井东"
    assert speakers["2. AutoML for TinyML with Once-for-All Network"] == "韩松"
    assert speakers["4. Full-space Neural Architecture Search (Using GOLD-NAS)"] == "谢凌曦"
    assert (
        speakers[
            "5. Brain Inspired Computing with Hybrid Artificial and Spiking Neural Networks 基于异构融合的类脑计算"
        ]
        == "李国齐"
    )
    # The speaker of talk 5 stops at the next top-level section.
    assert by_section["Panel (待更新)"].speaker is None
    # Sub-sections inherit the talk's speaker, down to level 3.
    related = by_section["Related Works"]
    assert related.headings[1:] == ("1.1 HRNet", "Related Works")
    assert related.speaker == "王井东" and related.affiliation == "Microsoft Research"
    assert len(note.chunks) == 27


def test_image_only_sections_become_chunks_with_their_heading_as_text():
    note = parse_file(DATA / "valse2020-network-architecture.md")
    shrinking = next(c for c in note.chunks if c.headings[-1:] == ("Progressive Shrinking",))
    assert shrinking.text == "Progressive Shrinking"
    assert shrinking.images == ("/images/VALSE/2020_48.png", "/images/VALSE/2020_49.png", "/images/VALSE/2020_50.png")
    assert (shrinking.start, shrinking.end) == (162, 168)


def test_topic_review_has_no_speakers_and_html_images():
    note = parse_file(DATA / "valse2020-annual-review-1.md")
    assert all(c.speaker is None for c in note.chunks)
    assert note.chunks[0].headings == () and note.chunks[0].text == "VALSE2020 重要主题年度进展回顾 (APR)"
    compression = [c for c in note.chunks if c.headings == ("模型压缩",)]
    assert len(compression) == 2  # longer than one chunk: split between sentences (here list items)
    assert compression[0].start == 12 and compression[-1].end == 35
    assert compression[0].end + 1 >= compression[1].start  # the two chunks tile the section
    images = [i for c in compression for i in c.images]
    assert images == [f"/images/VALSE/2020/{n}.png" for n in range(1, 7)]


@pytest.mark.parametrize("path", sorted(DATA.glob("*.md")) + sorted(TESTDATA.glob("*.md")), ids=lambda p: p.name)
def test_every_chunk_maps_back_to_its_lines(path):
    assert_maps_back(path.read_text(encoding="utf-8"), parse_file(path).chunks)


def test_english_notes_other_speaker_styles_and_code_fences():
    note = parse_file(TESTDATA / "workshop-en.md")
    speakers = {c.headings[0]: (c.speaker, c.affiliation) for c in note.chunks if c.headings}
    assert speakers == {
        "Keynote: Sparse Models at Scale": ("Jane Doe", "MIT"),  # Speaker: **Name** (Org)
        "Panel Talk on Quantization": ("Bob Smith", "Stanford University"),  # - Speaker: Name, Org
        "Distillation for Tiny Models": ("Carol Lee", "Google Research"),  # **Speaker:** Name (Org)
    }
    headings = {h for c in note.chunks for h in c.headings}
    assert not any("comment" in h for h in headings)  # `#` inside a code fence is no heading
    keynote = next(c for c in note.chunks if c.headings == ("Keynote: Sparse Models at Scale",))
    assert "# this is a comment, not a heading\ndef route(token):" in keynote.text
    tricks = next(c for c in note.chunks if c.headings[-1:] == ("Tricks",))
    assert tricks.headings == ("Distillation for Tiny Models", "Tricks")  # H1 → H3 skip is fine


def test_chinese_speaker_styles_full_and_half_width():
    note = parse_file(TESTDATA / "seminar-zh.md")
    speakers = {c.headings[0]: (c.speaker, c.affiliation) for c in note.chunks}
    assert speakers == {
        "1. 对比学习的新进展": ("张三", "北京大学"),  # 讲者：Name (Org)
        "2. 掩码图像建模": ("李四", "清华大学"),  # [讲者] **Name**（Org）
        "3. 讨论": (None, None),
    }
    assert note.title == "研讨会笔记 -- 自监督学习"  # blank line after the opening ---


@pytest.mark.parametrize(
    "line, expected",
    [
        ("【讲者】**冯佳时**(National University of Singapore)", ("冯佳时", "National University of Singapore")),
        ("[讲者] 王井东 (Microsoft Research)", ("王井东", "Microsoft Research")),
        ("讲者：韩松（MIT）", ("韩松", "MIT")),
        ("Speaker: **Song Han** (MIT)", ("Song Han", "MIT")),
        ("- Speaker: Song Han", ("Song Han", None)),
        ("**Speaker:** Song Han (MIT)", ("Song Han", "MIT")),
        ("**Speaker**: [Song Han](https://example.org) (MIT)", ("Song Han", "MIT")),
        ("报告人：谢凌曦，华为", ("谢凌曦", "华为")),
    ],
)
def test_speaker_line_styles(line, expected):
    note = parse_note(f"# Talk\n\n{line}\n\nSome words about pruning.\n", "t.md")
    assert (note.chunks[0].speaker, note.chunks[0].affiliation) == expected
    assert note.chunks[0].text == "Some words about pruning."


def test_prose_mentioning_speakers_is_not_a_speaker_line():
    note = parse_note("# Talk\n\nSpeaker notes were not shared. The speaker was late.\n", "t.md")
    assert note.chunks[0].speaker is None


def test_long_sections_split_between_sentences_never_inside():
    sentence = "这是一个关于网络剪枝的很长的句子，用来测试切分是否发生在句子之间。"
    body = "# 长段落\n\n" + sentence * 40 + "\n"
    note = parse_note(body, "long.md", chunk_chars=200)
    assert len(note.chunks) > 1
    for chunk in note.chunks:
        assert chunk.text.replace(sentence, "") == "", "a chunk holds a partial sentence"
        assert len(chunk.text) <= 200
    assert "".join(c.text for c in note.chunks) == sentence * 40  # joining the chunks gives the section back


def test_search_text_starts_with_breadcrumb_and_speaker():
    note = parse_file(DATA / "valse2020-network-architecture.md")
    chunk = next(c for c in note.chunks if c.headings[-1:] == ("3.1 MobileNeXt: Bottleneck 模块的修改",))
    first, second = chunk.search_text.split("\n")[:2]
    assert first.endswith("3.1 MobileNeXt: Bottleneck 模块的修改") and "MobileNeXt" in first
    assert "冯佳时" in second and "National University of Singapore" in second


# --- properties on generated notes -------------------------------------------------------------

SENTENCES = [
    "实验表明shortcut连接可以加速收敛。",
    "高分辨率特征需要 repeated fusion。",
    "Pruning is an architecture search paradigm.",
    "Latency is used as feedback for the search!",
    "量化到4比特时精度下降很小？",
    "Routing collapse is a risk",
]
NAMES = ["冯佳时", "韩松", "Jane Doe", "王井东", "Bob Smith"]
SPEAKER_STYLES = [
    "【讲者】**{name}**(Some University)",
    "讲者：{name} (Some Lab)",
    "Speaker: **{name}** (Org)",
    "- Speaker: {name}",
    "**Speaker:** {name} (Org)",
    "[讲者] {name}（某大学）",
]


@st.composite
def notes(draw):
    """A note of talks: (markdown, expected speaker per top-level heading)."""
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\n\ntitle: {draw(st.sampled_from(['Notes', '笔记', 'A: B']))!r}\ncategories: [x]\n---\n")
    expected = {}
    for talk in range(draw(st.integers(1, 4))):
        heading = f"{talk + 1}. Talk {draw(st.sampled_from(['on NAS', '关于剪枝', 'MobileNeXt']))}"
        parts.append(f"# {heading}\n")
        speaker = draw(st.none() | st.sampled_from(NAMES))
        expected[heading] = speaker
        if speaker:
            parts.append(draw(st.sampled_from(SPEAKER_STYLES)).format(name=speaker) + "\n")
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["para", "list", "image", "code", "sub", "html"]))
            if kind == "para":
                parts.append(" ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8))) + "\n")
            elif kind == "list":
                parts.append("\n".join(f"- {s}" for s in draw(st.lists(st.sampled_from(SENTENCES), min_size=1))) + "\n")
            elif kind == "image":
                parts.append(f"![](/images/{draw(st.integers(0, 99))}.png)\n")
            elif kind == "code":
                parts.append("```\n# not a heading\nx = 1\n```\n")
            elif kind == "html":
                parts.append('<img src="/images/x.png" style="zoom:50%;" />\n')
            else:
                parts.append(f"{'#' * draw(st.integers(2, 4))} Sub {draw(st.integers(0, 9))}\n")
        if draw(st.booleans()):
            parts.append("---\n")
    return "\n".join(parts), expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes(), st.integers(40, 400))
def test_generated_notes_keep_speakers_lines_and_text(note_and_speakers, chunk_chars):
    source, expected = note_and_speakers
    note = parse_note(source, "gen.md", chunk_chars=chunk_chars)
    assert_maps_back(source, note.chunks)
    for chunk in note.chunks:
        assert chunk.headings, "generated notes have no preamble"
        assert chunk.speaker == expected[chunk.headings[0]], (chunk.headings, chunk.speaker)
        assert "not a heading" not in chunk.section
    # Every top-level talk is findable, even when it holds only a heading.
    assert {c.headings[0] for c in note.chunks} == set(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_parses_without_error_into_non_empty_chunks(text):
    note = parse_note(text, "any.md", chunk_chars=50)
    lines = text.removeprefix("\ufeff").splitlines()
    for chunk in note.chunks:
        assert chunk.text.strip()
        assert 1 <= chunk.start <= chunk.end <= max(len(lines), 1)


def test_an_html_tag_written_over_several_lines_is_no_text_and_its_image_is_kept():
    text = (
        '# Trip\n\n## Day one\n\nWe saw the river.\n<center>\n    <img style="border-radius: 0.3em;\n'
        '    box-shadow: 0 2px 4px 0 rgba(34,36,38,.12);"\n    src="../photos/river.jpg" width = "65%"/>\n'
        '    <div style="color:orange;\n    padding: 2px;">\n      The bridge at night\n  </div>\n</center>\n\nThen dinner.\n'
    )
    note = parse_note(text, "trip.md")
    day = [c for c in note.chunks if c.headings[-1:] == ("Day one",)]
    words = " ".join(c.text for c in day)
    assert "box-shadow" not in words and "padding" not in words and "border-radius" not in words
    assert "The bridge at night" in words and "Then dinner." in words
    assert [i for c in day for i in c.images] == ["../photos/river.jpg"]
    assert_maps_back(text, note.chunks)


@pytest.mark.parametrize(
    "text, sentences",
    [
        ('A talk titled "Why?" presented by Rafael. He is from Brazil.', 2),
        ("The talk by David R. Maciver was on search. It was good.", 2),
        ("Really? Yes! 好的。对吗？是的", 5),
        ("Version v2.0 shipped. 3. Rethinking it.", 2),
    ],
)
def test_sentences_end_at_their_ends_not_at_an_initial_or_a_quoted_question(text, sentences):
    assert len(split_sentences(text)) == sentences


def test_the_front_matters_description_is_the_notes_own_text():
    note = (
        "---\ntitle: SDCC 纪要\ndescription: 大会于2017年3月17日至19日在上海某酒店举行，本人有幸拿到了门票。\n"
        "excerpt: short\n---\n## 第一场\n\n讲了架构。\n"
    )
    chunks = parse_note(note, "note.md").chunks
    assert (chunks[0].start, chunks[0].end, chunks[0].headings) == (3, 3, ())
    assert chunks[0].text == "大会于2017年3月17日至19日在上海某酒店举行，本人有幸拿到了门票。"
    assert [c.headings for c in chunks[1:]] == [("第一场",)]
    assert parse_note("---\ntitle: T\nexcerpt: short\n---\ntext\n", "n.md").chunks[0].start == 5  # too short
    commented = "---\ndescription: My trip report of the 2024 meetup # Add post description (optional)\n---\nx\n"
    assert parse_note(commented, "n.md").chunks[0].text == "My trip report of the 2024 meetup"
