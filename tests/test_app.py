"""The chat handler and its HTML, with the fake embedder: no model, no browser, no server."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes import FakeEmbedder, GatedEmbedder
from hypothesis import given, settings
from hypothesis import strategies as st
from llm_server import Reply, ScriptedServer

import app
import rag
from rag.cli import _parser
from rag.web.details import render_details
from rag.web.escape import highlight, question_terms
from rag.web.images import FILE_URL, image_file
from rag.web.live_index import CurrentIndex, WarmUpOnce
from rag.web.render import DETAILS_EMPTY, MAX_THUMBNAILS, render_answer, render_images, render_question, render_text

REPO = Path(__file__).resolve().parent.parent
FAKE = rag.Settings(model="fake-bigrams")
# Every tag app.py writes itself; anything else in its output would have come from a note or a question.
OUR_TAGS = frozenset("div p ul ol li span code mark a img table thead tbody tr th td b details summary".split())
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
                assert (attrs[name] or "").startswith(FILE_URL), attrs[name]


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


def run(index, question, history=None, speaker="", note="", images_root=None, chat=None):
    chat = chat or rag.Conversation(index)
    return list(app.respond(question, history or [], speaker, note, chat, images_root))


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
    unsupported=(),
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
    return rag.Answer(topic, text, abstained, (citation,), query, (hit,), unsupported=unsupported)


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
    details = render_details(answer, index.scores(answer))
    rows = details.count('<tr class="')
    assert rows == len(answer.hits) > 0
    first = answer.hits[0]
    assert f"{first.score:.4f}" in details
    assert (f"{first.dense:.3f}" if first.dense is not None else "—") in details
    assert "speaker 冯佳时 (named in the question)" in details
    assert details.count('<tr class="cited">') == len({c.chunk.location for c in answer.citations})


@pytest.mark.parametrize(
    "questions",
    [
        ("what did 冯佳时 say about shortcuts",),
        ("what is the best pizza in Naples",),
        ("who presented HRNet?", "what else did he say?"),
    ],
    ids=["answer", "abstention", "talk"],
)
def test_the_score_under_a_source_is_its_score_in_the_details(index, questions):
    chat = rag.Conversation(index)
    for question in questions:
        messages, details = run(index, question, chat=chat)[-1]
    listed = messages[-1]["content"].split('class="rag-sources"')[1]
    sources = re.findall(r'<span class="rag-cite">\[(\d+)\]</span>.*?score (\d\.\d\d)</div>', listed)
    row = r"<span class=\"rag-cite\">\[(\d+)\]</span></td>.*?</code></td><td class='num'>([\d.]+)<"
    rows = dict(re.findall(row, details))
    assert sources and all(rows[n] == score for n, score in sources), (sources, rows)
    # Closest sections first; the sections of a talk asked for are its answer, each scoring 1.
    scores = [float(score) for _, score in sources]
    assert scores == sorted(scores, reverse=True)
    if questions[-1] == "what else did he say?":
        assert set(scores) == {1.0}


def test_a_note_filter_that_leaves_out_the_named_speakers_talk_says_so(index):
    messages, details = run(index, "what did 冯佳时 say about shortcuts", note="valse2020-annual-review-1.md")[-1]
    final = messages[-1]["content"]
    assert "The note filter “VALSE2020重要主题年度进展回顾一：" in final
    assert "leaves out 冯佳时&#x27;s talk (it is in “讲座笔记 -- VALSE2020在线大会 网络架构设计与类脑”)" in final
    assert "rag-sources" not in final and "No chunk passed the filters" in details


def test_empty_question_gets_a_polite_message_and_no_user_bubble(index):
    (messages, details), *rest = run(index, "   ")
    assert not rest
    assert messages == [{"role": "assistant", "content": messages[0]["content"]}]
    assert "please type a question" in messages[0]["content"]
    assert details == DETAILS_EMPTY


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
    assert "筛选：笔记 VALSE2020重要主题年度进展回顾一" in final  # the title, not the file name; a Chinese label


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
    html = render_answer(
        make_answer(abstained=True, topic="高分辨率", text="笔记中没有涉及这个问题的内容。", language="zh")
    )
    assert "笔记中没有答案" in html and "最接近的部分" in html


def test_a_notice_is_shown_escaped_above_the_answer():
    answer = dataclasses.replace(make_answer(), notice="the <b>model</b> failed; extractive answer shown")
    html = render_answer(answer)
    assert '<div class="rag-notice">the &lt;b&gt;model&lt;/b&gt; failed; extractive answer shown</div>' in html


def test_errors_from_the_api_become_a_message():
    class Broken:
        notes = ()
        settings = FAKE

        def understand(self, question, speaker=None):
            return rag.Query(question, question)

        def answer_stream(self, *args, **kwargs):
            raise rag.ModelUnavailable("the model folder is missing")

    chat = rag.Conversation(Broken())  # type: ignore[arg-type]
    *_, (messages, _) = app.respond("a question", [], "", "", chat)
    assert 'class="rag-error"' in messages[-1]["content"]
    assert "the model folder is missing" in messages[-1]["content"]


# --- follow-ups and generated answers -------------------------------------------------------------------------

SHORTCUTS = "what did 冯佳时 say about shortcuts"


def final_html(steps) -> str:
    return steps[-1][0][-1]["content"]


def speakers_of(html: str) -> list[str]:
    return re.findall(r'<span class="rag-speaker">(.*?)</span>', html)


def test_followups_keep_the_previous_speaker_and_say_so(index):
    chat = rag.Conversation(index)
    first = final_html(run(index, SHORTCUTS, chat=chat))
    assert "rag-understood" not in first  # a question that names its speaker needs no label
    for question, label, title in (
        ("what else did he say?", "about 冯佳时&#x27;s talk", "how this follow-up was understood"),
        ("and about ConvBERT?", "about 冯佳时&#x27;s talk", "how this follow-up was understood"),
        ("他还讲了什么？", "关于冯佳时的报告", "对这个追问的理解"),  # the answer's language
    ):
        steps = run(index, question, chat=chat)
        assert label in steps[1][0][-1]["content"]  # shown while the notes are searched
        html = final_html(steps)
        assert f'<div class="rag-understood" title="{title}">{label}</div>' in html
        assert "speaker 冯佳时 (from the previous question)" in steps[-1][1]
        if question != "他还讲了什么？":
            assert speakers_of(html) and all(s.startswith("冯佳时 (") for s in speakers_of(html)), html
    # Every section of 冯佳时's talk has been cited by now: the answer says so instead of repeating them.
    assert "笔记中 冯佳时 的报告没有更多内容了：相关的部分上面都已引用。" in html and "rag-sources" not in html
    assert len(chat.turns) == 4


def test_a_new_conversation_has_no_previous_speaker(index):
    run(index, SHORTCUTS, chat=rag.Conversation(index))
    html = final_html(run(index, "what else did he say?", chat=rag.Conversation(index)))
    assert "rag-understood" not in html


@pytest.fixture
def llm(index):
    """The scripted language model server, and a conversation over an index configured to use it."""
    with ScriptedServer() as server:
        settings = dataclasses.replace(FAKE, llm_base_url=server.url, llm_model="scripted", llm_timeout=5.0)
        yield server, rag.Conversation(rag.open_index(index.path.parent, settings, FakeEmbedder()))


def test_generated_answer_streams_then_is_checked(llm, index):
    server, chat = llm
    server.script(Reply(["冯佳时 widened ", "the shortcut [1].", " It is <b>always</b> faster."]))
    steps = list(app.respond(SHORTCUTS, [], "", "", chat))

    partial = [m[-1]["content"] for m, _ in steps[1:-1]]
    assert [p.count("widened") for p in partial] == [1] * len(partial) and len(partial) == 3  # piece by piece
    assert all("rag-streaming" in p and "rag-sources" not in p for p in partial)
    assert "the shortcut" not in partial[0] and '<span class="rag-cite">[1]</span>' in partial[1]
    final = final_html(steps)
    assert 'class="rag-answer rag-generated"' in final and "rag-streaming" not in final
    # the sentence citing nothing is flagged, escaped; only the evidence cited is listed
    assert (
        '<span class="rag-unsupported" title="cites no source">It is &lt;b&gt;always&lt;/b&gt; faster.</span>' in final
    )
    assert "1 marked sentence cites no source" in final
    assert final.count('<li class="rag-source">') == 1 and "3.1 MobileNeXt" in final
    assert_inert(final)
    assert len(server.requests) == 1


def test_a_failing_language_model_leaves_the_extractive_answer_and_a_notice(llm):
    server, chat = llm
    server.script(Reply(status=500, body='{"error": {"message": "out of memory"}}'))
    final = final_html(list(app.respond(SHORTCUTS, [], "", "", chat)))
    assert '<div class="rag-notice">the language model server answered HTTP 500' in final
    assert "out of memory; showing the extractive answer instead</div>" in final
    assert "rag-generated" not in final and "3.1 MobileNeXt" in final and "rag-unsupported" not in final


def test_a_followup_is_rewritten_by_the_language_model_and_labelled(llm):
    server, chat = llm
    server.script(
        Reply(["He widened the shortcut [1]."]),
        Reply(["What else did 冯佳时 say?"]),  # the rewrite of the follow-up
        Reply(["He also presented ConvBERT [2]."]),
    )
    list(app.respond(SHORTCUTS, [], "", "", chat))
    steps = list(app.respond("what else did he say?", [], "", "", chat))
    html = final_html(steps)
    assert "about 冯佳时&#x27;s talk: “What else did 冯佳时 say?”" in html
    assert "He also presented ConvBERT" in html and all(s.startswith("冯佳时 (") for s in speakers_of(html))
    assert "rewritten by the language model as “What else did 冯佳时 say?”" in steps[-1][1]
    assert len(server.requests) == 3


def test_unsupported_sentences_are_marked_in_place():
    html = render_text("- A claim [1]. An <i>invented</i> one.\nPlain line", ("An <i>invented</i> one.", "Plain line"))
    assert html == (
        '<ul><li>A claim <span class="rag-cite">[1]</span>. '
        '<span class="rag-unsupported" title="cites no source">An &lt;i&gt;invented&lt;/i&gt; one.</span></li></ul>'
        '<p class="rag-message"><span class="rag-unsupported" title="cites no source">Plain line</span></p>'
    )


# --- a reindex while the app runs ------------------------------------------------------------------------------

NOTE = """---
title: Reload test
---

