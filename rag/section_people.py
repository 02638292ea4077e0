"""A section's people as the lines of a note add them while it is read (a label line, a line under
"Speakers:", a name signing a paragraph), each starting or joining one of the section's talks; and the speaker of
a chunk of a section holding several talks. Pure."""

from __future__ import annotations

import re
from dataclasses import replace

from . import name_lines, speakers
from .outline import Section
from .types import Chunk


def add_people(section: Section, key: str, value: str, line_no: int) -> None:
    """A label line's people join the section: speakers (an author presents a paper) start or join a talk,
    hosts are listed; an empty value means the names follow on the next lines."""
    if key not in ("speaker", "host", "author"):
        return
    if not value:
        section.awaiting = "host" if key == "host" else "speaker"
        return
    hosts: list[tuple[str, str | None]] = []
    if key == "author":  # "A (Org), B, C": a comma-separated list, the first author presenting
        people = [speakers.split_people(part) for part in re.split(r"\s*[,，;；]\s*(?![^()（）]*[)）])", value)]
        found = [p for parts in people for p in parts if speakers.is_name_shaped(p[0])]
    else:
        found, hosts = speakers.by_role(speakers.split_people(value))
        titles = [p for p in found if _title_words(p[0])]
        if titles and titles == found:  # "Speaker 5: Deep Learning on Anonymized Datasets": the labels swapped
            if not value[:1].islower():  # "* speaker: match expectations set…": a note on speaking, no talk
                add_talk(section, line_no, [])
            return
    if key == "host":
        found, hosts = [], found + hosts
    section.hosts.extend(p for p in hosts if speakers.is_name_shaped(p[0]) or _handle(p[0]))
    if found:
        section.people.extend(p for p in found if p not in section.people)
        add_talk(section, line_no, found)


_TITLE_WORD = re.compile(r"(?<=\s)(?:on|of|the|for|and|with|in|to|from|at|a|an|is|are|how|why|what)(?=\s)", re.I)


def _title_words(value: str) -> bool:
    """A label's value that reads as a talk's title, not a name: five words or more, or a small word
    ("on", "for") between others, and not shaped like a name."""
    long_or_joined = len(value.split()) >= 5 or bool(_TITLE_WORD.search(f" {value} "))
    return long_or_joined and not speakers.is_name_shaped(value)


def _handle(name: str) -> bool:
    """ "主持人：MikeTang": one Latin word no dictionary has, where a label says a person stands."""
    return bool(re.fullmatch(r"[A-Za-z][\w.\-]{1,24}", name)) and not speakers.is_english_word(name)


def add_listed_person(section: Section, line: str, line_no: int) -> None:
    """A line under "Speakers:" that opens with a name ("Jane Roe - Role, Org") lists one more person."""
    if section.awaiting is None:
        return
    found = name_lines.from_opening_line(line, labelled=True)
    if not found:
        section.awaiting = None
    elif section.awaiting == "host":
        section.hosts.extend(p for p in found if p not in section.hosts)
    else:
        section.people.extend(p for p in found if p not in section.people)


def add_signed_talk(section: Section, line: str, paragraph_line: int) -> None:
    """A line of a paragraph that is a name and a handle ("Jane Roe @jroe") signs the talk the paragraph
    opens (title, bio, then who): the talk starts at the paragraph."""
    if "@" in line and (found := name_lines.bare_name(line)) and line != found[0][0]:
        section.people.extend(p for p in found if p not in section.people)
        add_talk(section, paragraph_line, found)


def add_talk(section: Section, line_no: int, people: list[tuple[str, str | None]]) -> None:
    """A speaker line after text starts the section's next talk; one right after another adds a co-speaker."""
    if section.talks and not any(u.start > section.talks[-1][0] for u in section.units):
        section.talks[-1][1].extend(p for p in people if p not in section.talks[-1][1])
    else:
        section.talks.append((line_no, list(people)))


def people_at(section: Section, line: int) -> list[tuple[str, str | None]]:
    """The people of a section holding several talks at a line of it: a sub-section after them belongs to the
    talk in effect there, not to everyone the section names (after a programme's list, to no one)."""
    people = next((people for start, people in reversed(section.talks) if start <= line), None)
    return section.people if people is None else people + [h for h in section.hosts if h not in people]


def in_talk(chunk: Chunk, section: Section, line: int) -> Chunk:
    """A chunk of a section holding several talks: its speaker is the one of the talk it is part of (text
    before the first talk, a programme's opening, keeps the section's people)."""
    people = next((people for start, people in reversed(section.talks) if start <= line), None)
    if people is None:
        return chunk
    names = tuple(dict.fromkeys([*(name for name, _ in people), *(name for name, _ in section.hosts)]))
    speaker, affiliation = people[0] if people else (None, None)  # a part of the programme that is no talk
    return replace(chunk, speaker=speaker, affiliation=affiliation, people=names)
