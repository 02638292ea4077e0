"""Markdown lecture notes → Chunks. Pure: text in, chunks out, source line numbers kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import yaml
from markdown_it import MarkdownIt

from .text import has_words, sentence_spans
from .types import Chunk

DEFAULT_CHUNK_CHARS = 400

# `---` right under a line of text would make it a setext heading; in notes it is a rule.
_MARKDOWN = MarkdownIt("commonmark").disable("lheading")

_META_KEYS = {
    "speaker": r"讲者|演讲者|主讲人|报告人|主讲|speakers?|presenters?",
    "time": r"时间|time",
    "topic": r"题目|报告题目|title|topic",
}
_KEY_ALTERNATION = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _META_KEYS.items())
# 【讲者】Name, [讲者] Name, 讲者：Name, Speaker: Name — brackets or a colon, so prose like
# "speaker notes are …" is not mistaken for a speaker line.
_META_LINE = re.compile(
    rf"^(?:[\[【［〔]\s*(?:{_KEY_ALTERNATION})\s*[\]】］〕]\s*[:：]?|(?:{_KEY_ALTERNATION.replace('?P<', '?P<c_')})\s*[:：])\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<org>[^()（）]*?)\s*[)）]\s*$")
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_IMAGE_HTML = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Note:
    """One parsed note: its title, its chunks, and what could not be understood."""

    title: str
    chunks: tuple[Chunk, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Unit:
    """A sentence (or a code line) with the source lines it spans."""

    text: str
    start: int
    end: int
    block: int


@dataclass
class _Section:
    level: int
    headings: tuple[str, ...]
    start: int
    end: int = 0
    units: list[_Unit] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def parse_note(text: str, file: str, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> Note:
    """Parse one note's text into chunks.

    Args:
        text: the note, already decoded; line endings may be \\n, \\r\\n or \\r.
        file: the note's path relative to the notes folder; recorded in every chunk.
        chunk_chars: sections longer than this are split at sentence boundaries. Defaults to 400.
    """
    lines = text.removeprefix("\ufeff").splitlines()
    front, body_start, warnings = _front_matter(lines)
    title = _title(front, file)
    # Blank out the front matter so markdown-it's line numbers are the file's line numbers.
    body = "\n".join([""] * body_start + lines[body_start:])
    sections = _sections(body, lines)
    chunks: list[Chunk] = []
    inherited: list[_Section] = []
    for section in sections:
        while inherited and inherited[-1].level >= section.level:
            inherited.pop()
        inherited.append(section)
        speaker_section = next((s for s in reversed(inherited) if "speaker" in s.meta), None)
        time_section = next((s for s in reversed(inherited) if "time" in s.meta), None)
        speaker, affiliation = _speaker(speaker_section.meta["speaker"]) if speaker_section else (None, None)
        base = Chunk(
            file=file,
            title=title,
            headings=section.headings,
            start=section.start,
            end=section.end,
            text="",
            speaker=speaker,
            affiliation=affiliation,
            time=time_section.meta["time"] if time_section else None,
        )
        chunks.extend(_chunk_section(section, base, chunk_chars))
    return Note(title=title, chunks=tuple(chunks), warnings=tuple(warnings))


def _front_matter(lines: list[str]) -> tuple[dict, int, list[str]]:
    """(front matter, index of the first body line, warnings); Jekyll style `---` … `---`."""
    if not lines or lines[0].strip() != "---":
        return {}, 0, []
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return {}, 0, ["front matter is never closed; read as Markdown"]
    try:
        data = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        return {}, closing + 1, [f"front matter is not valid YAML ({first_line}); title taken from the file name"]
    if data is None:
        return {}, closing + 1, []
    if not isinstance(data, dict):
        return {}, closing + 1, ["front matter is not a mapping; title taken from the file name"]
    return data, closing + 1, []


def _title(front: dict, file: str) -> str:
    title = front.get("title")
    if isinstance(title, (list, tuple)):
        title = " ".join(str(t) for t in title)
    title = str(title).strip() if title is not None else ""
    return title or PurePath(file).stem


def _sections(body: str, lines: list[str]) -> list[_Section]:
    """Split the body into heading sections, collecting sentences, images and meta lines of each."""
    tokens = _MARKDOWN.parse(body)
    sections = [_Section(level=0, headings=(), start=1)]
    stack: list[tuple[int, str]] = []
    block = 0
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        first, stop = token.map
        if token.type == "heading_open" and token.level == 0:
            level = int(token.tag[1])
            heading = _clean(tokens[i + 1].content) or f"(untitled h{level})"
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            sections.append(_Section(level=level, headings=tuple(h for _, h in stack), start=first + 1))
            continue
        if token.type == "inline" and tokens[i - 1].type == "heading_open":
            continue
        section = sections[-1]
        if token.type == "inline":
            block += 1
            _add_text(section, token.content.split("\n"), first, block)
        elif token.type in ("fence", "code_block"):
            offset = first + 1 if token.type == "fence" else first
            for n, code_line in enumerate(token.content.rstrip("\n").split("\n")):
                if code_line.strip():
                    block += 1  # a block per code line: code keeps its line breaks
                    section.units.append(_Unit(code_line.rstrip(), offset + n + 1, offset + n + 1, block))
        elif token.type == "html_block":
            block += 1
            _add_text(section, token.content.rstrip("\n").split("\n"), first, block)
        else:
            continue
        section.end = max(section.end, stop)
    for section, following in zip(sections, [*sections[1:], None], strict=True):
        last_line = following.start - 1 if following else len(lines)
        section.end = max(section.start, min(section.end, last_line))
    preamble = sections[0]
    if preamble.units or preamble.images:
        # The preamble starts at its first line of content, not at the front matter.
        preamble.start = min([u.start for u in preamble.units] + [line for line, _ in preamble.images])
    return [s for s in sections if s.level > 0 or s.units or s.images]


def _add_text(section: _Section, text_lines: list[str], first_line: int, block: int) -> None:
    """Turn an inline run's lines into sentences; meta lines become section fields, images a list."""
    kept: list[tuple[int, str]] = []
    for n, raw in enumerate(text_lines):
        line_no = first_line + n + 1
        for pattern in (_IMAGE_MD, _IMAGE_HTML):
            section.images.extend((line_no, src) for src in pattern.findall(raw))
        meta = _meta(raw)
        if meta is not None:
            section.meta.setdefault(*meta)
            continue
        cleaned = _clean(raw)
        if cleaned:
            kept.append((line_no, cleaned))
    if not kept:
        return
    joined, starts = "", []
    for line_no, cleaned in kept:
        if joined:
            both_cjk = _CJK_EDGE.match(joined[-1]) and _CJK_EDGE.match(cleaned[0])
            joined += "" if both_cjk else " "
        starts.append((len(joined), line_no))
        joined += cleaned
    for a, b in sentence_spans(joined):
        section.units.append(_Unit(joined[a:b], _line_at(starts, a), _line_at(starts, b - 1), block))


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    return [line for start, line in starts if start <= offset][-1]


