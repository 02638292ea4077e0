"""What a person reads on the chat page, in headless Chromium: where messages land, the answer's language in
its labels, contrast, collapsed slide lists, the question kept in view, and what screen readers are given.

The server (real model over the sample notes, two of MobileNeXt's slides under the images root) and the
browser are test_browser.py's fixtures.
"""

# ruff: noqa: F401, F811  (test_browser's fixtures, imported to be used by name as arguments)

from __future__ import annotations

import pytest
from test_browser import (
    ask,
    browser,
    choose,
    expect,
    images_root,
    open_chat,
    page,
    sample_index,
    server,
)

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:::gradio.queueing")]

SHORTCUTS = "what did 冯佳时 say about shortcuts"
# WCAG 2 contrast of an element's text against the first opaque background behind it (alpha blended).
CONTRAST = """
el => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const bg = rgba(getComputedStyle(node).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const style = getComputedStyle(el);
  const fg = over(rgba(style.color).map((v, i) => i === 3 ? v * Number(style.opacity) : v), bg);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def test_an_empty_question_gets_its_own_box_not_the_previous_answers(page, server):
    open_chat(page, server)
    ask(page, SHORTCUTS)
    page.locator("#question textarea").fill("   ")
    page.locator("#question textarea").press("Enter")

    notice = page.locator("#chat .rag-notice")
    expect(notice).to_contain_text("please type a question")
    expect(page.locator("#chat .message-row:has(.rag-sources) .rag-notice")).to_have_count(0)
    expect(page.locator("#chat .message-row:has(.rag-notice) .rag-sources")).to_have_count(0)


def test_labels_follow_the_answers_language(page, server):
    open_chat(page, server)
    choose(page, "speaker-filter", "韩松")
    chinese = ask(page, "ProxylessNAS 用什么作为反馈？")
    expect(chinese.locator(".rag-filters")).to_have_text("筛选：讲者 韩松")
    expect(chinese.locator(".rag-sources-title")).to_have_text("来源")
    expect(chinese.locator(".rag-source-meta").first).to_contain_text("得分")
    assert "Filtered" not in chinese.inner_text() and "Sources" not in chinese.inner_text()

    english = ask(page, "what does he use as feedback in ProxylessNAS?")
    expect(english.locator(".rag-filters")).to_have_text("Filtered to speaker 韩松")
    expect(english.locator(".rag-sources-title")).to_have_text("Sources")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_metadata_and_slide_names_meet_wcag_aa_contrast(page, server, theme):
    open_chat(page, f"{server}?__theme={theme}")
    answer = ask(page, SHORTCUTS)
    assert page.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
    for summary in answer.locator(".rag-image-list summary").all():
        summary.click()  # the names are collapsed until opened
    texts = answer.locator(
        ".rag-source-meta, .rag-source-meta .rag-speaker, .rag-source-meta code, .rag-image-name, "
        ".rag-image-list summary, .rag-cite, .rag-sources-title"
    )
    assert texts.count() >= 6
    for n in range(texts.count()):
        text = texts.nth(n)
        if not text.is_visible():
            continue
        ratio = text.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{ratio:.2f}:1 for {text.evaluate('e => e.outerHTML.slice(0, 120)')}"


def test_long_lists_of_slide_names_are_collapsed(page, server):
    open_chat(page, server)
    source = ask(page, SHORTCUTS).locator(".rag-source").first
    expect(source.locator(".rag-images img")).to_have_count(2)  # the slides found stay in view
    names = source.locator(".rag-image-list")
    expect(names.locator("summary")).to_have_text("7 more slide images")
    expect(names.locator(".rag-image-name").first).to_be_hidden()
    names.locator("summary").click()
    expect(names.locator(".rag-image-name").first).to_be_visible()
    expect(names.locator(".rag-image-name")).to_have_count(7)


def test_the_question_stays_in_view_at_the_top_of_a_long_answer(page, server):
    open_chat(page, server)
    ask(page, SHORTCUTS)
    answer = ask(page, "王井东讲了什么？")
    wrap = page.locator("#chat .bubble-wrap")
    question = page.locator("#chat .rag-question").last
    expect(question).to_have_text("王井东讲了什么？")
    view = wrap.bounding_box()
    assert answer.bounding_box()["height"] > view["height"] / 2, "the answer should be long"
    page.wait_for_timeout(500)  # any late scrolling has happened
    box = question.bounding_box()
    assert view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"] / 3, (box, view)


def test_aria_labels_hold_the_messages_text_not_their_markup(page, server):
    open_chat(page, server)
    ask(page, SHORTCUTS)
    labels = page.locator("#chat [aria-label*='message']")
    expect(labels).to_have_count(2)
    page.wait_for_timeout(300)
    values = [labels.nth(n).get_attribute("aria-label") or "" for n in range(labels.count())]
    for value in values:
        assert "<" not in value and "class=" not in value, value[:200]
    assert SHORTCUTS in values[0] and "冯佳时" in values[1] and "MobileNeXt" in values[1], values


def test_the_score_under_a_source_is_its_score_in_the_retrieval_details(page, server):
    open_chat(page, server)
    source = ask(page, SHORTCUTS).locator(".rag-source").first
    expect(source.locator(".rag-source-meta")).to_contain_text(" · score ")
    shown = source.locator(".rag-source-meta").inner_text().rsplit("score ", 1)[1]
    page.get_by_text("Retrieval details").click()
    details = page.locator("#details table")
    expect(details.locator("th").nth(5)).to_have_text("score")
    cited = details.locator("tr.cited", has=page.locator(".rag-cite", has_text="[1]"))
    expect(cited.locator("td").nth(5)).to_have_text(shown)
    assert float(shown) > 0.5  # an answer: above the abstention threshold, as the README says


def test_a_note_filter_that_leaves_out_the_named_speakers_talk_says_so(page, server):
    open_chat(page, server)
    review = "VALSE2020重要主题年度进展回顾一：模型压缩，图神经网络，场景文字检测与识别，元学习"
    choose(page, "note-filter", review)
    page.locator("#question textarea").fill(SHORTCUTS)
    page.locator("#question textarea").press("Enter")
    answer = page.locator("#chat .rag-answer.rag-abstained")
    expect(answer.locator(".rag-message")).to_have_text(
        f"The note filter “{review}” leaves out 冯佳时's talk (it is in “讲座笔记 -- VALSE2020在线大会 网络架构设计与类脑”); "
        "clear the filter to ask about it.",
        timeout=60_000,
    )
    expect(answer.locator(".rag-label")).to_have_text("Not in the notes")
    expect(answer.locator(".rag-sources")).to_have_count(0)  # no empty list of closest sections
