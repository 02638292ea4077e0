"""The chat page in headless Chromium (Debian's package; playwright cannot download browsers here).

One app server per module, in this process, with the real model over the sample notes; a second one with
the fake embedder over a note full of HTML; and `python app.py` itself in a subprocess. Each test leaves
a screenshot in artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path

import pytest
from fakes import FakeEmbedder

import app
import rag

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
# Set when an answer was on screen before it was complete: the answer appears progressively.
WATCH_STREAMING = """
window.__streamed = false;
new MutationObserver(() => {
  if (document.querySelector('.rag-streaming')) window.__streamed = true;
}).observe(document, {subtree: true, childList: true});
"""
EVIL_NOTE = """---
title: Evil <script>window.__xss = 1; alert(1)</script> notes
---

# Attack <img src=x onerror="window.__xss = 2; alert(2)"> talk

【讲者】**Mallory**(Evil <b onmouseover="window.__xss = 3">Corp</b>)

Shortcut connections help training. <script>window.__xss = 4</script> ${window.__xss = 5} {{constructor.constructor('window.__xss = 6')()}}

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
    """Two of the slides of 3.1 MobileNeXt exist; the rest of the sample notes' images do not."""
    root = tmp_path_factory.mktemp("site")
    (root / "images" / "VALSE").mkdir(parents=True)
    for name in ("2020_67.png", "2020_68.png"):
        (root / "images" / "VALSE" / name).write_bytes(png())
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_embedder, images_root):
    """The chat over the sample notes with the real model, served from this process."""
    settings = rag.Settings(cache_dir=str(REPO / ".cache"), images_root=str(images_root))
    folder = tmp_path_factory.mktemp("index")
    rag.build_index(REPO / "data", folder, settings, embedder=real_embedder)
    index = rag.open_index(folder, settings, embedder=real_embedder)
    demo = app.build_ui(lambda: index, settings)
    url = app.launch(demo, "127.0.0.1", free_port(), images_root, block=False)
    yield url
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
    url = app.launch(demo, "127.0.0.1", free_port(), None, block=False)
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
    answer = ask(page, 'shortcut connections <img src=x onerror="window.__xss = 10"><script>window.__xss = 11</script>')

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
