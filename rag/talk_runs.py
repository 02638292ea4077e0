"""Sections that hold several talks in turn, with no heading between them: a recap's paragraphs, one talk
after another, and a programme's list items. Pure."""

from __future__ import annotations

import re
from collections import Counter

from . import heading_names, labels, name_lines, prose_speakers, speakers, tables
from .linked_talks import People, clear_name, linked_talk, lists_linked_talks, opens_on_link
from .markup import HARD_BREAK, clean
from .name_forms import two_scripts
from .outline import Section, Unit
from .text import is_chinese, simplified

_TALK_CUE = re.compile(
    r"《|上场|第[一二三四五六七八九十两\d]{1,3}场|[Tt]alk|[Kk]eynote|[Tt]utorial|[Pp]resentation|报告|分享|演讲|讲座"
    r"|介绍了|讲解了|讲述了|演示了|探讨了|致辞|为我们带来|第[一二三四五六七八九十]位|presenting|presents|\bby\b|['’]s\s+[\"“]"
    rf"|^(?:{prose_speakers.IN_TURN})[^。@]{{0,16}}@"  # "首先, @龙泉寺扫地僧": who is next, by handle
)
# "接着是现场招聘环节", "Then lunch": a part of the programme that is nobody's talk; "…是某某男神的分享《Title》":
# a talk by someone the rules cannot name; "I also gave a short talk on…": the writer's own, not the talk before's.
_SEGMENT_CUE = re.compile(
    r"环节|茶歇|午餐|午休|圆桌|自由讨论|^(?:then |after that,? )?(?:lunch|coffee break|break)\b"
    r"|(?:的|是)(?:分享|报告|演讲|讲座|话题)\s*《"
    r"|^I (?:also )?(?:gave|presented|did) (?:a|my)\b",
    re.IGNORECASE,
)

