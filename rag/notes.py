"""Markdown lecture notes → Chunks. Pure: text in, chunks out, source line numbers kept."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import pairwise

from markdown_it import MarkdownIt

from . import front_matter, labels, section_people, tables, talks
from .markup import HARD_BREAK, IMAGE_HTML, IMAGE_MD, MARK, clean, heading_text
from .name_forms import full_names, spelling_variants
from .outline import HTML_HEADING, Outline, Section, Unit, bold_heading, encloses, loose_headings
from .text import has_words, sentence_spans
from .types import Chunk

DEFAULT_CHUNK_CHARS = 400
# A `---` further down than this closes no front matter: the note opened with a rule, and YAML-parsing
# megabytes of Markdown to find out would be slow.

# `---` right under a line of text would make it a setext heading; in notes it is a rule. Inline parsing is
# off: only the block structure is used (inline markup is cleaned by regex), and it halves the time on big notes.
_MARKDOWN = MarkdownIt("commonmark", {"maxNesting": 100}).disable(["lheading", "inline", "text_join"])

# A line without any of these has no markup, image or meta line (those need brackets or a colon).
_MARKUP = re.compile(r"!\[|[\[\]<>*_:：【】［］〔〕\x00&]")
_NOT_LATIN_OR_DIGIT = re.compile(r"[^A-Za-z0-9]")
_LABEL_WORD = re.compile(r"\s*(?:演讲|讲者|主讲|报告人|讲师|分享)")  # what a sentence_label() opens with
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
_CONTAINER_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$)))*")
# Commented-out HTML is hidden from readers, so it is not indexed either; newlines stay for line numbers.
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG_OVER_LINES = re.compile(r"<[A-Za-z][^<>]*\n[^<>]*>")


@dataclass(frozen=True)
class Note:
    """One parsed note: its title, its chunks, and what could not be understood."""

    title: str
    chunks: tuple[Chunk, ...]
    warnings: tuple[str, ...] = ()


def _people(
    sections: list[Section], lines: list[str], front: dict, warnings: list[str]
) -> list[tuple[str, str | None]]:
    """talks.find_people(); its rules are guesses over any text a person wrote, so one that fails on an odd note
    costs that note its speakers (a warning says so), never the note or the build."""
    try:
        return talks.find_people(sections, lines, front)
    except Exception as error:  # any rule failing: the note is indexed without speakers
        warnings.append(f"speakers not read ({type(error).__name__}: {error})")
        for section in sections:
            section.people, section.talks, section.hosts = [], [], []
        return []


def parse_note(text: str, file: str, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> Note:
    """Parse one note's text into chunks.

    Args:
        text: the note, already decoded; line endings may be \\n, \\r\\n or \\r.
        file: the note's path relative to the notes folder; recorded in every chunk.
        chunk_chars: sections longer than this are split at sentence boundaries. Defaults to 400.
    """
    lines = text.removeprefix("\ufeff").splitlines()
    front, body_start, warnings = front_matter.read(lines)
    title = front_matter.title(front, file)
    # Blank out the front matter so markdown-it's line numbers are the file's line numbers.
    body = "\n".join([""] * body_start + loose_headings(lines[body_start:]))
    sections = _sections(body, lines)
    note_people = _people(sections, lines, front, warnings)
    chunks: list[Chunk] = []
    inherited: list[Section] = []
    for section in sections:
        while inherited and not encloses(inherited[-1], section):
            inherited.pop()
        inherited.append(section)
        speaker_section = next((s for s in reversed(inherited) if s.people), None)
        time_section = next((s for s in reversed(inherited) if "time" in s.meta), None)
        people = speaker_section.people if speaker_section else note_people
        if speaker_section and speaker_section is not section and len(speaker_section.talks) > 1:
            people = section_people.people_at(speaker_section, section.start)
        hosts = speaker_section.hosts if speaker_section else []
        # A host or moderator shares the section but is not its speaker.
        speaker, affiliation = next((p for p in people if p not in hosts), (None, None))
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
            people=tuple(dict.fromkeys(name for name, _ in people)),
        )
        chunks.extend(_chunk_section(section, base, chunk_chars))
    if summary := front_matter.summary(front, lines, body_start):  # "description: …": the writer's own summary
        line_no, text = summary
        who, where = note_people[0] if note_people else (None, None)
        names = tuple(name for name, _ in note_people)
        chunks.insert(0, Chunk(file, title, (), line_no, line_no, text, who, where, people=names))
    return Note(title=title, chunks=_one_name_per_person(chunks), warnings=tuple(warnings))


def _one_name_per_person(chunks: list[Chunk]) -> tuple[Chunk, ...]:
    """The note's chunks with each person under one name: "吴恩达" in one section and "Andrew Ng吴恩达" in
    another are "Andrew Ng 吴恩达" in both, so a question naming either finds all their sections; a person the
    note spells two ways ("Adrian Cockroft" and "Adrian Cockcroft", "Daniel Berg" and "Dan Berg") has both
    among the people of each of their sections."""
    names = [name for c in chunks for name in (c.speaker, *c.people) if name]
    full, variants = full_names(names), spelling_variants(names)
    if not full and not variants:
        return tuple(chunks)
    return tuple(
        replace(
            c,
            speaker=full.get(c.speaker, c.speaker) if c.speaker else None,
            people=tuple(
                dict.fromkeys(form for name in c.people for form in (full.get(name, name), *variants.get(name, ())))
            ),
        )
        for c in chunks
    )


def _sections(body: str, lines: list[str]) -> list[Section]:
    """Split the body into heading sections, collecting sentences, images and meta lines of each."""
    tokens = _MARKDOWN.parse(body)
    sections = [Section(level=0, headings=(), start=1)]
    outline = Outline(tokens)
    block = 0
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        first, stop = token.map
        if token.type == "heading_open" and token.level == 0:
            heading = heading_text(tokens[i + 1].content)
            level, headings = outline.heading(int(token.tag[1]), heading)
            sections.append(Section(level=level, headings=headings, start=first + 1, titled=bool(heading)))
            continue
        if token.type == "inline" and tokens[i - 1].type == "heading_open" and tokens[i - 1].level == 0:
            continue
        bold = bold_heading(tokens, i)
        if bold:
            level, headings = outline.bold(bold)
            sections.append(Section(level=level, headings=headings, start=first + 1, titled=True, bold=True))
            rest = token.content.split("\n")[1:]  # "**Title**" glued to the paragraph it heads
            if rest:
                block += 1
                _add_text(sections[-1], rest, first + 1, block)
                sections[-1].end = stop
            continue
        section = sections[-1]
        if token.type == "inline" and tables.is_table(token.content.split("\n")):
            for n, row in enumerate(token.content.split("\n")):
                if n != 1:  # the `---|---` row says nothing
                    block += 1  # a block per row: a row is one talk of a schedule, not a run-on sentence
                    _add_text(section, [row], first + n, block)
        elif token.type == "inline":
            block += 1
            _add_text(section, token.content.split("\n"), first, block)
        elif token.nesting == 1 and tokens[i + 1].nesting == -1 and token.type != "heading_open":
            # An empty container, or one nested deeper than maxNesting, whose content markdown-it
            # drops: keep its lines as plain text rather than lose them.
            block += 1
            _add_text(section, [_CONTAINER_MARKERS.sub("", line) for line in lines[first:stop]], first, block)
        elif token.type in ("fence", "code_block"):
            offset = first + 1 if token.type == "fence" else first
            for n, code_line in enumerate(token.content.rstrip("\n").split("\n")):
                if code_line.strip():
                    block += 1  # a block per code line: code keeps its line breaks
                    section.units.append(Unit(code_line.rstrip(), offset + n + 1, offset + n + 1, block))
        elif token.type == "html_block":
            block = _add_html(sections, outline, token.content, first, block, lines)  # may start sections
        else:
            continue
        sections[-1].end = max(sections[-1].end, stop)
    for section, following in zip(sections, [*sections[1:], None], strict=True):
        last_line = following.start - 1 if following else len(lines)
        section.end = max(section.start, min(section.end, last_line))
    preamble = sections[0]
    if preamble.units or preamble.images:
        # The preamble starts at its first line of content, not at the front matter.
        preamble.start = min([u.start for u in preamble.units] + [line for line, _ in preamble.images])
    return [s for s in sections if s.level > 0 or s.units or s.images]


def _add_html(sections: list[Section], outline: Outline, html: str, first: int, block: int, lines: list[str]) -> int:
    """An HTML block's text joins the section; a `<h3>…</h3>` line inside it (a post's `<div>` per talk) starts a
    section of its own. Returns the last block number used."""
    html = _HTML_COMMENT.sub(lambda m: MARK + "\n" * m.group().count("\n"), html)
    # A tag written over several lines (`<img style="…"` / `src="…"/>`) is read on its first: its attributes
    # are no text of the note.
    html = _TAG_OVER_LINES.sub(lambda m: " ".join(m.group().split("\n")) + "\n" * m.group().count("\n"), html)
    run: list[str] = []
    run_start = first
    for n, line in enumerate(html.rstrip("\n").split("\n")):
        heading = HTML_HEADING.match(lines[first + n]) if n and first + n < len(lines) else None
        if heading and heading_text(heading.group(2)):
            block += 1
            _add_text(sections[-1], run, run_start, block)
            level, headings = outline.heading(int(heading.group(1)), heading_text(heading.group(2)))
            sections.append(Section(level=level, headings=headings, start=first + n + 1, titled=True))
            run_start, run = first + n + 1, []
        else:
            run.append(line)
    block += 1
    _add_text(sections[-1], run, run_start, block)
    return block


def _add_text(section: Section, text_lines: list[str], first_line: int, block: int) -> None:
    """Turn an inline run's lines into sentences; meta lines become section fields, images a list."""
    kept: list[tuple[int, str]] = []
    broken: set[int] = set()  # lines ending in a hard line break
    for n, raw in enumerate(text_lines):
        line_no = first_line + n + 1
        if HARD_BREAK.search(raw):
            broken.add(line_no)
            raw = raw.rstrip().removesuffix("\\")
        if not _MARKUP.search(raw) and not labels.may_be_label(raw):
            # Plain prose, most lines of a note: no image, meta line or markup to look for.
            cleaned = " ".join(raw.split())
        else:
            for pattern in (IMAGE_MD, IMAGE_HTML):
                # An image embedded as a data: URI (megabytes of base64) has no path to show.
                section.images.extend((line_no, src) for src in pattern.findall(raw) if not src.startswith("data:"))
            meta = labels.label(raw, clean)
            if meta is not None and (meta[0] != "author" or section.titled):
                if meta[1]:
                    section.meta.setdefault(*meta)
                section_people.add_people(section, meta[0], meta[1], line_no)
                if meta[0] != "topic" or _in_heading(meta[1], section):
                    continue  # "Topic: Caching at scale" under another heading: the talk's title, searchable text
            cleaned = clean(raw)
        if cleaned:
            section_people.add_listed_person(section, cleaned, line_no)
            section_people.add_signed_talk(section, cleaned, first_line + 1)  # "Jane Roe @jane_roe"
            kept.append((line_no, cleaned))
    # A hard line break ends a line as the author meant it ("Jane Roe - Title  " over the next talk): a
    # sentence does not run across it.
    piece: list[tuple[int, str]] = []
    for line_no, cleaned in kept:
        piece.append((line_no, cleaned))
        if line_no in broken:
            _add_sentences(section, piece, block, opens_paragraph=piece[0] == kept[0])
            piece = []
    if piece:
        _add_sentences(section, piece, block, opens_paragraph=piece[0] == kept[0])


