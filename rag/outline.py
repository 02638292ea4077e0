"""A note's heading structure: the sections Markdown marks and the ones authors mean. Pure."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from . import labels
from .markup import clean, heading_text
from .text import has_words


@dataclass
class Unit:
    """A sentence (or a code line) with the source lines it spans."""

    text: str
    start: int
    end: int
    block: int


@dataclass
class Section:
    level: float  # a heading's level; headings Markdown does not mark sit between (see Outline)
    headings: tuple[str, ...]
    start: int
    end: int = 0
    units: list[Unit] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    people: list[tuple[str, str | None]] = field(default_factory=list)  # (name, affiliation), speaker first
    # Speaker lines with text between them: one section holding several talks in turn, (first line, people).
    talks: list[tuple[int, list[tuple[str, str | None]]]] = field(default_factory=list)
    hosts: list[tuple[str, str | None]] = field(default_factory=list)  # a moderator or host: people, listed last
    # A label with its names on the next lines ("Speakers:"): "speaker" or "host" until a line names no one.
    awaiting: str | None = None
    titled: bool = False  # its heading has words (the preamble and an empty `#` have none)
    bold: bool = False  # headed by a bold line: the next Markdown heading ends it, whatever its level


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# `####主题` and `#Syllabus` are headings; `#include` is not, nor a line of Obsidian tags (see _is_tag_line).
_HASHES_GLUED = re.compile(r"^(#{1,6})(?=[^#\s])(?!(?:include|define|if|ifdef|ifndef|endif|else|pragma|import|!)\b)")
_TAG = re.compile(r"#[^\s#]+")
HTML_HEADING = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.IGNORECASE)


def _is_tag_line(line: str) -> bool:
    """`#seminar #notes` or `#seminar`: tags (lower-case words, each with its hash), not a heading."""
    words = line.split()
    return bool(words) and all(_TAG.fullmatch(w) for w in words) and (len(words) > 1 or words[0][1:2].islower())


def loose_headings(lines: list[str]) -> list[str]:
    """Headings as authors meant them: `####主题一` (no space after the hashes), a lone `<h3>…</h3>` line and
    a setext heading (see _setext_level) become ATX headings; code fences are left alone. Line numbers do
    not change."""
    out, fence = [], None
    for n, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened:
            fence = None if fence == opened.group(1) else fence or opened.group(1)
        elif fence is None:
            html = HTML_HEADING.match(line)
            level = _setext_level(lines, n)
            if html:
                line = f"{'#' * int(html.group(1))} {html.group(2)}"
            elif level:
                line = f"{'#' * level} {line.strip()}"
            elif n and _setext_level(lines, n - 1):
                line = ""  # the underline of the heading above
            elif not _is_tag_line(line):
                line = _HASHES_GLUED.sub(r"\1 ", line)
        out.append(line)
    return out


_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_NOT_A_TITLE = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]\s|    |\t)")


def _setext_level(lines: list[str], n: int) -> int:
    """1 or 2 when line n is a one-line paragraph underlined as a setext heading: `Title` over `=====`,
    or over a `-----` about as long as it (a short `---` under text is a rule in notes); else 0."""
    underline = _UNDERLINE.match(lines[n + 1]) if n + 1 < len(lines) else None
    text = lines[n].strip()
    if not underline or not text or _NOT_A_TITLE.match(lines[n]) or (n and lines[n - 1].strip()):
        return 0
    if underline.group(1)[0] == "=":
        return 1 if len(underline.group(1)) >= 3 else 0
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return 2 if len(underline.group(1)) >= max(4, 0.6 * width) else 0


_BOLD_LINE = re.compile(r"^(?:\*\*|__)(?=\S).*\S(?:\*\*|__)$")
_SENTENCE_END = tuple("。.；;,，")  # a bold question ("**Is scaling all we need?**") is a title
REPEATED_HEADING = 3  # a heading text used this often in one note is a label ("Keynotes"), not a talk
BOLD_HEADING_CHARS = 100


class Outline:
    """The heading path as the note is read, with two kinds of headings authors mean but Markdown does
    not mark: a heading repeated through the note ("Keynotes", "Q&A") right after a talk's heading of
    the same level belongs to that talk, and a paragraph of one bold line ("**Talk title**") heads
    what follows it, one step below the heading above it."""

    def __init__(self, tokens: list) -> None:
        self.counts = Counter(
            heading_text(tokens[i + 1].content)
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.level == 0
        )
        self.stack: list[tuple[float, str, bool]] = []  # (level, heading, a bold line)
        self.level: float = 0

    def heading(self, level: float, text: str) -> tuple[float, tuple[str, ...]]:
        """(level, heading path) of a Markdown heading."""
        if self.counts[text] >= REPEATED_HEADING and self.stack:
            above_level, above, _ = self.stack[-1]
            if above_level == level and self.counts[above] < REPEATED_HEADING:
                level += 0.5
        self.level = level
        return self._push(level, text or f"(untitled h{int(level)})")

    def bold(self, text: str) -> tuple[float, tuple[str, ...]]:
        """(level, heading path) of a bold line standing as a heading."""
        return self._push(self.level + 0.25, text, bold=True)

    def _push(self, level: float, text: str, bold: bool = False) -> tuple[float, tuple[str, ...]]:
        while self.stack and (self.stack[-1][0] >= level or (self.stack[-1][2] and not bold)):
            self.stack.pop()
        self.stack.append((level, text, bold))
        return level, tuple(h for _, h, _ in self.stack)


def encloses(outer: Section, inner: Section) -> bool:
    """Whether `inner` is a sub-section of `outer`: deeper, and not a Markdown heading after a bold line."""
    return outer.level < inner.level and not (outer.bold and not inner.bold)


def bold_heading(tokens: list, i: int) -> str | None:
    """The text of a top-level paragraph's first line when it is all bold, short, and no sentence or label."""
    token = tokens[i]
    if token.type != "inline" or tokens[i - 1].type != "paragraph_open" or tokens[i - 1].level != 0:
        return None
    raw = token.content.strip().split("\n")[0].strip()
    if not _BOLD_LINE.match(raw) or labels.label(raw, clean) or len(re.findall(r"[:：]", raw)) >= 2:
        return None  # "**编辑：A||校对：B**" is a credits line, not a title
    text = clean(raw).strip(" :：")
    if not 2 <= len(text) <= BOLD_HEADING_CHARS or text.endswith(_SENTENCE_END) or not has_words(text):
        return None
    return text
