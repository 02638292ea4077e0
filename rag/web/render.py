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
_MARKER = re.compile(r"\[(\d{1,3})\]")


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
            url = esc(file_url(path))
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
    url = esc(file_url(path))
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


def render_question(question: str) -> str:
    shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS] + "…"
    return f'<span class="rag-question">{esc(shown)}</span>'


def render_notice(message: str, error: bool = False) -> str:
    return f'<div class="{"rag-error" if error else "rag-notice"}">{esc(message)}</div>'