def _in_heading(value: str, section: Section) -> bool:
    """Whether a label's value is already the section's heading (【题目】 under the talk's numbered title)."""
    heading = " ".join(section.headings[-1].split()).lower() if section.headings else ""
    return bool(value) and " ".join(clean(value).split()).lower() in heading


def _add_sentences(section: Section, kept: list[tuple[int, str]], block: int, opens_paragraph: bool) -> None:
    """The sentences of a run of cleaned lines, each a unit with the lines it spans."""
    joined, starts, line_numbers = "", [], []
    for line_no, cleaned in kept:
        if joined:
            both_cjk = _CJK_EDGE.match(joined[-1]) and _CJK_EDGE.match(cleaned[0])
            joined += "" if both_cjk else " "
        starts.append(len(joined))
        line_numbers.append(line_no)
        joined += cleaned
    for a, b in sentence_spans(joined):
        # Bisect, not a scan: a paragraph of a million lines must stay linear.
        first, last = line_numbers[bisect_right(starts, a) - 1], line_numbers[bisect_right(starts, b - 1) - 1]
        section.units.append(Unit(joined[a:b], first, last, block))
        inside = a or not opens_paragraph
        named = labels.sentence_label(joined[a:b]) if inside and _LABEL_WORD.match(joined, a) else None
        if named:  # "…开展的。主讲人是某大学教授，华国伟。": a label inside the paragraph
            section_people.add_people(section, "speaker", named, first)


