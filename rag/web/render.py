"""An answer as chat HTML: its text with [n] markers, its Sources with snippets and slides, the notices
shown while it is searched or streams. Every piece of note or question text goes through esc()."""

from __future__ import annotations

import re
from pathlib import Path

import rag

from .escape import esc, highlight, question_terms
from .images import file_url, image_file

DETAILS_EMPTY = '<p class="rag-muted">Ask a question to see which sections were considered and how they scored.</p>'
MAX_THUMBNAILS = 12
SHOWN_QUESTION_CHARS = 300
COLLAPSE_NAMES_AFTER = 3  # more slide names than this (files not found under the images root) are folded away
_MARKER = re.compile(r"\[(\d{1,3})\]")
# The labels inside an answer, in the answer's language (Query.language: "zh" or "en").
_LABELS = {
    "en": {
        "sources": "Sources",
        "closest": "Closest sections",
        "abstained": "Not in the notes",
        "filtered": "Filtered to ",
        "speaker": "speaker ",
        "note": "note ",
        "score": "score ",
        "slide": "slide {n}: ",
        "more": "+{n} more",
        "names": "{n} slide images",
        "more names": "{n} more slide images",
        "searching": "Searching the notes…",
        "understood": "how this follow-up was understood",
        "cites nothing": "cites no source",
        "unsupported": "{n} marked sentence{s} cite{verb_s} no source: check {them} against the notes.",
    },
    "zh": {
        "sources": "来源",
        "closest": "最接近的部分",
        "abstained": "笔记中没有答案",
        "filtered": "筛选：",
        "speaker": "讲者 ",
        "note": "笔记 ",
        "score": "得分 ",
        "slide": "第 {n} 页幻灯片：",
        "more": "另有 {n} 张",
        "names": "{n} 张幻灯片",
        "more names": "另有 {n} 张幻灯片",
        "searching": "正在检索笔记…",
        "understood": "对这个追问的理解",
        "cites nothing": "未引用来源",
        "unsupported": "{n} 个标记的句子没有引用来源，请对照笔记核实。",
    },
}


def label(language: str | None, key: str, **values: object) -> str:
    """A label of the answer's interface in its language (English for any language but Chinese)."""
    return _LABELS["zh" if language == "zh" else "en"][key].format(**values)


def render_images(images: tuple[str, ...], images_root: str | Path | None, language: str = "en") -> str:
    """Thumbnails of a section's slides whose files exist under the images root; the names of the others,
    folded into a closed <details> when there are more than COLLAPSE_NAMES_AFTER of them."""
    if not images:
        return ""
    thumbnails, names = [], []
    for name in images[:MAX_THUMBNAILS]:
        path = image_file(images_root, name)
        if path is None:
            names.append(f'<span class="rag-image-name">{esc(name)}</span>')
        else:
            url = esc(file_url(path))
            thumbnails.append(
                f'<a href="{url}" target="_blank" rel="noopener noreferrer">'
                f'<img src="{url}" alt="{esc(name)}" title="{esc(name)}" loading="lazy"></a>'
            )
    if len(images) > MAX_THUMBNAILS:
        names.append(f'<span class="rag-image-name">{label(language, "more", n=len(images) - MAX_THUMBNAILS)}</span>')
    if len(names) > COLLAPSE_NAMES_AFTER:
        count = len(images) - len(thumbnails)
        summary = label(language, "more names" if thumbnails else "names", n=count)
        names = [f'<details class="rag-image-list"><summary>{summary}</summary>{"".join(names)}</details>']
    return f'<div class="rag-images">{"".join(thumbnails + names)}</div>'


def render_cited_slide(chunk: rag.Chunk, images_root: str | Path | None, language: str = "en") -> str:
    """The slide the quoted text was read from, larger than a section's thumbnails (full size on click)."""
    name = chunk.slide or ""
    path = image_file(images_root, name)
    caption = f'<span class="rag-image-name">{label(language, "slide", n=chunk.slide_number)}{esc(name)}</span>'
    if path is None:
        return f'<div class="rag-images rag-cited-slide">{caption}</div>'
    url = esc(file_url(path))
    return (
        f'<div class="rag-images rag-cited-slide"><a href="{url}" target="_blank" rel="noopener noreferrer">'
        f'<img src="{url}" alt="{esc(name)}" title="{esc(name)}" loading="lazy"></a>{caption}</div>'
    )