# 1. Talk

【讲者】**冯佳时**(NUS)

The shortcut connection in this talk is called {word}.
"""


@pytest.fixture
def reload_notes(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "talk.md").write_text(NOTE.format(word="ALPHAWIRE"), encoding="utf-8")
    folder = tmp_path / "index"
    settings = rag.Settings(model="fake-bigrams", min_relevance=0.0)
    rag.build_index(notes, folder, settings, embedder=FakeEmbedder())
    embedder = GatedEmbedder()
    return notes, folder, settings, embedder, CurrentIndex(rag.open_index(folder, settings, embedder), 0.0)


def reindex(notes, folder, settings, word: str) -> None:
    (notes / "talk.md").write_text(NOTE.format(word=word), encoding="utf-8")
    rag.build_index(notes, folder, settings, embedder=FakeEmbedder())


def test_a_reindex_is_picked_up_by_the_next_question(reload_notes):
    notes, folder, settings, embedder, current = reload_notes
    first = current()
    assert "ALPHAWIRE" in final_html(run(first, "what is the shortcut called?"))

    reindex(notes, folder, settings, "BETAWIRE")
    assert not first.is_current()
    second = current()
    assert second is not first and second.is_current() and second.embedder is embedder  # the model is shared
    html = final_html(run(second, "what is the shortcut called?"))
    assert "BETAWIRE" in html and "ALPHAWIRE" not in html
    assert current() is second


def test_an_answer_in_flight_during_a_reindex_finishes_on_the_old_index(reload_notes):
    notes, folder, settings, embedder, current = reload_notes
    embedder.gate.clear()  # the question is taken, then waits to be encoded
    index = current()
    steps = app.respond("what is the shortcut called?", [], "", "", rag.Conversation(index))
    assert "Searching the notes" in next(steps)[0][-1]["content"]

    reindex(notes, folder, settings, "BETAWIRE")
    shutil.rmtree(index.path)  # the old generation's files go (a later reindex deletes them)
    embedder.gate.set()
    html = final_html(list(steps))
    assert "ALPHAWIRE" in html and "BETAWIRE" not in html
    assert "BETAWIRE" in final_html(run(current(), "what is the shortcut called?"))


def test_a_new_index_that_cannot_be_opened_keeps_the_old_one(reload_notes, capsys):
    notes, folder, settings, _, current = reload_notes
    first = current()
    reindex(notes, folder, settings, "BETAWIRE")
    generation = folder / (folder / "CURRENT").read_text().strip()
    shutil.rmtree(generation / "bm25")  # damaged after it became current
    assert current() is first
    assert "keeping the index in use" in capsys.readouterr().err


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
    html = render_answer(make_answer(snippet=evil, speaker="<b onmouseover=alert(1)>x</b>"))
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
        title=title,
        headings=(heading,),
        snippet=snippet,
        speaker=speaker,
        images=(image,),
        topic=topic,
        text=f"{title} [1]\n- {heading}",
        unsupported=(heading,),
    )
    for html in (render_answer(answer), render_details(answer, [0.9]), render_question(topic)):
        assert_inert(html)
    text = "".join(parse(render_answer(answer)).text)
    for original in (snippet, speaker):
        # HTMLParser normalizes \r; what matters is that the text survives unchanged otherwise
        assert original.replace("\r", "\n").strip() in text.replace("\r", "\n")


def test_the_details_say_what_kind_of_answer_and_which_person_the_question_was_read_for():
    answer = make_answer(topic="门票多少钱")
    answer = dataclasses.replace(
        answer, query=dataclasses.replace(answer.query, asks_for="price", mentioned="Jeff Dean")
    )
    text = "".join(parse(render_details(answer, [0.9])).text)
    assert "asks for a price" in text and "Jeff Dean, whom the notes mention" in text


# --- highlighting --------------------------------------------------------------------------------------------


def test_question_terms_are_highlighted_in_snippets():
    query = rag.Query("what did 冯佳时 say about shortcuts", "what did say about shortcuts", speaker="冯佳时")
    terms = question_terms(query)
    assert "shortcuts" in terms and "shortcut" in terms and "what" not in terms and "about" not in terms
    html = highlight("实验表明我们希望shortcut连接在宽网络上", terms)
    assert html == "实验表明我们希望<mark>shortcut</mark>连接在宽网络上"


def test_chinese_terms_are_highlighted_without_question_words():
    query = rag.Query("捷径连接有什么作用", "捷径连接有什么作用", language="zh")
    terms = question_terms(query)
    assert "连接" in terms and "作用" in terms and "什么" not in terms
    html = highlight("shortcut 连接的作用是什么", terms)
    assert "<mark>连接</mark>" in html and "<mark>作用</mark>" in html and "<mark>什么</mark>" not in html


def test_highlighting_escapes_text_and_matches_case_insensitively():
    html = highlight("<b>ShortCut</b> & a <script>", ["shortcut", "script"])
    assert html == "&lt;b&gt;<mark>ShortCut</mark>&lt;/b&gt; &amp; a &lt;<mark>script</mark>&gt;"
    assert highlight("training", ["ai"]) == "training"  # a Latin term starts at a word boundary


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
    html = render_answer(answer, images_root)
    target = (images_root / "images" / "VALSE" / "2020_1.png").resolve()
    img = [attrs for tag, attrs in parse(html).tags if tag == "img"]
    assert len(img) == 1
    assert img[0]["src"] == FILE_URL + str(target)
    assert '<span class="rag-image-name">/images/VALSE/2020_2.png</span>' in html
    # no images root: names only
    plain = render_answer(answer, None)
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
    assert image_file(images_root, name) is None


def test_symlinks_out_of_the_root_are_not_served(images_root):
    link = images_root / "images" / "link.png"
    os.symlink(images_root.parent / "secret.png", link)
    assert image_file(images_root, "/images/link.png") is None


def test_image_paths_resolve_inside_the_root(images_root):
    target = (images_root / "images" / "VALSE" / "2020_1.png").resolve()
    for name in ("/images/VALSE/2020_1.png", "images/VALSE/2020_1.png", "/images/VALSE/../VALSE/2020_1.png?v=2"):
        assert image_file(images_root, name) == target
    many = tuple(f"/images/{n}.png" for n in range(MAX_THUMBNAILS + 3))
    assert "+3 more" in render_images(many, images_root)


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
    (box,) = [b for b in demo.blocks.values() if isinstance(b, gr.Textbox) and b.elem_id == "question"]
    assert box.max_length == 1000  # as rag.InvalidQuestion's limit


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
    assert out.startswith("usage: app.py ") and "--images" in out and "--port" in out  # its own name, not "rag serve"


def test_app_imports_gradio_only_to_serve():
    """`python app.py --help` (and `rag`) need not wait seconds for Gradio."""
    code = "import sys, app; print('gradio' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_warm_up_runs_once_at_the_first_page_load_or_after_the_delay():
    asked = []
    ready = threading.Event()

    class Index:
        def ask(self, question):
            asked.append(question)
            ready.set()

    warm = WarmUpOnce(Index, "q", after=60.0)
    warm.start()  # the timer is far off: the page load starts it
    warm()
    warm()
    assert ready.wait(10) and asked == ["q"]
    ready.clear()
    later = WarmUpOnce(Index, "r", after=0.01)
    later.start()  # no page loads: the timer starts it
    assert ready.wait(10) and asked == ["q", "r"]
    later()
    time.sleep(0.1)
    assert asked == ["q", "r"]
