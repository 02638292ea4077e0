"""The chat page in headless Chromium (Debian's package; playwright cannot download browsers here).

App servers run in this process: the real model over the sample notes, without and with a (scripted,
loopback) language model; the fake embedder over a note full of HTML, and over a note that is reindexed
while the app runs; and `python app.py` itself in a subprocess. Each test leaves a screenshot in artifacts/.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from fakes import FakeEmbedder, GatedEmbedder
from llm_server import Reply, ScriptedServer

import app
import rag
from rag.web.images import FILE_URL
from rag.web.live_index import CurrentIndex
from rag.web.server import launch

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:::gradio.queueing"),  # Gradio's own pandas deprecation warnings
]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SHORTCUTS = "what did 冯佳时 say about shortcuts"
# Set when an answer was on screen before it was complete: the answer appears progressively. The texts a
# generated answer showed while it streamed are kept in order.
WATCH_STREAMING = """
window.__streamed = false;
window.__partials = [];
new MutationObserver(() => {
  if (document.querySelector('.rag-streaming')) window.__streamed = true;
  const partial = document.querySelector('.rag-generated:has(.rag-streaming) .rag-message');
  if (partial && partial.textContent !== window.__partials.at(-1)) window.__partials.push(partial.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
EVIL_NOTE = """---
title: Evil <script>window.__xss = 1; alert(1)</script> notes
---

# Attack <img src=x onerror="window.__xss = 2; alert(2)"> talk

【讲者】**Mallory**(Evil <b onmouseover="window.__xss = 3">Corp</b>)

Shortcut connections help training, see [the paper](javascript:window.__xss=12), <a href="javascript:window.__xss=13">this link</a> and <javascript:window.__xss=14>. <script>window.__xss = 4</script> ${window.__xss = 5} {{constructor.constructor('window.__xss = 6')()}}

    <script>window.__xss = 7</script><img src=x onerror="window.__xss = 8">

![x](javascript:window.__xss=9)
"""

if not Path(CHROMIUM).exists():
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)


def png(size: int = 8) -> bytes:
    """A small orange square."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xf9\x73\x16" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def images_root(tmp_path_factory) -> Path:
    """Two of the slides of 3.1 MobileNeXt exist; the rest of the sample notes' images do not. The root is
    a site with other files, none of which may be served; beside it, an image with a link to it inside."""
    root = tmp_path_factory.mktemp("site")
    (root / "images" / "VALSE").mkdir(parents=True)
    for name in ("2020_67.png", "2020_68.png"):
        (root / "images" / "VALSE" / name).write_bytes(png())
    (root / "index.html").write_text("<script>window.__xss = 20</script>")
    (root / "images" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote] token = secret")
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(png(4))
    (root / "images" / "secret-link.png").symlink_to(outside)
    return root


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory, real_embedder) -> Path:
    folder = tmp_path_factory.mktemp("index")
    rag.build_index(REPO / "data", folder, rag.Settings(), embedder=real_embedder)
    return folder


@pytest.fixture(scope="module")
def server(sample_index, real_embedder, images_root):
    """The chat over the sample notes with the real model, served from this process."""
    settings = rag.Settings(cache_dir=str(REPO / ".cache"), images_root=str(images_root))
    index = rag.open_index(sample_index, settings, embedder=real_embedder)
    demo = app.build_ui(CurrentIndex(index), settings)
    url = launch(demo, "127.0.0.1", free_port(), images_root, block=False)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def llm_server(sample_index, real_embedder):
    """The same chat configured to generate answers with the scripted language model on loopback."""
    with ScriptedServer() as llm:
        settings = rag.Settings(llm_base_url=llm.url, llm_model="scripted", llm_timeout=10.0)
        index = rag.open_index(sample_index, settings, embedder=real_embedder)
        demo = app.build_ui(CurrentIndex(index), settings)
        url = launch(demo, "127.0.0.1", free_port(), None, block=False)
        yield url, llm
        demo.close()


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    """The chat over one note full of HTML and script."""
    notes = tmp_path_factory.mktemp("evil-notes")
    (notes / "evil.md").write_text(EVIL_NOTE, encoding="utf-8")
    settings = rag.Settings(model="fake-bigrams", min_relevance=0.0)  # answer from the note, never abstain
    folder = tmp_path_factory.mktemp("evil-index")
    rag.build_index(notes, folder, settings, embedder=FakeEmbedder())
    index = rag.open_index(folder, settings, embedder=FakeEmbedder())
    demo = app.build_ui(lambda: index, settings, pace=0.0)
    url = launch(demo, "127.0.0.1", free_port(), None, block=False)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no cookies, no storage) per test; a screenshot in artifacts/ after it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="en-US")
    page = context.new_page()
    page.add_init_script(WATCH_STREAMING)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def open_chat(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#question textarea")).to_be_visible(timeout=30_000)


def ask(page, question: str, timeout: float = 60_000):
    """Type a question, press Enter, and return the finished answer (the last assistant message)."""
    answers = page.locator("#chat .rag-answer:has(.rag-sources)")
    before = answers.count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(answers).to_have_count(before + 1, timeout=timeout)
    return answers.last


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"#{dropdown} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.locator(f"#{dropdown} input")).to_have_value(option)


def test_shortcut_question_cites_mobilenext_and_its_speaker(page, server):
    open_chat(page, server)
    answer = ask(page, SHORTCUTS)

    expect(answer).to_be_visible()
    expect(answer.locator(".rag-message").first).to_contain_text("冯佳时")
    expect(answer.locator("li .rag-cite").first).to_have_text("[1]")
    source = answer.locator(".rag-source").first
    expect(source).to_be_visible()
    expect(source.locator(".rag-source-path")).to_contain_text("3.1 MobileNeXt")
    expect(source.locator(".rag-speaker")).to_contain_text("冯佳时 (National University of Singapore)")
    expect(source.locator(".rag-location")).to_contain_text("valse2020-network-architecture.md:")
    expect(source.locator(".rag-snippet mark").first).to_have_text("shortcut", ignore_case=True)
    assert page.evaluate("window.__streamed"), "the answer should appear line by line"

    # Slides present under the images root are thumbnails served by the app; the others are names.
    thumbnails = source.locator(".rag-images img")
    expect(thumbnails).to_have_count(2)
    thumbnails.first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 8", arg=thumbnails.first.element_handle())
    expect(source.locator(".rag-image-name").first).to_have_text("/images/VALSE/2020_69.png")

    page.get_by_text("Retrieval details").click()
    details = page.locator("#details table")
    expect(details).to_be_visible()
    expect(details.locator("th")).to_contain_text(["dense", "keyword", "fused"])
    expect(details.locator("tr.cited").first).to_contain_text("3.1 MobileNeXt")


def test_speaker_filter_applies_to_retrieval(page, server):
    open_chat(page, server)
    choose(page, "speaker-filter", "李国齐")
    answer = ask(page, "what are the main challenges?")

    expect(answer.locator(".rag-filters")).to_have_text("Filtered to speaker 李国齐")
    speakers = answer.locator(".rag-speaker")
    expect(speakers.first).to_be_visible()
    assert speakers.count() >= 1
    for text in speakers.all_inner_texts():
        assert text.startswith("李国齐"), text


def test_examples_ask_and_clear_empties_the_chat(page, server):
    open_chat(page, server)
    example = "为什么要保持高分辨率表示？"
    page.get_by_role("button", name=example).click()
    answers = page.locator("#chat .rag-answer:has(.rag-sources)")
    expect(answers).to_have_count(1, timeout=60_000)
    expect(page.locator("#chat .rag-question")).to_have_text(example)
    expect(answers.first.locator(".rag-source").first).to_be_visible()

    page.get_by_role("button", name="what did Yann LeCun say about transformers").click()
    expect(answers).to_have_count(2, timeout=60_000)
    abstained = answers.last
    expect(abstained).to_have_class("rag-answer rag-abstained")
    expect(abstained.locator(".rag-label")).to_have_text("Not in the notes")
    expect(abstained.locator(".rag-sources-title")).to_have_text("Closest sections")
    expect(abstained.locator(".rag-source").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "examples_before_clear.png"), full_page=True)

    page.get_by_role("button", name="Clear chat").click()
    expect(page.locator("#chat .rag-answer")).to_have_count(0)
    expect(page.locator("#chat .rag-question")).to_have_count(0)


def test_html_in_notes_and_questions_never_runs(page, evil_server):
    open_chat(page, evil_server)
    answer = ask(
        page,
        'shortcut connections <img src=x onerror="window.__xss = 10"><script>window.__xss = 11</script> '
        "[see](javascript:window.__xss=15)",
    )

    expect(answer.locator(".rag-source-path").first).to_contain_text(
        "Evil <script>window.__xss = 1; alert(1)</script> notes"
    )
    expect(page.locator("#chat .rag-question")).to_contain_text('<img src=x onerror="window.__xss = 10">')
    page.get_by_text("Retrieval details").click()
    expect(page.locator("#details table")).to_be_visible()
    page.locator("#note-filter input").click()  # the note's title as a dropdown option
    expect(page.get_by_role("option").last).to_contain_text("<script>")
    page.keyboard.press("Escape")
    page.locator("#chat .rag-speaker").first.hover()
    # Markdown links in the note and in the question are text: clicking them goes nowhere.
    expect(page.locator("#chat .rag-question")).to_contain_text("[see](javascript:window.__xss=15)")
    link = answer.locator("ul li").filter(has_text="the paper").first
    expect(link).to_contain_text("Shortcut connections help training, see the paper, this link and")
    link.get_by_text("the paper").click()
    page.locator("#chat .rag-question").get_by_text("[see](javascript:window.__xss=15)").click()

    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator("#chat script, #details script").count() == 0
    assert page.locator("#chat [onerror], #chat [onmouseover], #chat [onload]").count() == 0
    assert page.locator('#chat a[href^="javascript:"]').count() == 0


def test_python_app_py_builds_the_index_and_serves_the_chat(page, tmp_path, real_embedder):
    """The README's first command, on an empty index folder: build with progress, then a page that answers."""
    config = tmp_path / "rag.yaml"
    config.write_text(f"cache_dir: {REPO / '.cache'}\n", encoding="utf-8")  # the model real_embedder converted
    port = free_port()
    command = [sys.executable, "app.py", "--config", str(config), "--index", str(tmp_path / "index")]
    log = tmp_path / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy()
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 180
        while f"chat on http://127.0.0.1:{port} " not in log.read_text():  # printed once the server is up
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        urllib.request.urlopen(url, timeout=10).close()
        output = log.read_text()
        assert "embedding" in output and "built (embedded" in output, output

        open_chat(page, url)
        answer = ask(page, SHORTCUTS, timeout=120_000)
        expect(answer.locator(".rag-source-path").first).to_contain_text("3.1 MobileNeXt")
        expect(answer.locator(".rag-speaker").first).to_contain_text("冯佳时")
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- follow-ups and generated answers -------------------------------------------------------------------------


def test_followups_keep_the_speaker_and_show_how_they_were_understood(page, server):
    open_chat(page, server)
    ask(page, SHORTCUTS)

    more = ask(page, "what else did he say?")
    expect(more.locator(".rag-understood")).to_have_text("about 冯佳时's talk")
    expect(more.locator(".rag-source").first).to_be_visible()
    for text in more.locator(".rag-speaker").all_inner_texts():
        assert text.startswith("冯佳时"), text
    for path in more.locator(".rag-source-path").all_inner_texts():
        assert "3.1 MobileNeXt" not in path, "what else: the section cited before gives way to the others"

    convbert = ask(page, "and about ConvBERT?")
    expect(convbert.locator(".rag-understood")).to_have_text("about 冯佳时's talk")
    expect(convbert.locator(".rag-source-path").first).to_contain_text("3.2 ConvBERT")
    expect(convbert.locator(".rag-speaker").first).to_contain_text("冯佳时 (National University of Singapore)")
    page.get_by_text("Retrieval details").click()
    expect(page.locator("#details")).to_contain_text("speaker 冯佳时 (from the previous question)")
    page.screenshot(path=str(ARTIFACTS / "followups_three_turns.png"), full_page=True)

    page.get_by_role("button", name="Clear chat").click()  # a new conversation: nobody to refer back to
    expect(page.locator("#chat .rag-answer")).to_have_count(0)
    expect(ask(page, "what else did he say?").locator(".rag-understood")).to_have_count(0)


GENERATED = [
    "冯佳时 ",
    "moved the shortcut ",
    "to the wide, high-dimensional features [1]",
    ", which speeds up convergence [1].",
    " It also makes every model twice as fast.",
]


def test_generated_answer_streams_with_markers_and_only_cited_sources(page, llm_server):
    url, llm = llm_server
    llm.script(
        Reply(GENERATED, gap=0.25),
        Reply(["What else did 冯佳时 say?"]),  # the language model's rewrite of the follow-up
        Reply(["He also rethought bottleneck and self-attention ", "structures for efficient networks [1]."], gap=0.1),
    )
    open_chat(page, url)
    box = page.locator("#question textarea")
    box.fill(SHORTCUTS)
    box.press("Enter")
    page.wait_for_function("window.__partials.length >= 3")
    page.screenshot(path=str(ARTIFACTS / "generated_answer_streaming.png"), full_page=True)
    answers = page.locator("#chat .rag-answer:has(.rag-sources)")
    expect(answers).to_have_count(1, timeout=60_000)

    partials = page.evaluate("window.__partials")
    assert len(partials) >= 3 and all(b.startswith(a) for a, b in itertools.pairwise(partials)), partials
    answer = answers.last
    expect(answer).to_have_class("rag-answer rag-generated")
    expect(answer.locator(".rag-message")).to_have_text(
        "冯佳时 moved the shortcut to the wide, high-dimensional features [1], which speeds up convergence [1]. "
        "It also makes every model twice as fast."
    )
    expect(answer.locator(".rag-message .rag-cite")).to_have_text(["[1]", "[1]"])
    expect(answer.locator(".rag-unsupported")).to_have_text("It also makes every model twice as fast.")
    expect(answer.locator(".rag-unsupported-note")).to_contain_text("1 marked sentence cites no source")
    expect(answer.locator(".rag-source")).to_have_count(1)  # only the evidence the answer cites
    expect(answer.locator(".rag-source-path")).to_contain_text("3.1 MobileNeXt")
    expect(answer.locator(".rag-speaker")).to_contain_text("冯佳时 (National University of Singapore)")
    answer.screenshot(path=str(ARTIFACTS / "generated_answer.png"))
    assert "Question: what did 冯佳时 say about shortcuts" in llm.requests[0]["body"]["messages"][1]["content"]

    followup = ask(page, "what else did he say?")
    expect(followup.locator(".rag-understood")).to_have_text("about 冯佳时's talk: “What else did 冯佳时 say?”")
    expect(followup.locator(".rag-message")).to_have_text(
        "He also rethought bottleneck and self-attention structures for efficient networks [1]."
    )
    expect(followup.locator(".rag-speaker")).to_have_text(["冯佳时 (National University of Singapore)"])
    expect(followup.locator(".rag-source-path")).to_contain_text("3. Rethinking Bottleneck")
    assert len(llm.requests) == 3


# --- a reindex while the app runs ------------------------------------------------------------------------------

RELOAD_NOTE = """---
title: {title}
---

# 1. Talk

【讲者】**冯佳时**(NUS)

The shortcut connection in this talk is called {word}.
"""


@pytest.fixture
def reload_server(tmp_path):
    """The chat over one note that the test reindexes; the app checks for a new index on every question."""
    notes = tmp_path / "notes"
    notes.mkdir()
    folder = tmp_path / "index"
    settings = rag.Settings(model="fake-bigrams", min_relevance=0.0)

    def reindex(title: str, word: str) -> None:
        (notes / "talk.md").write_text(RELOAD_NOTE.format(title=title, word=word), encoding="utf-8")
        rag.build_index(notes, folder, settings, embedder=FakeEmbedder())

    reindex("Reload v1", "ALPHAWIRE")
    embedder = GatedEmbedder()
    current = CurrentIndex(rag.open_index(folder, settings, embedder=embedder), check_every=0.0)
    demo = app.build_ui(current, settings, pace=0.0)
    url = launch(demo, "127.0.0.1", free_port(), None, block=False)
    yield url, reindex, current, embedder
    demo.close()


def test_a_reindex_is_answered_without_restarting_the_app(page, reload_server):
    url, reindex, _, _ = reload_server
    open_chat(page, url)
    expect(ask(page, "what is the shortcut called?")).to_contain_text("ALPHAWIRE")

    reindex("Reload v2", "BETAWIRE")
    answer = ask(page, "what is the shortcut called?")
    expect(answer.locator("ul")).to_contain_text("BETAWIRE")
    expect(answer.locator(".rag-source-path")).to_contain_text("Reload v2")
    expect(answer).not_to_contain_text("ALPHAWIRE")

    open_chat(page, url)  # a page loaded now lists the new index's notes
    page.locator("#note-filter input").click()
    expect(page.get_by_role("option", name="Reload v2")).to_be_visible()


def test_an_answer_in_flight_during_a_reindex_finishes_on_the_old_index(page, reload_server):
    url, reindex, current, embedder = reload_server
    open_chat(page, url)
    old = current.index
    embedder.gate.clear()  # the question takes the index, then waits to be encoded
    box = page.locator("#question textarea")
    box.fill("what is the shortcut called?")
    box.press("Enter")
    expect(page.locator("#chat .rag-pending")).to_contain_text("Searching the notes")

    reindex("Reload v2", "BETAWIRE")
    shutil.rmtree(old.path)  # the old generation's files are gone too (a later reindex deletes them)
    embedder.gate.set()
    answers = page.locator("#chat .rag-answer:has(.rag-sources)")
    expect(answers).to_have_count(1, timeout=30_000)
    expect(answers.last).to_contain_text("ALPHAWIRE")

    expect(ask(page, "what is the shortcut called?")).to_contain_text("BETAWIRE")
    assert current.index is not old


# --- files over HTTP ---------------------------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_only_images_inside_the_images_root_are_served(server, images_root):
    def file_url(path: str | Path) -> str:
        return server + FILE_URL + quote(str(path))

    inside = images_root / "images" / "VALSE" / "2020_67.png"
    assert fetch(file_url(inside)) == (200, png())
    outside = (images_root / "images" / "secret-link.png").resolve()
    assert outside.is_file() and not outside.is_relative_to(images_root)
    for path in (
        f"{images_root}/../../../../../../etc/passwd",  # what `![](../../etc/passwd)` would become if joined
        "/etc/passwd",
        outside,
        f"{images_root}/images/../../{outside.parent.name}/secret.png",
        images_root / "images" / "secret-link.png",  # a link inside the root to a file outside it
        REPO / "README.md",
        images_root / "index.html",  # the root's own files that are not raster images
        images_root / "images" / "logo.svg",
        images_root / ".git" / "config",
    ):
        status, body = fetch(file_url(path))
        assert status in (403, 404) and body == b"", (path, status)
    assert fetch(f"{server}file/{images_root}/index.html")[0] == 403  # Gradio's older route
