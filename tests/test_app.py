"""The chat handler and its HTML, with the fake embedder: no model, no browser, no server."""

from __future__ import annotations

import dataclasses
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes import FakeEmbedder
from hypothesis import given, settings
from hypothesis import strategies as st

import app
import rag
from rag.cli import _parser

REPO = Path(__file__).resolve().parent.parent
FAKE = rag.Settings(model="fake-bigrams")
# Every tag app.py writes itself; anything else in its output would have come from a note or a question.
OUR_TAGS = frozenset("div p ul ol li span code mark a img table thead tbody tr th td b".split())
EVIL_NOTE = """---
title: Evil <script>alert(1)</script> notes
---

# Attack <img src=x onerror=alert(2)> talk

【讲者】**Mallory**(Evil <b>Corp</b>)

Shortcut connections help training. `<script>alert(3)</script>` and `<img src=x onerror=alert(4)>` in code.

    <script>window.__xss = 5</script>

![<img src=x onerror=alert(6)>](/images/a.png)
"""


class Tags(HTMLParser):
    """Collects the tags and attributes of an HTML string, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(html: str) -> None:
    for tag, attrs in parse(html).tags:
        assert tag in OUR_TAGS, f"<{tag}> in {html}"
        assert not any(name.startswith("on") for name in attrs), f"event handler on <{tag}>"
        for name in ("src", "href"):
            if name in attrs:
                assert (attrs[name] or "").startswith(app.FILE_URL), attrs[name]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    rag.build_index(REPO / "data", folder, FAKE, embedder=FakeEmbedder())
    return rag.open_index(folder, FAKE, embedder=FakeEmbedder())


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory):
    notes = tmp_path_factory.mktemp("evil-notes")
    (notes / "evil.md").write_text(EVIL_NOTE, encoding="utf-8")
    folder = tmp_path_factory.mktemp("evil-index")
    rag.build_index(notes, folder, FAKE, embedder=FakeEmbedder())
    return rag.open_index(folder, FAKE, embedder=FakeEmbedder())


def run(index, question, history=None, speaker="", note="", images_root=None):
    return list(app.respond(question, history or [], speaker, note, index, images_root))


def make_answer(
    title="Note",
    headings=("1. Talk", "1.1 Part"),
    snippet="shortcut 连接在了升维之后的 feature 上",
    speaker="冯佳时",
    images=(),
    abstained=False,
    text="From the talk:\n- a sentence [1]",
    topic="shortcuts",
    language="en",
) -> rag.Answer:
    chunk = rag.Chunk(
        file="talk.md",
        title=title,
        headings=headings,
        start=3,
        end=9,
        text=snippet,
        speaker=speaker,
        affiliation="NUS",
        images=images,
    )
    citation = rag.Citation(1, chunk, snippet, 0.9)
    hit = rag.Hit(chunk, 0.03, dense=0.91, keyword=None, index=0)
    query = rag.Query(text=topic, topic=topic, language=language)
    return rag.Answer(topic, text, abstained, (citation,), query, (hit,))


# --- respond(): the handler ---------------------------------------------------------------------------------


def test_respond_streams_the_answer_then_adds_sources_and_details(index):
    steps = run(index, "what did 冯佳时 say?", history=[{"role": "user", "content": "earlier"}])
    assert len(steps) >= 3  # placeholder, at least one partial answer, the final answer
    messages, details = steps[-1]
    assert messages[0] == {"role": "user", "content": "earlier"}  # history kept as it was
    assert [m["role"] for m in messages[1:]] == ["user", "assistant"]
    assert "Searching the notes" in steps[0][0][-1]["content"]
    partial = [m[-1]["content"] for m, _ in steps[1:-1]]
    assert all("rag-streaming" in p and "rag-sources" not in p for p in partial)
    assert [p.count("<li>") for p in partial] == sorted(p.count("<li>") for p in partial)  # grows
    final = messages[-1]["content"]
    assert "rag-sources" in final and "rag-streaming" not in final
    assert '<span class="rag-cite">[1]</span>' in final
    assert "3. Rethinking Bottleneck" in final and "冯佳时 (National University of Singapore)" in final
    assert "valse2020-network-architecture.md:" in final
    assert "<table>" in details


def test_respond_details_list_every_considered_chunk_with_its_scores(index):
    answer = index.ask("what did 冯佳时 say?")
    details = app.render_details(answer)
    rows = details.count('<tr class="')
    assert rows == len(answer.hits) > 0
    first = answer.hits[0]
    assert f"{first.score:.4f}" in details
    assert (f"{first.dense:.3f}" if first.dense is not None else "—") in details
    assert "speaker 冯佳时 (named in the question)" in details
    assert details.count('<tr class="cited">') == len({c.chunk.location for c in answer.citations})


def test_empty_question_gets_a_polite_message_and_no_user_bubble(index):
    (messages, details), *rest = run(index, "   ")
    assert not rest
    assert messages == [{"role": "assistant", "content": messages[0]["content"]}]
    assert "please type a question" in messages[0]["content"]
    assert details == app.DETAILS_EMPTY


def test_overlong_question_is_shown_shortened_with_the_api_message(index):
    (messages, _), *rest = run(index, "shortcut " * 200)
    assert not rest
    user, reply = messages
    assert len(user["content"]) < 400 and user["content"].endswith("…</span>")
    assert "1000 characters" in reply["content"]


def test_speaker_filter_restricts_every_source(index):
    messages, details = run(index, "what are the challenges?", speaker="李国齐")[-1]
    final = messages[-1]["content"]
    speakers = [a.get("class") for t, a in parse(final).tags if t == "span" and a.get("class") == "rag-speaker"]
    assert speakers, final
    assert final.count("李国齐 (清华大学)") == len(speakers)
    assert "Filtered to speaker 李国齐" in final
    assert "speaker = 李国齐" in details


def test_note_filter_restricts_every_source(index):
    messages, _ = run(index, "模型压缩 NAS", note="valse2020-annual-review-1.md")[-1]
    final = messages[-1]["content"]
    assert "valse2020-annual-review-1.md:" in final
    assert "valse2020-network-architecture.md" not in final
    assert "Filtered to note VALSE2020重要主题年度进展回顾一" in final  # the title, not the file name


def test_abstention_looks_different_and_still_lists_closest_sections(index):
    messages, details = run(index, "what did Yann LeCun say about transformers")[-1]
    final = messages[-1]["content"]
    assert 'class="rag-answer rag-abstained"' in final
    assert '<div class="rag-label">Not in the notes</div>' in final
    assert "Closest sections" in final and "Sources<" not in final
    assert final.count('class="rag-source"') >= 1
    assert "abstained" in details and "asks about Yann LeCun" in details

    answered = run(index, "what did 冯佳时 say?")[-1][0][-1]["content"]
    assert "rag-abstained" not in answered and "rag-label" not in answered


def test_chinese_abstention_is_labelled_in_chinese():
    html = app.render_answer(
        make_answer(abstained=True, topic="高分辨率", text="笔记中没有涉及这个问题的内容。", language="zh")
    )
    assert "笔记中没有答案" in html and "最接近的部分" in html


def test_a_notice_is_shown_escaped_above_the_answer():
    answer = dataclasses.replace(make_answer(), notice="the <b>model</b> failed; extractive answer shown")
    html = app.render_answer(answer)
    assert '<div class="rag-notice">the &lt;b&gt;model&lt;/b&gt; failed; extractive answer shown</div>' in html


def test_errors_from_the_api_become_a_message():
    class Broken:
        notes = ()

        def understand(self, question, speaker=None):
            return rag.Query(question, question)

        def ask(self, *args, **kwargs):
            raise rag.ModelUnavailable("the model folder is missing")

    *_, (messages, _) = app.respond("a question", [], "", "", Broken())  # type: ignore[arg-type]
    assert 'class="rag-error"' in messages[-1]["content"]
    assert "the model folder is missing" in messages[-1]["content"]


# --- escaping ------------------------------------------------------------------------------------------------


def test_note_html_is_shown_as_text_never_as_markup(evil_index):
    steps = run(evil_index, "shortcut connections <script>alert(7)</script><img src=x onerror=alert(8)>")
    for messages, details in steps:
        for message in messages:
            assert_inert(message["content"])
        assert_inert(details)
    messages, details = steps[-1]
    final = messages[-1]["content"]
    assert "<script" not in final
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in final  # the title, readable as text
    assert "Evil <script>alert(1)</script> notes" in "".join(parse(final).text)
    question = messages[0]["content"]
    assert "&lt;img src=x onerror=alert(8)&gt;" in question
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in details


def test_script_and_event_handlers_in_a_snippet_stay_text():
    evil = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"
    html = app.render_answer(make_answer(snippet=evil, speaker="<b onmouseover=alert(1)>x</b>"))
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;" in html
    assert evil in "".join(parse(html).text)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=40),
    heading=st.text(max_size=40),
    snippet=st.text(max_size=80),
    speaker=st.text(min_size=1, max_size=20),
    image=st.text(max_size=30),
    topic=st.text(min_size=1, max_size=30),
)
def test_any_text_renders_as_text(title, heading, snippet, speaker, image, topic):
    answer = make_answer(
        title=title, headings=(heading,), snippet=snippet, speaker=speaker, images=(image,), topic=topic
    )
    for html in (app.render_answer(answer), app.render_details(answer), app.render_question(topic)):
        assert_inert(html)
    text = "".join(parse(app.render_answer(answer)).text)
    for original in (snippet, speaker):
        # HTMLParser normalizes \r; what matters is that the text survives unchanged otherwise
        assert original.replace("\r", "\n").strip() in text.replace("\r", "\n")


# --- highlighting --------------------------------------------------------------------------------------------


def test_question_terms_are_highlighted_in_snippets():
    query = rag.Query("what did 冯佳时 say about shortcuts", "what did say about shortcuts", speaker="冯佳时")
    terms = app.question_terms(query)
    assert "shortcuts" in terms and "shortcut" in terms and "what" not in terms and "about" not in terms
    html = app.highlight("实验表明我们希望shortcut连接在宽网络上", terms)
    assert html == "实验表明我们希望<mark>shortcut</mark>连接在宽网络上"


def test_chinese_terms_are_highlighted_without_question_words():
    query = rag.Query("捷径连接有什么作用", "捷径连接有什么作用", language="zh")
    terms = app.question_terms(query)
    assert "连接" in terms and "作用" in terms and "什么" not in terms
    html = app.highlight("shortcut 连接的作用是什么", terms)
    assert "<mark>连接</mark>" in html and "<mark>作用</mark>" in html and "<mark>什么</mark>" not in html


def test_highlighting_escapes_text_and_matches_case_insensitively():
    html = app.highlight("<b>ShortCut</b> & a <script>", ["shortcut", "script"])
    assert html == "&lt;b&gt;<mark>ShortCut</mark>&lt;/b&gt; &amp; a &lt;<mark>script</mark>&gt;"
    assert app.highlight("training", ["ai"]) == "training"  # a Latin term starts at a word boundary


def test_sources_show_the_question_terms_highlighted(index):
    messages, _ = run(index, "what did 冯佳时 say about shortcuts")[-1]
    assert "<mark>shortcut</mark>" in messages[-1]["content"]


# --- images --------------------------------------------------------------------------------------------------


@pytest.fixture
def images_root(tmp_path):
    root = tmp_path / "site"
    (root / "images" / "VALSE").mkdir(parents=True)
    (root / "images" / "VALSE" / "2020_1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "notes.txt").write_text("not an image")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def test_existing_images_become_thumbnails_and_missing_ones_names(images_root):
    answer = make_answer(images=("/images/VALSE/2020_1.png", "/images/VALSE/2020_2.png"))
    html = app.render_answer(answer, images_root)
    target = (images_root / "images" / "VALSE" / "2020_1.png").resolve()
    img = [attrs for tag, attrs in parse(html).tags if tag == "img"]
    assert len(img) == 1
    assert img[0]["src"] == app.FILE_URL + str(target)
    assert '<span class="rag-image-name">/images/VALSE/2020_2.png</span>' in html
    # no images root: names only
    plain = app.render_answer(answer, None)
    assert "<img" not in plain and "/images/VALSE/2020_1.png" in plain


@pytest.mark.parametrize(
    "name",
    [
        "../secret.png",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "/../secret.png",
        "images/../../secret.png",
        "images/%2e%2e/%2e%2e/secret.png",
        "..\\secret.png",
        "file:///etc/passwd",
        "http://example.com/x.png",
        "//example.com/x.png",
        "data:image/png;base64,AAAA",
        "notes.txt",
        "images/VALSE",
        "",
        "images/VALSE/2020_1.png\x00.txt",
    ],
)
def test_image_paths_never_resolve_outside_the_root(images_root, name):
    assert app.image_file(images_root, name) is None


def test_symlinks_out_of_the_root_are_not_served(images_root):
    link = images_root / "images" / "link.png"
    os.symlink(images_root.parent / "secret.png", link)
    assert app.image_file(images_root, "/images/link.png") is None


def test_image_paths_resolve_inside_the_root(images_root):
    target = (images_root / "images" / "VALSE" / "2020_1.png").resolve()
    for name in ("/images/VALSE/2020_1.png", "images/VALSE/2020_1.png", "/images/VALSE/../VALSE/2020_1.png?v=2"):
        assert app.image_file(images_root, name) == target
    many = tuple(f"/images/{n}.png" for n in range(app.MAX_THUMBNAILS + 3))
    assert "+3 more" in app.render_images(many, images_root)


# --- layout and command line ---------------------------------------------------------------------------------


def test_ui_builds_with_filters_from_the_index(index):
    import gradio as gr

    demo = app.build_ui(lambda: index, FAKE)
    assert isinstance(demo, gr.Blocks)
    dropdowns = {b.elem_id: b for b in demo.blocks.values() if isinstance(b, gr.Dropdown)}
    speakers = [value for _, value in dropdowns["speaker-filter"].choices]
    assert speakers == [app.ALL, *index.speakers]
    notes = [value for _, value in dropdowns["note-filter"].choices]
    assert notes == [app.ALL, *(file for file, _ in index.notes)]
    buttons = {b.value for b in demo.blocks.values() if isinstance(b, gr.Button)}
    assert set(app.EXAMPLES) <= buttons and "Clear chat" in buttons


def test_serve_flags_parse_with_loopback_defaults():
    args = _parser().parse_args(["serve"])
    assert (args.notes, args.index, args.host, args.port, args.images) == (
        Path("data"),
        Path("index"),
        "127.0.0.1",
        7860,
        None,
    )
    args = _parser().parse_args(["--config", "a.yaml", "serve", "--port", "8000", "--images", "site"])
    assert (args.config, args.port, args.images) == (Path("a.yaml"), 8000, Path("site"))
    assert _parser().parse_args(["serve", "--config", "b.yaml"]).config == Path("b.yaml")


def test_python_app_py_takes_the_serve_flags(capsys):
    with pytest.raises(SystemExit) as exit:
        app.main(["--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert "rag serve" in out and "--images" in out and "--port" in out