def _chunk_section(section: Section, base: Chunk, chunk_chars: int) -> list[Chunk]:
    """Pack a section's sentences into chunks of at most chunk_chars that tile its lines."""
    if not section.units:
        # Image-only (or empty) sections are still findable: their heading is their content. Without
        # a heading of words there is no text of the note to show, so nothing to index.
        if not section.titled:
            return []
        return [replace(base, text=section.headings[-1], images=tuple(src for _, src in section.images))]
    # One talk that starts after the section's text begins is a part handed over; the text before keeps its
    # speaker (rag.handovers).
    handed_over = len(section.talks) == 1 and section.talks[0][0] > section.units[0].start
    talk_starts = [line for line, _ in section.talks] if len(section.talks) > 1 or handed_over else []
    groups: list[list[Unit]] = [[]]
    size = 0
    for unit in _split_long(section.units, chunk_chars):
        next_talk = bool(groups[-1]) and any(groups[-1][-1].start < line <= unit.start for line in talk_starts)
        if groups[-1] and (size + len(unit.text) > chunk_chars or next_talk):
            groups.append([])
            size = 0
        groups[-1].append(unit)
        size += len(unit.text)
    # A talk's chunk starts at its label line ("Speaker: Jane Roe"), which is no sentence of the text.
    starts = [section.start] + [
        min([line for line in talk_starts if before[-1].end < line <= group[0].start] or [group[0].start])
        for before, group in pairwise(groups)
    ]
    chunks = []
    for i, group in enumerate(groups):
        start = starts[i]
        end = section.end if i == len(groups) - 1 else max(starts[i + 1] - 1, group[-1].end)
        images = tuple(src for line, src in section.images if start <= line <= end)
        chunk = replace(base, start=start, end=end, text=_join(group), images=images)
        chunks.append(section_people.in_talk(chunk, section, group[0].start) if talk_starts else chunk)
    return chunks