def who(chunk: rag.Chunk) -> str:
    if not chunk.speaker:
        return ""
    return f"{chunk.speaker} ({chunk.affiliation})" if chunk.affiliation else chunk.speaker


def render_source(
    citation: rag.Citation, terms: list[str], images_root: str | Path | None, language: str = "en"
) -> str:
    """One entry of a Sources list: title › section path, speaker (affiliation), file:start-end, snippet."""
    chunk = citation.chunk
    path = " › ".join((chunk.title, *chunk.headings))
    meta = [f'<span class="rag-speaker">{esc(who(chunk))}</span>'] if chunk.speaker else []
    meta.append(f'<code class="rag-location">{esc(chunk.location)}</code>')
    meta.append(f"{label(language, 'score')}{citation.score:.2f}")
    return (
        '<li class="rag-source">'
        f'<div class="rag-source-path"><span class="rag-cite">[{citation.n}]</span> {esc(path)}</div>'
        f'<div class="rag-source-meta">{" · ".join(meta)}</div>'
        f'<div class="rag-snippet">{highlight(citation.snippet, terms)}</div>'
        + (
            render_cited_slide(chunk, images_root, language)
            if chunk.slide
            else render_images(chunk.images, images_root, language)
        )
        + "</li>"
    )


def render_sources(answer: rag.Answer, images_root: str | Path | None) -> str:
    if not answer.citations:
        return ""
    language = answer.query.language
    title = label(language, "closest" if answer.abstained else "sources")
    terms = question_terms(answer.query)
    items = "".join(render_source(c, terms, images_root, language) for c in answer.citations)
    return f'<div class="rag-sources"><div class="rag-sources-title">{title}</div><ol>{items}</ol></div>'


def render_text(text: str, unsupported: tuple[str, ...] = (), language: str = "en") -> str:
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
            out.append(
                f'<span class="rag-unsupported" title="{label(language, "cites nothing")}">{esc(match.group(0))}</span>'
            )
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


def render_filters(
    speaker: str | None, note: str | None, notes: dict[str, str] | None = None, language: str = "en"
) -> str:
    """'Filtered to speaker 韩松 · note …' (筛选：讲者 韩松 in a Chinese answer); the note by its title."""
    shown = []
    if speaker:
        shown.append(label(language, "speaker") + esc(speaker))
    if note:
        shown.append(label(language, "note") + esc((notes or {}).get(note, note)))
    return f'<div class="rag-filters">{label(language, "filtered")}{" · ".join(shown)}</div>' if shown else ""


def render_understood(query: rag.Query) -> str:
    """How a follow-up was read ("about 冯佳时's talk"); "" for a question that stands alone."""
    reading = rag.understood(query)
    if not reading:
        return ""
    return f'<div class="rag-understood" title="{label(query.language, "understood")}">{esc(reading)}</div>'


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
    language = answer.query.language
    if answer.abstained:
        parts.append(f'<div class="rag-label">{label(language, "abstained")}</div>')
    parts.append(render_understood(answer.query))
    parts.append(filters)
    if answer.notice:
        parts.append(f'<div class="rag-notice">{esc(answer.notice)}</div>')
    parts.append(render_text(text, answer.unsupported, language))
    if streaming:
        parts.append('<div class="rag-pending rag-streaming">…</div>')
    else:
        if answer.unsupported:
            n = len(answer.unsupported)
            many = dict(s="s", verb_s="", them="them") if n > 1 else dict(s="", verb_s="s", them="it")
            parts.append(f'<div class="rag-unsupported-note">{label(language, "unsupported", n=n, **many)}</div>')
        parts.append(render_sources(answer, images_root))
    parts.append("</div>")
    return "".join(parts)


def render_partial(text: str, query: rag.Query, filters: str = "") -> str:
    """A generated answer while the language model writes it: the text so far, no Sources yet."""
    return (
        f'<div class="rag-answer rag-generated">{render_understood(query)}{filters}{render_text(text, (), query.language)}'
        '<div class="rag-pending rag-streaming">…</div></div>'
    )


def render_pending(query: rag.Query, filters: str = "") -> str:
    """'Searching the notes…' in the question's language, after how a follow-up was read (once known)."""
    return f'<div class="rag-answer rag-pending">{render_understood(query)}{filters}{label(query.language, "searching")}</div>'


def render_question(question: str) -> str:
    shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
    return f'<span class="rag-question">{esc(shown)}</span>'


def render_notice(message: str, error: bool = False) -> str:
    return f'<div class="{"rag-error" if error else "rag-notice"}">{esc(message)}</div>'