# "The next talk I attended was on secure code", "Next was a talk on game servers", "接下来的分享是…", "4月21日
# （周二）—— Diamond keynote：…": a paragraph opening the next talk (or a programme's next slot) without naming who
# gave it.
_NEXT_TALK = re.compile(
    r"^(?:\d{1,2}月\d{1,2}日|\d{1,2}[:：]\d{2}|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)[^。！？.!?]{0,60}?"
    r"(?:talk|keynote|session|panel|分享|报告|演讲|讲座)"
    r"|^(?:(?:and|so|then|after (?:that|lunch|the break)),?\s+)?(?:the\s+|my\s+)?"
    r"(?:next|then|first|second|third|last|final|another|following)\b(?:\s+(?:up|was|came|is|comes))?"
    r"[^.!?]{0,40}?\b(?:talk|keynote|session|presentation|tutorial|workshop)s?\b"
    r"|^(?:接下来|接着|然后|随后|之后|最后|下一场|另一场|第[一二三四五六七八九十\d]{1,3}场)[^。！？]{0,20}?(?:分享|报告|演讲|讲座)",
    re.IGNORECASE,
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
        source = source_line(lines, unit)
        if labels.LIST_MARKER.match(source) or tables.is_row(source):
            continue  # "- Title - by Name" items: a list of talks to watch, more often than the note's own
        cued = _TALK_CUE.search(simplified(unit.text))  # "帶來的演講": the cues in simplified script
        found = prose_speakers.speaker_in_sentence(unit.text) if cued else []
        if cued and not found:  # "*Title*, by Jane Roe" across line breaks
            found = prose_speakers.set_off_title_by(" ".join(line.strip() for line in lines[unit.start - 1 : unit.end]))
        found = found or (opens_block and prose_speakers.bold_opening(source)) or []
        found = found or (opens_block and heading_names.from_bold_opening(source)) or []
        found = found or (opens_block and prose_speakers.presenter_opening(source)) or []
        found = found or (starts and prose_speakers.presenter_in_sentence(unit.text)) or []
        if not found and opens_block and starts:
            found = prose_speakers.titled_opening(unit.text)
        if found and (not starts or not _named_before(found, starts[-1][1])):
            starts.append((unit.start, found))
        elif not found and opens_block and _no_ones_part(unit.text, starts):
            starts.append((unit.start, []))
    named = sum(1 for _, people in starts if people)
    if named >= 2 or (named and len(starts) >= 3):
        set_talks(section, starts)


def _no_ones_part(opening: str, starts: list[tuple[int, People]]) -> bool:
    """A paragraph opening a talk without a name ("Next was a talk on…"), or, after a named talk, a part of
    the programme that is no one's ("Then lunch")."""
    return bool(_NEXT_TALK.search(opening) or (starts and starts[-1][1] and _SEGMENT_CUE.search(opening)))


def set_talks(section: Section, starts: list[tuple[int, People]]) -> None:
    """The section holds talks in turn, each from its start line (with its people, [] for a part of no one's);
    the text before the first (an introduction, a table's header rows) is no one's. Their people join the
    section's."""
    first = section.units[0].start if section.units else starts[0][0]
    section.talks = ([(first, [])] if first < starts[0][0] else []) + starts
    section.people += [p for _, people in starts for p in people if p not in section.people]


def _named_before(found: People, previous: People) -> bool:
    """The people are the talk's before, maybe by a shorter name ("Karen 分享了…" after "Karen Jex 的分享",
    "杨老师的报告…" after "杨海龙（北航）：Title")."""
    words = {word for name, _ in previous for word in name.split()}
    surnames = {name[0] for name, _ in previous if is_chinese(name)}
    return bool(previous) and all(
        name in words or set(name.split()) <= words or (name[0] in surnames and name[1:] in speakers.HONORIFICS)
        for name, _ in found
    )


def in_name_lines(section: Section, lines: list[str]) -> None:
    """Lines that are only who speaks ("David Ayers", "will gallego, fastly", "- liz fong-jones", "Dave McCrory
    (warner bros)"), standing alone or over the person's points, each under its talk's title on a line of its own
    or opening a panelist's turn: each starts a talk of the section when two or more name someone clearly."""
    starts: list[tuple[int, People]] = []
    last = min(section.end, len(lines))
    for line_no in range(max(section.start, 1), last + 1):
        people = _alone_name_line(lines, line_no, last)
        if people:
            starts.append((_title_above(lines, line_no, section.start) or line_no, people))
    if len(starts) >= 2:
        set_talks(section, starts)


_POINT = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+\S")
_NAME_LINE_CHARS = 100


def _alone_name_line(lines: list[str], line_no: int, last: int) -> People:
    """The people a line names when it is only their names, a paragraph of its own (or an item opening a list)
    followed by a blank line, the end or the person's points as list items."""
    text = lines[line_no - 1]
    above_blank = line_no == 1 or not lines[line_no - 2].strip() or lines[line_no - 2].lstrip().startswith("#")
    below = lines[line_no].strip() if line_no < last else ""
    if not above_blank or text.startswith((" ", "\t", "#")) or (below and not _POINT.match(lines[line_no])):
        return []
    if any(mark in text for mark in (":", "：", "](")):
        return []  # "主持人: Jane Roe", "- [Jane Roe: a post](url)": a label's value, a link to read
    text = clean(labels.LIST_MARKER.sub("", HARD_BREAK.sub("", text.strip())))
    if not 3 <= len(text) <= _NAME_LINE_CHARS or text.endswith((".", "。", ":", "：", "?", "？", "!", "！")):
        return []
    for people in (name_lines.from_opening_line(text, labelled=True), speakers.split_people(text)):
        # "will gallego, fastly": alone on its line, a name may be in lower case; "2) Strategy, and tradeoffs"
        # and "Systemic Risks" over points name no one.
        if people and all(clear_name(n) or name_lines.lowercase_name(n) for n, _ in people):
            return people
    return []


def _title_above(lines: list[str], line_no: int, section_start: int) -> int | None:
    """The line of a talk's title standing alone above a name line ("Taming complexity", a blank line, "Jane
    Roe"): a short line of its own that ends no sentence and is no list item."""
    above = line_no - 2
    while above > section_start and above > line_no - 4 and not lines[above - 1].strip():
        above -= 1
    if above < max(section_start, 1):
        return None
    text = lines[above - 1].strip()
    alone = above == 1 or not lines[above - 2].strip()
    if not text or not alone or labels.LIST_MARKER.match(text) or lines[above - 1].startswith((" ", "\t")):
        return None
    ends_sentence = text.endswith((".", "。", ":", "：", "?", "？", "!", "！", ";", "；", ",", "，"))
    return above if len(text) <= _NAME_LINE_CHARS and not ends_sentence and not text.startswith("#") else None


def in_programme(section: Section, lines: list[str]) -> None:
    """A programme: lines that each name a speaker and a talk ("Jane Roe - Title", "[Title - Jane Roe](url)"),
    as list items or lines of a paragraph joined by hard line breaks. In a run of them where two or more name
    someone clearly, each line starts a talk (a line naming no one, "Day 2:", a part of no one's); the text
    around the runs is no one's, but a paragraph opening on one of those talks ("The opening talk by Jane…")
    is that person's."""
    starts: dict[int, People] = {}
    spans: list[range] = []  # the lines of the programme's runs
    for run, after in _programme_runs(section, lines):
        # A note listing talks to watch: each item opening on a link names its speaker, one item alone too.
        listing = all(opens_on_link(lines[line - 1]) for line, _ in run) and lists_linked_talks(lines)
        if listing:
            run = [(line, people or linked_talk(lines[line - 1], shaped=True)) for line, people in run]
        named = [people for _, people in run if people]
        clear = sum(all(clear_name(name) for name, _ in people) for people in named)
        if (clear >= 2 or (listing and named)) and 2 * len(named) >= len(run):
            starts.update(run)
            spans.append(range(run[0][0], after if after is not None else section.end + 1))
            if after is not None:
                starts.setdefault(after, [])
    listed = list(dict.fromkeys(p for people in starts.values() for p in people))
    if not listed:
        return
    for unit, next_block in _paragraph_openings(section):
        person = _mentioned(unit.text, listed) if _TALK_CUE.search(unit.text) else None
        if person and not any(unit.start in span for span in spans):
            starts[unit.start] = [person]
            if next_block is not None:
                starts.setdefault(next_block, [])
    if min(starts) > section.units[0].start:
        starts[section.units[0].start] = []  # the text before the first talk (an introduction) is no one's
    talks = sorted(starts.items())
    section.talks = [(line, people) for n, (line, people) in enumerate(talks) if people or n == 0 or talks[n - 1][1]]
    section.people += [p for p in listed if p not in section.people]


def _programme_runs(section: Section, lines: list[str]) -> list[tuple[list[tuple[int, People]], int | None]]:
    """Runs of list items and hard-broken lines, each line with the speaker it names as a programme line
    (items nested deeper are notes of the item above), and the line of the text that ends the run."""
    runs: list[tuple[list[tuple[int, People]], int | None]] = []
    run: list[tuple[int, People]] = []
    top = 0  # the indent of the run's lines
    previous: Unit | None = None
    for unit in section.units:
        opens_line = previous is None or unit.start > previous.end
        broken_paragraph = previous is not None and previous.block == unit.block and unit.start >= 2
        broken_paragraph = broken_paragraph and bool(HARD_BREAK.search(lines[unit.start - 2]))
        previous = unit
        if not opens_line or unit.start > len(lines):
            continue
        source = lines[unit.start - 1]
        indent = len(source) - len(source.lstrip())
        in_list = bool(labels.LIST_MARKER.match(source))
        if in_list or broken_paragraph or HARD_BREAK.search(source):
            if not run or indent <= top:
                text = clean(labels.LIST_MARKER.sub("", HARD_BREAK.sub("", source).strip()))
                # "- Title - by Jane Roe" items: a list of talks to watch, more often than the note's programme.
                people = _tabbed_person(source) or heading_names.from_programme_line(text, by=not in_list)
                people = people or linked_talk(source)
                run.append((unit.start, people))
                top = indent
        elif run and indent > top:
            continue  # a paragraph inside the list item above
        elif run:
            runs.append((run, unit.start))
            run = []
    return [*runs, (run, None)] if run else runs


def _tabbed_person(source: str) -> People:
    """ "- 8:00 - 8:12<TAB>Justin Johnson<TAB>End-to-End View Synthesis": a programme line of tab-separated fields,
    one of them a clear name."""
    fields = [field.strip() for field in labels.LIST_MARKER.sub("", source).split("\t") if field.strip()]
    found = [clean(field) for field in fields if clear_name(clean(field))] if len(fields) >= 3 else []
    return [(speakers.clean_name(found[0]), None)] if len(found) == 1 else []


def _paragraph_openings(section: Section) -> list[tuple[Unit, int | None]]:
    """The first sentence of each paragraph (or list item), with the line where the next one starts."""
    firsts = [unit for n, unit in enumerate(section.units) if n == 0 or section.units[n - 1].block != unit.block]
    return [
        (unit, following.start if following else None)
        for unit, following in zip(firsts, [*firsts[1:], None], strict=True)
    ]


def _mentioned(sentence: str, listed: People) -> tuple[str, str | None] | None:
    """The one listed person a sentence names, in full or by a first name no other of them has ("Jane")."""
    found = [p for p in listed if p[0] in sentence]
    if not found:
        first_names = Counter(name.split()[0] for name, _ in listed if not is_chinese(name))
        found = [
            p
            for p in listed
            if not is_chinese(p[0])
            and first_names[first := p[0].split()[0]] == 1
            and not speakers.is_english_word(first)
            and re.search(rf"\b{re.escape(first)}\b", sentence)
        ]
    return found[0] if len(found) == 1 else None


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
        found = name_lines.from_list_item(unit.text) or _opening_speaker(unit.text)
        in_bold = not found and heading_names.opens_in_bold(source)
        found = found or (in_bold and heading_names.from_bold_opening(source)) or []
        if in_bold:
            bold_items.append((unit.start, _indent(lines, unit.start), bool(found)))
        if found:
            starts.append((_parent_item(lines, unit.start), found))
    numbered = _numbered_talks(section, lines)  # "3. 阮德莲：论文阅读" over notes names her as a heading would
    if len(starts) < 2 or sum(bool(people) for _, people in numbered) > len(starts):
        starts = numbered
        if starts:
            section.talks = starts
            section.people += [p for _, people in starts for p in people if p not in section.people]
        return
    named_indents = {indent for _, indent, named in bold_items if named}
    if len(named_indents) == 1 and len(starts) == sum(named for *_, named in bold_items):
        starts += [(line, []) for line, indent, named in bold_items if not named and indent in named_indents]
        starts.sort(key=lambda start: start[0])
    section.talks = [(line, list(people)) for line, people in starts]
    section.people += [p for _, people in starts for p in people if p not in section.people]


# A list item that only says who is on the panel, over the people as nested items.
_ROSTER_ITEM = re.compile(
    r"^(?:people|panel(?:ists?)?|speakers?|guests?|participants?|presenters?|嘉宾|讲者|与谈人|与谈嘉宾|参与者|演讲者|主讲人)"
    r"\s*[:：]?$",
    re.IGNORECASE,
)
ROSTER_UNITS = 12  # the roster opens the section


def in_roster(section: Section, lines: list[str]) -> None:
    """ "* people" over "  * Jane Roe - Acme", "  * John Doe (Org)": a panel's people listed under an item
    that says who they are; two or more such people all share the section (no talks in turn)."""
    units = section.units[:ROSTER_UNITS]
    for at, unit in enumerate(units):
        if not labels.LIST_MARKER.match(source_line(lines, unit)) or not _ROSTER_ITEM.match(unit.text.strip()):
            continue
        indent = len(_indent(lines, unit.start))
        listed: People = []
        for item in units[at + 1 :]:
            if len(_indent(lines, item.start)) <= indent or not labels.LIST_MARKER.match(source_line(lines, item)):
                break
            found = name_lines.from_opening_line(item.text, labelled=True)
            if not found:
                break
            listed += found[:1]
        if len(listed) >= 2:
            section.people += [p for p in listed if p not in section.people]
        return


_NUMBERED_ITEM = re.compile(r"^(?P<indent>\s*)\d{1,2}[.)]\s+(?P<text>\S.*)$")


def _numbered_talks(section: Section, lines: list[str]) -> list[tuple[int, list[tuple[str, str | None]]]]:
    """Numbered items with notes under them are talks, each item's first line its heading ("2. Unikernels. by
    Jane Roe(Acme)" over indented notes): the talks of the section, when one or more such headings name
    someone."""
    items: list[tuple[int, str, int]] = []  # (line, heading text, indent)
    for unit in section.units:
        match = _NUMBERED_ITEM.match(lines[unit.start - 1]) if unit.start <= len(lines) else None
        if match and _has_notes(lines, unit.start, len(match.group("indent")), section.end):
            items.append((unit.start, match.group("text"), len(match.group("indent"))))
    top = min((indent for *_, indent in items), default=0)
    talks = [(line, _clear_people(text)) for line, text, indent in items if indent == top]
    return talks if len(talks) >= 2 and any(people for _, people in talks) else []


def _clear_people(heading: str) -> list[tuple[str, str | None]]:
    """The people a list item's first line names as a heading would, a Chinese name only when jieba knows it
    as one: an item is read as a heading on less evidence than a heading, so "3. 区块链" is no surname and name."""
    found = heading_names.from_heading(heading)
    people = found[0] if found else []
    clear = all(
        speakers.is_chinese_name(n) if is_chinese(n) and not two_scripts(n) else speakers.is_person(n)
        for n, _ in people
    )
    return people if clear else []


def _opening_speaker(item: str) -> People:
    """ "1. 卓致遠 (Thinker Mobile) 分享了他在…": an item whose sentence opens with who gave the talk."""
    found = prose_speakers.speaker_in_sentence(item, list_item=True)
    return found if found and item.startswith(found[0][0]) else []


def opens_with_item_over_notes(section: Section, lines: list[str]) -> bool:
    """Whether the section's text opens with a list item that has notes indented under it ("1. 洪铭：" over
    "   * 写论文方法：…"): a first talk of the items, not a panel's roster of bare names."""
    if section.talks or not section.units:
        return False
    first = section.units[0].start
    marker = labels.LIST_MARKER.match(lines[first - 1]) if first <= len(lines) else None
    return bool(marker) and _has_notes(lines, first, len(_indent(lines, first)), section.end)


def opens_with_named_item(section: Section, lines: list[str]) -> bool:
    """Whether the section's first list item names a speaker in bold ("- **Jane Roe**：**Title**") or opens a
    sentence saying they gave a talk ("1. 卓致遠 (Org) 分享了…"), over paragraphs about the talk: the items mark
    the talks, before any prose is read for them."""
    for unit in section.units[:ROSTER_UNITS]:
        source = source_line(lines, unit)
        if labels.LIST_MARKER.match(source):
            return bool(heading_names.from_bold_opening(source) or _opening_speaker(unit.text))
    return False


def _has_notes(lines: list[str], line_no: int, indent: int, last_line: int) -> bool:
    """Whether the lines after a list item, up to the next one at its level, are indented under it."""
    for text in lines[line_no:last_line]:
        if text.strip():
            return len(text) - len(text.lstrip()) > indent
    return False


def _indent(lines: list[str], line_no: int) -> str:
    line = lines[line_no - 1]
    return line[: len(line) - len(line.lstrip())]


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
