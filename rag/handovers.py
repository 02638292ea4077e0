"""Lines that hand a section over to another speaker: a keynote's notes where one part is "(By Jane Roe)" and
the next "(By John Smith)", marked on list items and short lines rather than headings. Pure."""

from __future__ import annotations

import re

from .outline import Section
from .speakers import is_clear_person, split_people

# "- Vitals (By Jane Roe)", "Super Chat (by Jane Roe) (live stream)": a part's title, then who presents it.
_BY_LINE = re.compile(
    r"^(?:(?:[-*+]|\d{1,2}[.)])\s++)?(?P<title>[^()（）\s][^()（）]{1,79}?)\s*[（(]\s*by\s+(?P<who>[^()（）]{3,60}?)\s*[)）]"
    r"(?P<rest>.{0,30})$",
    re.IGNORECASE,
)
_BY_LINE_CHARS = 200  # a part's title and its presenter; a longer line is prose


def by_lines(section: Section, lines: list[str]) -> None:
    """Each line of the section naming who presents the part it opens ("- Vitals (By Jane Roe)") starts that
    person's talk; the text before the first keeps the section's speaker."""
    starts = []
    for line_no in range(max(section.start + section.titled, 1), min(section.end, len(lines)) + 1):
        line = lines[line_no - 1].strip()
        match = _BY_LINE.match(line) if len(line) <= _BY_LINE_CHARS else None
        people = split_people(match.group("who")) if match else []
        if people and all(is_clear_person(name) for name, _ in people):
            starts.append((line_no, people))
    if starts and starts[0][0] > section.start:
        section.talks = starts
