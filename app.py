"""The browser chat: a plain respond() generator, HTML rendering of answers, a few lines of Gradio layout.

Run `python app.py` (or `rag serve`) and open http://127.0.0.1:7860. Everything shown that comes from
notes or questions is escaped here with html.escape: the page never runs HTML or script found in a note.
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import gradio as gr
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse

import rag
from rag.api import MAX_QUESTION_CHARS, load_model

log = logging.getLogger("app")

EXAMPLES = (
    "what did 冯佳时 say about shortcuts",
    "为什么要保持高分辨率表示？",
    "what is the problem with training deep GNNs?",
    "what did Yann LeCun say about transformers",
)
ALL = ""  # the dropdown value meaning "no filter"
DETAILS_EMPTY = '<p class="rag-muted">Ask a question to see which sections were considered and how they scored.</p>'
MAX_THUMBNAILS = 12
RASTER = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".avif"})
SHOWN_QUESTION_CHARS = 300
FILE_URL = "gradio_api/file="  # relative, so it also works under a proxy's root path
_FILE_ROUTE = re.compile(r"/file[=/](?P<path>.+)$")  # Gradio's file routes: /gradio_api/file=…, /file/…
# Gradio's queue. CONCURRENCY questions are answered at a time: the model encodes one question at a time
# anyway (a lock in the index), so more workers add no CPU work, but while one answer streams (its lines
# paced, or a language model's tokens arriving) the next questions are searched. Up to QUEUE_SIZE more
# wait their turn; beyond that a user is told at once that the queue is full instead of waiting minutes.
CONCURRENCY = 8
QUEUE_SIZE = 128

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#\-]*")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_MARKER = re.compile(r"\[(\d{1,3})\]")
# Question words to leave unhighlighted; highlighting is presentation only, retrieval has its own tokenizer.
_STOP_LATIN = frozenset(
    """a an the of to in on at for and or but is are was were be do does did what which who whom how why when
    where that this these those it its about say says said talk talked tell told mention mentioned explain
    discuss with from by as into not no can could would should will any some all me my we our you your i
    there here he she they his her their""".split()
)
_STOP_CJK = frozenset(
    "什么 哪些 哪个 怎么 如何 为什么 关于 有关 讲了 说了 谈到 提到 介绍 认为 一下 一些 他们 我们 你们".split()
)
_STOP_CJK_CHARS = frozenset("的了是在和与及或也都就而有对把被让给从到为以中上下这那其吗呢吧啊讲说谈他她它请问")

# Gradio's CSS variables keep the colours right in light and dark mode.
CSS = """
.rag-answer p { margin: 0 0 .4em 0; }
.rag-answer ul { margin: .2em 0 .6em 1.2em; padding: 0; }
.rag-cite { color: var(--color-accent, #f97316); font-weight: 600; white-space: nowrap; }
.rag-label { display: inline-block; font-weight: 600; font-size: .85em; padding: .1em .6em; margin-bottom: .4em;
  border-radius: 999px; background: #fef3c7; color: #92400e; }
.rag-abstained { border-left: 4px solid #f59e0b; padding-left: .7em; }
.rag-abstained .rag-message { font-style: italic; }
.rag-notice { color: var(--body-text-color-subdued, #6b7280); font-style: italic; }
.rag-understood { font-size: .85em; color: var(--body-text-color-subdued, #6b7280); margin-bottom: .3em; }
.rag-understood::before { content: "↪ "; }
.rag-unsupported { text-decoration: underline dotted #d97706; text-underline-offset: 3px; }
.rag-unsupported-note { font-size: .85em; color: #b45309; }
.rag-error { color: #b91c1c; }
.rag-filters, .rag-muted { color: var(--body-text-color-subdued, #6b7280); font-size: .85em; }
.rag-pending { color: var(--body-text-color-subdued, #6b7280); }
.rag-sources { margin-top: .6em; padding-top: .5em; border-top: 1px solid var(--border-color-primary, #e5e7eb); }
.rag-sources-title { font-weight: 600; font-size: .9em; margin-bottom: .3em; }
.rag-sources ol { list-style: none; margin: 0; padding: 0; }
.rag-source { margin: 0 0 .7em 0; }
.rag-source-path { font-weight: 600; }
.rag-source-meta { font-size: .85em; color: var(--body-text-color-subdued, #6b7280); }
.rag-source-meta code { font-size: .95em; }
.rag-snippet { margin: .25em 0; padding: .2em .6em; border-left: 3px solid var(--border-color-primary, #e5e7eb);
  font-size: .92em; }
.rag-snippet mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.rag-images { display: flex; flex-wrap: wrap; gap: 4px; margin-top: .2em; font-size: .8em; }
.rag-cited-slide img { height: 160px !important; }
.rag-images img { height: 72px; width: auto; border: 1px solid var(--border-color-primary, #e5e7eb); border-radius: 3px; }
.rag-image-name { color: var(--body-text-color-subdued, #6b7280); }
.rag-details table { border-collapse: collapse; width: 100%; font-size: .85em; }
.rag-details th, .rag-details td { border-bottom: 1px solid var(--border-color-primary, #e5e7eb); padding: .25em .4em;
  text-align: left; vertical-align: top; }
.rag-details td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rag-details tr.cited td { background: var(--color-accent-soft, #fff7ed); }
"""

Messages = list[dict]


# ---------------------------------------------------------------------------------------------------------
# Pure rendering: answer → HTML. Every piece of note or question text goes through html.escape.


def esc(text: object) -> str:
    """Text as inert HTML (quotes too, so it is also safe inside attribute values)."""
    return html.escape(str(text), quote=True)


def question_terms(query: rag.Query) -> list[str]:
    """The words of a question worth highlighting in snippets: Latin terms and runs of Chinese characters.

    Chinese has no spaces, so every 2-4 character piece of the question's Chinese text is a candidate;
    only the pieces that occur in a snippet get highlighted.
    """
    terms: set[str] = set()
    text = query.topic + (f" {query.speaker}" if query.speaker else "")
    for word in _LATIN_WORD.findall(text):
        word = word.lower().strip("-")
        if len(word) < 2 or word in _STOP_LATIN:
            continue
        terms.add(word)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            terms.add(word[:-1])  # "shortcuts" → also "shortcut"
    for run in _CJK_RUN.findall(text):
        run = run[:60]
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                piece = run[start : start + size]
                if piece in _STOP_CJK or piece[0] in _STOP_CJK_CHARS or piece[-1] in _STOP_CJK_CHARS:
                    continue
                terms.add(piece)
    return sorted(terms, key=lambda t: (-len(t), t))


def highlight(text: str, terms: list[str]) -> str:
    """Escaped text with the terms (case-insensitive, longest first) wrapped in <mark>."""
    if not terms:
        return esc(text)
    # A Latin term starts at a word boundary ("ai" not inside "train"); it may end inside one ("shortcuts").
    pattern = "|".join(
        (r"(?<![A-Za-z0-9])" + re.escape(t)) if t[0].isascii() else re.escape(t)
        for t in sorted(terms, key=len, reverse=True)
    )
    out, last = [], 0
    for match in re.finditer(pattern, text, flags=re.IGNORECASE):
        out.append(esc(text[last : match.start()]))
        out.append(f"<mark>{esc(match.group(0))}</mark>")
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


def image_file(images_root: str | Path | None, name: str) -> Path | None:
    """The image file a note's path names under the images root, or None.

    None when there is no root, the path is a URL, leaves the root (`../..`, symlinks), is not a raster
    image, or does not exist. "/images/x.png" means <root>/images/x.png, never the filesystem root.
    """
    if not images_root or not name or "\x00" in name:
        return None
    name = name.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", name) or name.startswith("//"):
        return None  # http:, data:, file: … are never fetched or served
    relative = unquote(re.split(r"[?#]", name, maxsplit=1)[0]).replace("\\", "/").lstrip("/")
    if not relative:
        return None
    try:
        root = Path(images_root).resolve()
        path = (root / relative).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    if not path.is_relative_to(root) or path.suffix.lower() not in RASTER:
        return None
    try:
        return path if path.is_file() else None
    except OSError:
        return None


def render_images(images: tuple[str, ...], images_root: str | Path | None) -> str:
    """Thumbnails of a section's slides when the files exist under the images root, else their names."""
    if not images:
        return ""
    items = []
    for name in images[:MAX_THUMBNAILS]:
        path = image_file(images_root, name)
        if path is None:
            items.append(f'<span class="rag-image-name">{esc(name)}</span>')
        else:
            url = esc(FILE_URL + quote(str(path)))
            items.append(
                f'<a href="{url}" target="_blank" rel="noopener noreferrer">'
                f'<img src="{url}" alt="{esc(name)}" title="{esc(name)}" loading="lazy"></a>'
            )
    if len(images) > MAX_THUMBNAILS:
        items.append(f'<span class="rag-image-name">+{len(images) - MAX_THUMBNAILS} more</span>')
    return f'<div class="rag-images">{"".join(items)}</div>'


def render_cited_slide(chunk: rag.Chunk, images_root: str | Path | None) -> str:
    """The slide the quoted text was read from, larger than a section's thumbnails (full size on click)."""
    name = chunk.slide or ""
    path = image_file(images_root, name)
    label = f'<span class="rag-image-name">slide {chunk.slide_number}: {esc(name)}</span>'
    if path is None:
        return f'<div class="rag-images rag-cited-slide">{label}</div>'
    url = esc(FILE_URL + quote(str(path)))
    return (
        f'<div class="rag-images rag-cited-slide"><a href="{url}" target="_blank" rel="noopener noreferrer">'
        f'<img src="{url}" alt="{esc(name)}" title="{esc(name)}" loading="lazy"></a>{label}</div>'
    )


def who(chunk: rag.Chunk) -> str:
    if not chunk.speaker:
        return ""
    return f"{chunk.speaker} ({chunk.affiliation})" if chunk.affiliation else chunk.speaker


def render_source(citation: rag.Citation, terms: list[str], images_root: str | Path | None) -> str:
    """One entry of a Sources list: title › section path, speaker (affiliation), file:start-end, snippet."""
    chunk = citation.chunk
    path = " › ".join((chunk.title, *chunk.headings))
    meta = [f'<span class="rag-speaker">{esc(who(chunk))}</span>'] if chunk.speaker else []
    meta.append(f'<code class="rag-location">{esc(chunk.location)}</code>')
    meta.append(f"score {citation.score:.2f}")
    return (
        '<li class="rag-source">'
        f'<div class="rag-source-path"><span class="rag-cite">[{citation.n}]</span> {esc(path)}</div>'
        f'<div class="rag-source-meta">{" · ".join(meta)}</div>'
        f'<div class="rag-snippet">{highlight(citation.snippet, terms)}</div>'
        f"{render_cited_slide(chunk, images_root) if chunk.slide else render_images(chunk.images, images_root)}"
        "</li>"
    )


def render_sources(answer: rag.Answer, images_root: str | Path | None) -> str:
    if not answer.citations:
        return ""
    title = ("最接近的部分" if answer.query.language == "zh" else "Closest sections") if answer.abstained else "Sources"
    terms = question_terms(answer.query)
    items = "".join(render_source(c, terms, images_root) for c in answer.citations)
    return f'<div class="rag-sources"><div class="rag-sources-title">{title}</div><ol>{items}</ol></div>'


def render_text(text: str, unsupported: tuple[str, ...] = ()) -> str:
    """Answer text → paragraphs and bullet lists, escaped, with `[n]` markers styled and the
    `unsupported` sentences (a generated answer's sentences that cite nothing) marked."""
    parts: list[str] = []
    bullets: list[str] = []
    flagged = "|".join(re.escape(s) for s in sorted(filter(None, unsupported), key=len, reverse=True))

    def cite(piece: str) -> str:
        return _MARKER.sub(r'<span class="rag-cite">[\1]</span>', esc(piece))

    def inline(line: str) -> str:
        if not flagged:
            return cite(line)
        out, last = [], 0
        for match in re.finditer(flagged, line):
            out.append(cite(line[last : match.start()]))
            out.append(f'<span class="rag-unsupported" title="cites no source">{esc(match.group(0))}</span>')
            last = match.end()
        out.append(cite(line[last:]))
        return "".join(out)

    for line in text.split("\n"):
        if line.startswith(("- ", "* ")):
            bullets.append(f"<li>{inline(line[2:])}</li>")
            continue
        if bullets:
            parts.append(f"<ul>{''.join(bullets)}</ul>")
            bullets = []
        if line.strip():
            parts.append(f'<p class="rag-message">{inline(line)}</p>')
    if bullets:
        parts.append(f"<ul>{''.join(bullets)}</ul>")
    return "".join(parts)


def render_filters(speaker: str | None, note: str | None, notes: dict[str, str] | None = None) -> str:
    shown = []
    if speaker:
        shown.append(f"speaker {esc(speaker)}")
    if note:
        shown.append(f"note {esc((notes or {}).get(note, note))}")
    return f'<div class="rag-filters">Filtered to {" · ".join(shown)}</div>' if shown else ""


def render_understood(query: rag.Query) -> str:
    """How a follow-up was read ("about 冯佳时's talk"); "" for a question that stands alone."""
    label = rag.understood(query)
    return f'<div class="rag-understood" title="how this follow-up was understood">{esc(label)}</div>' if label else ""


def render_answer(
    answer: rag.Answer,
    images_root: str | Path | None = None,
    lines: int | None = None,
    filters: str = "",
) -> str:
    """An assistant message: the answer (its first `lines` lines while it streams), then its Sources.

    An abstention gets the class rag-abstained and a "Not in the notes" label, and lists the closest
    sections under its own title. Sentences of a generated answer that cite nothing are marked.
    """
    text_lines = answer.text.split("\n")
    streaming = lines is not None and lines < len(text_lines)
    text = "\n".join(text_lines[:lines] if streaming else text_lines)
    classes = "rag-answer rag-abstained" if answer.abstained else "rag-answer"
    parts = [f'<div class="{classes}{" rag-generated" if answer.generated else ""}">']
    if answer.abstained:
        label = "笔记中没有答案" if answer.query.language == "zh" else "Not in the notes"
        parts.append(f'<div class="rag-label">{label}</div>')
    parts.append(render_understood(answer.query))
    parts.append(filters)
    if answer.notice:
        parts.append(f'<div class="rag-notice">{esc(answer.notice)}</div>')
    parts.append(render_text(text, answer.unsupported))
    if streaming:
        parts.append('<div class="rag-pending rag-streaming">…</div>')
    else:
        if answer.unsupported:
            n = len(answer.unsupported)
            parts.append(
                f'<div class="rag-unsupported-note">{n} marked sentence{"s" if n > 1 else ""} '
                f"cite{'' if n > 1 else 's'} no source: check {'them' if n > 1 else 'it'} against the notes.</div>"
            )
        parts.append(render_sources(answer, images_root))
    parts.append("</div>")
    return "".join(parts)


def render_partial(text: str, query: rag.Query, filters: str = "") -> str:
    """A generated answer while the language model writes it: the text so far, no Sources yet."""
    return (
        f'<div class="rag-answer rag-generated">{render_understood(query)}{filters}{render_text(text)}'
        '<div class="rag-pending rag-streaming">…</div></div>'
    )


def render_pending(query: rag.Query | None = None, filters: str = "") -> str:
    understood = render_understood(query) if query else ""
    return f'<div class="rag-answer rag-pending">{understood}{filters}Searching the notes…</div>'


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render_details(answer: rag.Answer, speaker: str | None = None, note: str | None = None) -> str:
    """How the question was read and every chunk considered, with its dense, keyword and fused scores."""
    query = answer.query
    understood = [f"topic “{esc(query.topic)}”", f"answer language {esc(query.language)}"]
    if query.rewritten:
        understood.insert(0, f"rewritten by the language model as “{esc(query.rewritten)}”")
    if query.speaker:
        if query.carried_over:
            source = "from the previous question"
        elif speaker and query.speaker == speaker:
            source = "from the speaker filter"
        else:
            source = "named in the question"
        understood.insert(0, f"speaker {esc(query.speaker)} ({source})")
    if query.unknown_person:
        understood.insert(0, f"asks about {esc(query.unknown_person)}, who is not a speaker in the notes")
    filters = [f"speaker = {esc(speaker)}"] if speaker else []
    if note:
        filters.append(f"note = {esc(note)}")
    cited = {id(c.chunk): c.n for c in answer.citations}
    cited_locations = {c.chunk.location: c.n for c in answer.citations}
    rows = []
    for rank, hit in enumerate(answer.hits, start=1):
        chunk = hit.chunk
        n = cited.get(id(hit.chunk), cited_locations.get(chunk.location))
        mark = f'<span class="rag-cite">[{n}]</span>' if n else ""
        rows.append(
            f'<tr class="{"cited" if n else ""}"><td class="num">{rank}</td><td>{mark}</td>'
            f"<td>{esc(' › '.join((chunk.title, *chunk.headings)))}</td><td>{esc(who(chunk))}</td>"
            f"<td><code>{esc(chunk.location)}</code></td><td class='num'>{_score(hit.dense)}</td>"
            f"<td class='num'>{_score(hit.keyword)}</td><td class='num'>{hit.score:.4f}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>#</th><th>cited</th><th>note › section</th><th>speaker</th><th>lines</th>"
        "<th>dense</th><th>keyword</th><th>fused</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="rag-muted">No chunk passed the filters.</p>'
    )
    return (
        '<div class="rag-details">'
        f"<p><b>Understood as:</b> {'; '.join(understood)}.</p>"
        f"<p><b>Filters:</b> {'; '.join(filters) if filters else 'none'}. "
        f"<b>Answer:</b> {'abstained' if answer.abstained else f'{len(answer.citations)} source(s) cited'}.</p>"
        f"{table}"
        '<p class="rag-muted">dense: cosine similarity of question and chunk; keyword: BM25 score (— when the '
        "chunk was not among the keyword candidates); fused: reciprocal-rank fusion of both rankings, which "
        "orders the list.</p></div>"
    )


def render_question(question: str) -> str:
    shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
    return f'<span class="rag-question">{esc(shown)}</span>'


def render_notice(message: str, error: bool = False) -> str:
    return f'<div class="{"rag-error" if error else "rag-notice"}">{esc(message)}</div>'


# ---------------------------------------------------------------------------------------------------------
# The handler: plain data in, plain data out (chat messages as role/content dicts, HTML strings).


def respond(
    question: str,
    history: Messages | None,
    speaker: str | None,
    note: str | None,
    chat: rag.Conversation,
    images_root: str | Path | None = None,
    pace: float = 0.0,
) -> Iterator[tuple[Messages, str]]:
    """Answer a chat question, yielding (messages, details HTML) as the answer grows.

    Args:
        question: what the user typed.
        history: the chat so far, as {"role", "content"} dicts (kept as they are).
        speaker: speaker filter; "" or None for all speakers.
        note: note filter (file path); "" or None for all notes.
        chat: the session's conversation over the index to answer from; a follow-up ("what else did he
            say?") reuses its previous speaker, and the answer is recorded as its next turn.
        images_root: folder that slide image paths resolve against. Defaults to None (names only).
        pace: seconds between the lines of an extractive answer as it appears. Defaults to 0.

    With a language model configured in the index's settings, the generated answer streams piece by
    piece, then is replaced by the checked final answer (or by the extractive one with a notice, when the
    model failed). The last yield holds the complete answer with its Sources list, and the retrieval
    details. Invalid questions and errors become a polite assistant message instead of an exception.
    """
    history = list(history or [])
    question = question if isinstance(question, str) else ""
    speaker, note = speaker or None, note or None
    asked = [*history, {"role": "user", "content": render_question(question)}]

    def reply(content: str, details: str = DETAILS_EMPTY) -> tuple[Messages, str]:
        return [*asked, {"role": "assistant", "content": content}], details

    try:
        chat.index.understand(question, speaker)  # cheap (no model): rejects empty or over-long questions
    except rag.InvalidQuestion as error:
        shown = asked if question.strip() else history
        yield [*shown, {"role": "assistant", "content": render_notice(str(error))}], DETAILS_EMPTY
        return
    yield reply(render_pending())
    filters = render_filters(speaker, note, dict(chat.index.notes))
    answer, streamed = None, ""
    try:
        query = chat.understand(question, speaker)  # a follow-up may wait for the language model's rewrite
        if query.carried_over:
            yield reply(render_pending(query, filters))
        for event in chat.answer_stream(query, note=note, generate=True):
            if isinstance(event, str):
                streamed += event
                yield reply(render_partial(streamed, query, filters))
            else:
                answer = event
    except rag.RagError as error:
        yield reply(render_notice(f"Error: {error}", error=True))
        return
    except Exception as error:  # the UI boundary: show it rather than leave "Searching…" forever
        log.exception("answering %r failed", question)
        message = f"Something went wrong ({type(error).__name__}: {error}); see the terminal."
        yield reply(render_notice(message, error=True))
        return
    assert answer is not None
    if not streamed:  # an extractive answer appears line by line; a generated one has streamed already
        for lines in range(1, len(answer.text.split("\n"))):
            yield reply(render_answer(answer, images_root, lines, filters))
            if pace:
                time.sleep(pace)
    yield reply(render_answer(answer, images_root, None, filters), render_details(answer, speaker, note))


# ---------------------------------------------------------------------------------------------------------
# Layout and launch.


def build_ui(index_provider: Callable[[], rag.Index], settings: rag.Settings, pace: float = 0.05) -> gr.Blocks:
    """The chat page: chat and question box, filters beside them, example questions, retrieval details.

    Args:
        index_provider: returns the index to answer from; called once per question (and per page load,
            for the filters), so it may swap in a rebuilt index (see CurrentIndex).
        settings: images_root is read from it.
        pace: seconds between the lines of an extractive answer as it appears. Defaults to 0.05.

    Each browser session keeps its own rag.Conversation (a gr.State), so follow-ups refer to its own
    previous question.
    """
    images_root = settings.images_root

    def ask(question: str, history: Messages, speaker: str, note: str, chat: rag.Conversation | None):
        index = index_provider()  # once: an answer finishes on the index it started with
        if chat is None:
            chat = rag.Conversation(index)
        chat.index = index  # after a reindex the conversation carries on over the new index
        for messages, details in respond(question, history, speaker, note, chat, images_root, pace):
            yield "", messages, details, chat

    def example(question: str):
        def run(history: Messages, speaker: str, note: str, chat: rag.Conversation | None):
            yield from ask(question, history, speaker, note, chat)

        return run

    def header(index: rag.Index) -> str:
        return (
            "## Lecture notes Q&A\n"
            f"Ask about the {len(index.notes)} indexed notes ({len(index.speakers)} speakers) in English or Chinese. "
            "Every sentence of an answer cites its source `[n]`; when the notes don't cover a question, "
            "the answer says so and lists the closest sections. Follow-ups such as “what else did he say?” "
            "keep the previous question's speaker."
        )

    def filter_choices(index: rag.Index) -> tuple[list, list]:
        speakers = [("All speakers", ALL), *((s, s) for s in index.speakers)]
        notes = [("All notes", ALL), *((title or file, file) for file, title in index.notes)]
        return speakers, notes

    def refresh():
        """A page (re)load shows the speakers and notes of the index in use now, even after a reindex."""
        index = index_provider()
        speakers, notes = filter_choices(index)
        return header(index), gr.Dropdown(choices=speakers), gr.Dropdown(choices=notes)

    index = index_provider()
    speakers, notes = filter_choices(index)
    with gr.Blocks(title="Lecture notes Q&A", analytics_enabled=False) as demo:
        title = gr.Markdown(header(index))
        chat = gr.State(None)  # this session's rag.Conversation, made by its first question
        with gr.Row(equal_height=False):
            with gr.Column(scale=4):
                chatbot = gr.Chatbot(
                    label="Chat",
                    elem_id="chat",
                    height=620,
                    render_markdown=False,  # messages are HTML built (and escaped) by render_answer
                    sanitize_html=True,  # a second line of defence; escaping above is the first
                    allow_tags=False,
                    latex_delimiters=[],
                    buttons=[],
                    feedback_options=None,
                    placeholder="Ask a question below, or click an example.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        show_label=False,
                        placeholder="Ask about the lecture notes…",
                        elem_id="question",
                        scale=6,
                        autofocus=True,
                        max_length=MAX_QUESTION_CHARS,  # the browser stops typing there; respond() checks again
                    )
                    send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                gr.Markdown("**Examples**")
                with gr.Row(elem_id="examples"):
                    example_buttons = [gr.Button(q, size="sm", elem_classes=["rag-example"]) for q in EXAMPLES]
            with gr.Column(scale=1, min_width=240):
                speaker = gr.Dropdown(speakers, value=ALL, label="Speaker", elem_id="speaker-filter")
                note = gr.Dropdown(notes, value=ALL, label="Note", elem_id="note-filter")
                clear = gr.Button("Clear chat", elem_id="clear")
                gr.Markdown(
                    "Filters apply to the next question. A speaker named in the question takes precedence "
                    "over the speaker filter."
                )
        with gr.Accordion("Retrieval details", open=False, elem_id="details-panel"):
            details = gr.HTML(DETAILS_EMPTY, elem_id="details")

        outputs = [question, chatbot, details, chat]
        question.submit(ask, [question, chatbot, speaker, note, chat], outputs, api_name="ask")
        send.click(ask, [question, chatbot, speaker, note, chat], outputs, api_visibility="private")
        for button, text in zip(example_buttons, EXAMPLES, strict=True):
            button.click(example(text), [chatbot, speaker, note, chat], outputs, api_visibility="private")
        # Clearing the chat starts a new conversation: the next question is no follow-up.
        clear.click(lambda: ("", [], DETAILS_EMPTY, None), None, outputs, queue=False, api_visibility="private")
        chatbot.clear(lambda: (DETAILS_EMPTY, None), None, [details, chat], queue=False, api_visibility="private")
        demo.load(refresh, None, [title, speaker, note], queue=False, api_visibility="private")
    return demo


def launch(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    images_root: str | Path | None = None,
    block: bool = True,
) -> str:
    """Serve the page (never through a share link); returns its local URL. block=False returns at once."""
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    allowed = [str(Path(images_root).resolve())] if images_root and Path(images_root).is_dir() else []
    middleware = [Middleware(ImagesOnly, images_root=allowed[0])] if allowed else []
    theme = gr.themes.Default(
        font=["system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "sans-serif"],  # no web fonts: offline
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    )
    try:
        _, url, _ = demo.launch(
            server_name=host,
            server_port=port,
            share=False,
            inbrowser=False,
            prevent_thread_lock=not block,
            allowed_paths=allowed,
            ssr_mode=False,
            theme=theme,
            css=CSS,
            footer_links=["api", "settings"],
            mcp_server=False,
            quiet=True,  # serve() prints the address itself; Gradio's banner would suggest share=True
            app_kwargs={"middleware": middleware},
        )
    except OSError as error:
        why = "the port is in use" if "empty port" in str(error) else str(error)
        raise rag.RagError(f"cannot serve on {host}:{port}: {why}; choose another with --port") from None
    return url


class ImagesOnly:
    """ASGI middleware: of the images root, Gradio's file routes serve only raster images.

    allowed_paths opens the whole folder, which may be a site with HTML pages, SVGs or a .git folder;
    those would be served inline from the chat's origin. The path is resolved as Gradio resolves it.
    """

    def __init__(self, app, images_root: str) -> None:
        self.app = app
        self.root = Path(images_root).resolve()

    async def __call__(self, scope, receive, send) -> None:
        match = _FILE_ROUTE.search(scope["path"]) if scope["type"] == "http" else None
        if match:
            try:
                target = Path(os.path.abspath(match["path"])).resolve()
                refused = target.is_relative_to(self.root) and not (
                    target.suffix.lower() in RASTER and target.is_file()
                )
            except (OSError, ValueError, RuntimeError):
                refused = True
            if refused:
                await PlainTextResponse("Only slide images are served.", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class CurrentIndex:
    """The index the chat answers from, reopened without a restart once a reindex made another current.

    Called once per question: an answer already streaming finishes on the index it started with (its data
    stays in memory after the reindex deletes the old files), the next question gets the new index. The
    index folder is checked at most once every `check_every` seconds (a read of two small files); the
    loaded model is shared unless the new index was built with another one.
    """

    def __init__(self, index: rag.Index, check_every: float = 1.0) -> None:
        self.index = index
        self._check_every = check_every
        self._next_check = time.monotonic() + check_every
        self._checking = threading.Lock()

    def __call__(self) -> rag.Index:
        # One caller checks (and opens the new index) while the others go on with the current one.
        if time.monotonic() < self._next_check or not self._checking.acquire(blocking=False):
            return self.index
        try:
            old = self.index
            if not old.is_current():
                self.index = self._reopen(old)
            self._next_check = time.monotonic() + self._check_every
            return self.index
        finally:
            self._checking.release()

    @staticmethod
    def _reopen(old: rag.Index) -> rag.Index:
        folder = old.path.parent
        try:
            fresh = rag.open_index(folder, old.settings, embedder=old.embedder)
            if fresh.manifest["model"] != old.manifest["model"]:
                fresh = rag.open_index(folder, old.settings)  # its own model, loaded on first use
        except rag.RagError as error:
            print(f"warning: keeping the index in use; the new one cannot be opened: {error}", file=sys.stderr)
            return old
        print(f"index {folder} reloaded: {len(fresh.notes)} notes, {len(fresh.chunks)} chunks", file=sys.stderr)
        return fresh


class LazyModel:
    """The embedding model, loaded once on first use and shared by the build and the chat."""

    def __init__(self, settings: rag.Settings) -> None:
        self._settings = settings
        self._model: rag.Embedder | None = None
        self._lock = threading.Lock()

    def get(self) -> rag.Embedder:
        with self._lock:
            if self._model is None:
                started = time.perf_counter()
                print(f"loading the embedding model {self._settings.model} …", file=sys.stderr)
                self._model = load_model(self._settings)
                print(f"embedding model ready ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
            return self._model

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy/pickle probes must not load the model
            raise AttributeError(name)
        return getattr(self.get(), name)


def warm_up(index: rag.Index) -> threading.Thread:
    """Answer an example question in the background, so the first users do not wait for the model, the
    glossary and the tokenizer's dictionary to load (concurrent first questions would each load them)."""

    def run() -> None:
        try:
            index.ask(EXAMPLES[0])
        except rag.RagError as error:
            print(f"warning: {error}; questions will show this error", file=sys.stderr)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread


def ensure_index(notes_dir: str | Path, index_dir: str | Path, settings: rag.Settings, embedder) -> rag.BuildReport:
    """Build or update the index (embedding only what changed), with a progress bar in the terminal."""
    from rag.cli import build_with_progress

    return build_with_progress(Path(notes_dir), Path(index_dir), settings, embedder=embedder)


def serve(
    notes_dir: str | Path = "data",
    index_dir: str | Path = "index",
    host: str = "127.0.0.1",
    port: int = 7860,
    settings: rag.Settings | None = None,
    images_root: str | Path | None = None,
) -> None:
    """Build the index if it is missing or older than the notes, then serve the chat until Ctrl+C.

    Args:
        notes_dir: folder of Markdown notes. Defaults to "data".
        index_dir: index folder. Defaults to "index".
        host: address to bind. Defaults to 127.0.0.1 (this machine only).
        port: port. Defaults to 7860.
        settings: defaults to rag.yaml plus the CLI's cache folder.
        images_root: folder slide image paths resolve against; overrides settings.images_root.

    Raises:
        RagError: the notes cannot be indexed, the index cannot be opened, or the port is taken.
    """
    if settings is None:
        from rag.cli import settings_from

        settings = settings_from()
    settings = settings.with_overrides(images_root=str(images_root) if images_root else None)
    model = LazyModel(settings)  # loaded by the build only if something needs embedding
    started = time.perf_counter()
    if Path(notes_dir).is_dir():
        from rag.cli import plural

        print(f"checking the index of {notes_dir}/ in {index_dir}/ …", file=sys.stderr)
        report = ensure_index(notes_dir, index_dir, settings, model)
        for skipped in report.skipped:
            print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
        state = "up to date" if report.up_to_date else f"built (embedded {report.embedded} chunks)"
        print(
            f"the index in {index_dir}/: {plural(report.notes, 'note')}, {plural(report.chunks, 'chunk')}, "
            f"{plural(report.speakers, 'speaker')}, {state} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    else:
        print(f"notes folder {notes_dir} not found; serving the existing index {index_dir}", file=sys.stderr)
    index = CurrentIndex(rag.open_index(index_dir, settings, embedder=model))  # `rag index` meanwhile: picked up
    if settings.images_root and not Path(settings.images_root).is_dir():
        print(f"warning: images folder {settings.images_root} not found; showing image names", file=sys.stderr)
    demo = build_ui(index, settings)
    launch(demo, host, port, settings.images_root, block=False)
    print(f"chat on http://{host}:{port} (Ctrl+C to stop)", file=sys.stderr)
    # Warm up once the page is up: loading the model while Gradio starts slowed both down (import locks, GIL).
    warm_up(index())
    demo.block_thread()


def main(argv: list[str] | None = None) -> int:
    """`python app.py [--notes DIR] [--index DIR] [--host H] [--port P] [--images DIR]`: same as `rag serve`."""
    from rag.cli import serve_main

    return serve_main(argv, prog="app.py")


if __name__ == "__main__":
    sys.exit(main())
