"""Who speaks in which section of a note: people found around headings, and sections that hold several
talks in turn. Pure."""

from __future__ import annotations

import re
from dataclasses import replace

from . import labels, name_lines, speakers
from .outline import Section, encloses
from .types import Chunk

EARLY_LINES = 40  # the one speaker a note names early, before or about the note, gives the whole note


def find_people(sections: list[Section], lines: list[str], front: dict) -> list[tuple[str, str | None]]:
    """Fill each section's people from its heading, a `## 分享嘉宾` heading under it, or the first lines under
    it (a dash line, a bare name bullet, "by Name", "Name (Org)", …); return the note's own speaker (front
    matter, a first line 'Name, Org', or the only speaker it names, early on) for sections that name no one."""
    talks: list[Section] = []  # the open sections above this one
    named_children: dict[int, list[list[tuple[str, str | None]]]] = {}  # parent → people of "### Name" children
    for section in sections:
        while talks and not encloses(talks[-1], section):
            talks.pop()
        inside_talk = any(s.people for s in talks)
        talks.append(section)
        section.people += [host for host in section.hosts if host not in section.people]
        if any(p not in section.hosts for p in section.people) or not section.titled:
            continue
        labelled = labels.label(section.headings[-1], str)
        found = speakers.from_heading(section.headings[-1])
        if labelled and labelled[0] == "speaker" and _only_names(labelled[1]):
            # "### 主讲人：张三": a label standing as a heading names this section and the talk above it.
            for talk in (section, *talks[-2:-1]):
                add_people(talk, "speaker", labelled[1], section.start)
        elif found:
            section.people = found[0] + section.people
            if not found[1] and len(talks) > 1:  # the heading is only a name: the talk is the section above
                named_children.setdefault(id(talks[-2]), []).append(found[0])
        elif _SPEAKER_HEADING.match(section.headings[-1]) and section.units:
            # "## 分享嘉宾" / "### About the speaker": the name opens the text, and the talk is the section above.
            found_people = name_lines.from_opening_line(section.units[0].text, labelled=True)
            for talk in (section, *talks[-2:-1]):
                talk.people = found_people + talk.people
        else:
            section.people = _name_under_heading(section, lines, explicit_only=inside_talk) + section.people
    for section in sections:
        children = named_children.get(id(section), [])
        if len(children) == 1 and not any(p not in section.hosts for p in section.people):
            section.people = children[0] + section.people
    return speakers.front_matter_people(front) or _note_speaker(sections, front)


def _only_names(value: str) -> bool:
    """A label's value that is names and nothing else: "张三", "Jane Roe (Org)"; not "Title - Name"."""
    if len(value) > 60 or re.search(r"\s[-–—]\s|[:：]", value):
        return False
    people = speakers.split_people(value)
    return bool(people) and all(speakers.is_name_shaped(name) for name, _ in people)


def _note_speaker(sections: list[Section], front: dict) -> list[tuple[str, str | None]]:
    """A note's own speaker: a first line 'Name, Org', or the one person it names as a speaker, early on."""
    if not front and sections and not sections[0].titled and sections[0].units:
        first = sections[0].units[0].text
        name = re.split(r"\s*[,，]\s*", first, maxsplit=1)
        if speakers.is_person(name[0]) and not any(s.people for s in sections):
            return [(speakers.clean_name(name[0]), name[1] if len(name) > 1 else None)]
    speaking = [(s, p) for s in sections for p in s.people if p not in s.hosts]
    if len({name for _, (name, _) in speaking}) != 1:
        return []
    where = speaking[0][0]
    about_the_note = not where.titled or bool(_ABOUT_HEADING.match(where.headings[-1]))
    return [speaking[0][1]] if about_the_note and where.start <= sections[0].start + EARLY_LINES else []


# A section about the note itself rather than a talk in it: its one speaker gives the whole note.
_ABOUT_HEADING = re.compile(
    r"^(?:基本信息|活动信息|讲座信息|会议信息|信息|简介|介绍|概况|概要|摘要|导读|info|information|details|about|overview"
    r"|summary|event details?)[:：]?$",
    re.IGNORECASE,
)


_SPEAKER_HEADING = re.compile(
    r"^(?:分享嘉宾|嘉宾介绍|讲者介绍|讲者信息|演讲者信息|演讲者介绍|讲师介绍|主讲人介绍|关于讲者|讲者|演讲者|讲师"
    r"|about the speakers?|speakers?|speaker bio|the speakers?)$",
    re.IGNORECASE,
)


def _name_under_heading(
    section: Section, lines: list[str], explicit_only: bool = False
) -> list[tuple[str, str | None]]:
    """A speaker on a line of its own right under a talk's heading: '—Name Org', or a bullet that is a name.
    Inside a talk only an explicit line ("by Name", "由…主讲") names a sub-section's own speaker."""
    if explicit_only:
        return name_lines.from_opening_line(section.units[0].text, explicit_only=True) if section.units else []
    for unit in section.units[:6]:
        source = lines[unit.start - 1].lstrip() if unit.start <= len(lines) else ""
        above = next((lines[i].lstrip() for i in range(unit.start - 2, section.start - 1, -1) if lines[i].strip()), "")
        if above.startswith(">"):
            continue  # "—Author" closing a quotation is a credit, not the talk's speaker
        if source[:1] in "—–":
            found = speakers.from_dash_line(unit.text)
            if found:
                return found
        if labels.LIST_MARKER.match(source) and speakers.is_person(unit.text):
            return [(speakers.clean_name(unit.text), None)]
        if unit is section.units[0] and not source.startswith((">", "|")):
            found = name_lines.from_opening_line(unit.text)
            if found:
                return found
    return []


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
    if key == "host":
        found, hosts = [], found + hosts
    section.hosts.extend(p for p in hosts if speakers.is_name_shaped(p[0]))
    if found:
        section.people.extend(p for p in found if p not in section.people)
        add_talk(section, line_no, found)


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


def add_talk(section: Section, line_no: int, people: list[tuple[str, str | None]]) -> None:
    """A speaker line after text starts the section's next talk; one right after another adds a co-speaker."""
    if section.talks and not any(u.start > section.talks[-1][0] for u in section.units):
        section.talks[-1][1].extend(p for p in people if p not in section.talks[-1][1])
    else:
        section.talks.append((line_no, list(people)))


def in_talk(chunk: Chunk, section: Section, line: int) -> Chunk:
    """A chunk of a section holding several talks: its speaker is the one of the talk it is part of."""
    people = next((people for start, people in reversed(section.talks) if start <= line), section.talks[0][1])
    names = tuple(dict.fromkeys([*(name for name, _ in people), *(name for name, _ in section.hosts)]))
    return replace(chunk, speaker=people[0][0], affiliation=people[0][1], people=names)
