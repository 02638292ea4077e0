"""Sections that hold several talks in turn, with no heading between them: a recap's paragraphs, one talk
after another, and a programme's list items. Pure."""

from __future__ import annotations

import re

from . import heading_names, labels, name_lines, prose_speakers
from .outline import Section, Unit

_TALK_CUE = re.compile(r"《|上场|[Tt]alk|报告|分享|演讲|讲座|presenting|presents|\bby\b")
# "接着是现场招聘环节", "Then lunch": a part of the programme that is nobody's talk.
_SEGMENT_CUE = re.compile(
    r"环节|茶歇|午餐|午休|圆桌|自由讨论|^(?:then |after that,? )?(?:lunch|coffee break|break)\b", re.IGNORECASE
)


def in_prose(section: Section, lines: list[str]) -> None:
    """Sentences opening one talk after another ("…是某大学的张三老师带来的", "‘Title’ — by Jane Roe"), or a
    paragraph opening with a titled name among them: each starts a talk of the section when two or more do;
    a paragraph opening a part of the programme without a speaker ("接着是招聘环节") starts a part of no one's."""
    starts: list[tuple[int, list[tuple[str, str | None]]]] = []
    seen_blocks: set[int] = set()
    for unit in section.units:
        opens_block = unit.block not in seen_blocks
        seen_blocks.add(unit.block)
        if labels.LIST_MARKER.match(source_line(lines, unit)):
            continue  # "- Title - by Name" items: a list of talks to watch, more often than the note's own
        found = prose_speakers.speaker_in_sentence(unit.text) if _TALK_CUE.search(unit.text) else []
        found = found or (opens_block and prose_speakers.bold_opening(source_line(lines, unit))) or []
        found = found or (opens_block and heading_names.from_bold_opening(source_line(lines, unit))) or []
        if not found and opens_block and starts:
            found = prose_speakers.titled_opening(unit.text)
        if found and (not starts or starts[-1][1] != found):
            starts.append((unit.start, found))
        elif not found and opens_block and starts and starts[-1][1] and _SEGMENT_CUE.search(unit.text):
            starts.append((unit.start, []))
    named = [people for _, people in starts if people]
    if len(named) >= 2:
        before: list[tuple[int, list[tuple[str, str | None]]]] = []
        if starts[0][0] > section.units[0].start:
            before = [(section.units[0].start, [])]
        section.talks = before + starts  # the text before the first talk (an introduction) is no one's
        section.people += [p for people in named for p in people if p not in section.people]


def in_list_items(section: Section, lines: list[str]) -> None:
    """List items that are a person ("- 黄盈樟 ~ 硬件极客", "- Jane Roe @jroe") under the items of a
    programme, or open with a bold talk heading ("1. **张三(某公司) Title**"): each starts a talk of the
    section when two or more do; an item like the bold ones that names no one starts a talk of no one."""
    starts: list[tuple[int, list[tuple[str, str | None]]]] = []
    bold_items: list[tuple[int, str, bool]] = []  # (line, indent, names someone) of items opening in bold
    for unit in section.units:
        source = source_line(lines, unit)
        if not labels.LIST_MARKER.match(source):
            continue
        found = name_lines.from_list_item(unit.text)
        in_bold = not found and heading_names.opens_in_bold(source)
        found = found or (in_bold and heading_names.from_bold_opening(source)) or []
        if in_bold:
            bold_items.append((unit.start, _indent(lines, unit.start), bool(found)))
        if found:
            starts.append((_parent_item(lines, unit.start), found))
    if len(starts) < 2:
        return
    named_indents = {indent for _, indent, named in bold_items if named}
    if len(named_indents) == 1 and len(starts) == sum(named for *_, named in bold_items):
        starts += [(line, []) for line, indent, named in bold_items if not named and indent in named_indents]
        starts.sort(key=lambda start: start[0])
    section.talks = [(line, list(people)) for line, people in starts]
    section.people += [p for _, people in starts for p in people if p not in section.people]


def _indent(lines: list[str], line_no: int) -> str:
    return re.match(r"\s*", lines[line_no - 1]).group()


def _parent_item(lines: list[str], line_no: int) -> int:
    """The line of the list item a nested item belongs to ("- Talk title" above "    + Speaker ~ role"): the
    talk starts there; a top-level item starts it itself."""
    indent = len(lines[line_no - 1]) - len(lines[line_no - 1].lstrip())
    for above in range(line_no - 1, max(0, line_no - 4), -1):
        text = lines[above - 1]
        if text.strip() and len(text) - len(text.lstrip()) < indent and labels.LIST_MARKER.match(text):
            return above
    return line_no


def source_line(lines: list[str], unit: Unit) -> str:
    """The line of the note a unit starts on, without its indentation."""
    return lines[unit.start - 1].lstrip() if unit.start <= len(lines) else ""