def _split_long(units: list[Unit], chunk_chars: int) -> list[Unit]:
    """A sentence longer than a whole chunk (a paragraph with no punctuation) is cut at spaces."""
    out: list[Unit] = []
    for unit in units:
        text = unit.text
        if len(text) <= chunk_chars:
            if has_words(text) or not out:
                out.append(unit)
            continue
        # Offsets, not slicing off the rest each time: a megabyte without punctuation must stay linear.
        start, pieces = 0, []
        while len(text) - start > chunk_chars:
            cut = _cut(text, start, chunk_chars)
            pieces.append(text[start:cut].strip())
            start = cut
        rest = text[start:].strip()
        if has_words(rest) or not any(pieces):
            pieces.append(rest)
        out.extend(replace(unit, text=piece) for piece in pieces if piece)
    return out


def _cut(text: str, start: int, chunk_chars: int) -> int:
    """Where to end a piece of text that starts at start: at the last space of the second half of a chunk,
    else between two characters not of one Latin word (a CJK character is a word of its own), else after
    the Latin word that straddles the chunk's end, unless that word is absurdly long (a hash, base64)."""
    low, high = start + chunk_chars // 2, start + chunk_chars
    space = text.rfind(" ", low, high)
    if space > 0:
        return space
    for cut in range(high, low, -1):
        if not (_is_latin_or_digit(text[cut - 1]) and _is_latin_or_digit(text[cut])):
            return cut
    after_word = _NOT_LATIN_OR_DIGIT.search(text, high)
    word_end = after_word.start() if after_word else len(text)
    return word_end if word_end - start <= 4 * chunk_chars else high


def _is_latin_or_digit(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _join(units: list[Unit]) -> str:
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
