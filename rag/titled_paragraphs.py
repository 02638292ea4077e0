"""Paragraphs that each open on a talk's title: a title line over its speaker's name ("[Title](video)" over
"Jane Roe"), or a link naming both ("[Jane Roe: Title](url)", "<img/> [Title (Jane Roe) 2021/02](video)"). Pure;
rag.talk_runs has the other runs of talks in a section."""

from __future__ import annotations

import re

from . import heading_names, speakers
from .linked_talks import People, clear_name
from .markup import HARD_BREAK, clean
from .outline import Section
from .talk_runs import set_talks

# A line that is only a talk's title: a link ("[Title](url)") or a bold run, maybe with a hard break.
_TITLE_LINE = re.compile(r"^\s*(?:\[[^\]]{4,200}\]\([^)\s]+\)|(\*\*|__)[^*_]{4,200}\1)\s*(?:\\)?\s*$")
_HTML_ONLY = re.compile(r"^\s*<[^<>]+>(?:\s*</[^<>]+>)?\s*$")  # '<a name="lgan"></a>': no text
_NO_TEXT = re.compile(r"^\s*(?:<[^<>]+>(?:\s*</[^<>]+>)?|!?\[[^\]]*\]\([^)\s]*\)\.?)?\s*$")  # or a link alone
# A paragraph opening on a link to a talk whose text ends with its speaker in brackets, maybe a date after them,
# maybe after an icon: "<img src=…/> [Title (Jane Roe) 2021/02](https://youtube…)".
_LINKED_TITLE_WITH_NAME = re.compile(
    r"^\s*(?:<img[^>]*>\s*)?\[[^\]]{4,200}?\s*[(（](?P<who>[^()（）\]]{3,60})[)）]\s*(?:\d{4}(?:[/.\-]\d{1,2})?)?\s*\]"
    r"\([^)\s]+\)"
)


def in_titled_paragraphs(section: Section, lines: list[str]) -> None:
    """Paragraphs that each open with a talk's title on a line of its own and its speaker's bare name on the
    next ("[Title](video)" / "Jane Roe" / comments), or with a link naming both ("[Jane Roe: Title](url)",
    "[Title (Jane Roe) 2021/02](url)"):
    each starts a talk of the section when two or more do (one alone is as often a link to read), or the one
    with its speaker in brackets that opens the section's text."""
    starts: list[tuple[int, People]] = []
    first_text = next(
        (
            n
            for n in range(section.start + section.titled, min(section.end, len(lines)) + 1)
            if _LINKED_TITLE_WITH_NAME.match(lines[n - 1]) or not _NO_TEXT.match(lines[n - 1])
        ),
        0,
    )
    for line_no in range(max(section.start, 1), min(section.end, len(lines) - 1) + 1):
        above = lines[line_no - 2] if line_no > 1 else ""
        opens = not above.strip() or _HTML_ONLY.match(above) or line_no <= section.start + section.titled
        if opens and (linked := _LINKED_TITLE_WITH_NAME.match(lines[line_no - 1])):
            people = speakers.split_people(linked.group("who"))
            if people and all(speakers.is_person(name) for name, _ in people):
                starts.append((line_no, people))  # "[Title (Jane Roe) 2021/02](video)" over notes on the talk
                if line_no == first_text and clear_name(people[0][0]):
                    set_talks(section, starts)
        elif opens and _TITLE_LINE.match(lines[line_no - 1]):
            # "[Jane Roe - Title](url)": the link's text is a programme line.
            people = heading_names.from_programme_line(clean(lines[line_no - 1]).strip(), by=False)
            name_line = clean(HARD_BREAK.sub("", lines[line_no]).strip())
            # Where a title line puts it, a line of names ("Jane Roe", "Jane Roe (Acme)") names its speakers;
            # two or more talks must be given by clear names.
            people = people or (speakers.split_people(name_line) if 0 < len(name_line) <= 60 else [])
            if people and all(speakers.is_person(name) for name, _ in people):
                starts.append((line_no, people))
    if sum(clear_name(people[0][0]) for _, people in starts) >= 2:
        set_talks(section, starts)