def _clean(raw: str) -> str:
    """Markdown/HTML inline markup → plain text (images removed; link texts kept)."""
    text = _IMAGE_MD.sub("", raw)
    text = _IMAGE_HTML.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _meta(raw: str) -> tuple[str, str] | None:
    """('speaker'|'time'|'topic', value) for lines such as 【讲者】**Name**(Org) or - **Speaker:** Name."""
    line = _LIST_MARKER.sub("", raw.strip()).replace("**", "").replace("__", "").strip()
    match = _META_LINE.match(line)
    if not match:
        return None
    key = next(k.removeprefix("c_") for k, v in match.groupdict().items() if v and k != "value")
    value = _clean(match.group("value"))
    return (key, value) if value else None


def _speaker(value: str) -> tuple[str, str | None]:
    """'冯佳时(National University of Singapore)' or 'Jane Doe, MIT' → (name, affiliation)."""
    match = _AFFILIATION.match(value)
    if match:
        return match.group("name").strip(" ,，"), match.group("org") or None
    parts = re.split(r"\s*(?:[,，]|\s[-–—]\s)\s*", value, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() or None) if len(parts) == 2 else None


def _chunk_section(section: _Section, base: Chunk, chunk_chars: int) -> list[Chunk]:
    """Pack a section's sentences into chunks of at most chunk_chars that tile its lines."""
    if not section.units:
        # Image-only (or empty) sections are still findable: their heading is their content.
        heading = section.headings[-1] if section.headings else base.title
        return [replace(base, text=heading, images=tuple(src for _, src in section.images))]
    groups: list[list[_Unit]] = [[]]
    size = 0
    for unit in _split_long(section.units, chunk_chars):
        if groups[-1] and size + len(unit.text) > chunk_chars:
            groups.append([])
            size = 0
        groups[-1].append(unit)
        size += len(unit.text)
    chunks = []
    for i, group in enumerate(groups):
        start = section.start if i == 0 else group[0].start
        end = section.end if i == len(groups) - 1 else max(groups[i + 1][0].start - 1, group[-1].end)
        images = tuple(src for line, src in section.images if start <= line <= end)
        chunks.append(replace(base, start=start, end=end, text=_join(group), images=images))
    return chunks


def _split_long(units: list[_Unit], chunk_chars: int) -> list[_Unit]:
    """A sentence longer than a whole chunk (a paragraph with no punctuation) is cut at spaces."""
    out = []
    for unit in units:
        text = unit.text
        while len(text) > chunk_chars:
            cut = text.rfind(" ", chunk_chars // 2, chunk_chars)
            cut = cut if cut > 0 else chunk_chars
            out.append(replace(unit, text=text[:cut].strip()))
            text = text[cut:].strip()
        if has_words(text) or not out:
            out.append(replace(unit, text=text))
    return out


def _join(units: list[_Unit]) -> str:
    """Sentences of one paragraph join on a line; paragraphs and list items get lines of their own."""
    text = ""
    for previous, unit in zip([None, *units], units, strict=False):
        if previous is None:
            text = unit.text
        elif previous.block == unit.block:
            both_cjk = _CJK_EDGE.match(text[-1]) and _CJK_EDGE.match(unit.text[0])
            text += ("" if both_cjk else " ") + unit.text
        else:
            text += "\n" + unit.text
    return text
