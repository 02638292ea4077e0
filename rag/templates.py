"""The talks of one note share a heading format: `Name：《Title》`, `Title | Name (9am)`, `Title - Name`,
`## Name (Org)`. Where the rules already see a person in the name slot of some headings of a format, the
name-shaped slot of the other headings of that format names their speaker too, even a name no dictionary
or tagger knows (`青禾`, `Kassandra Perch`). A format whose slot holds no person anywhere in the note
(topic headings such as `HRNet：…`, `分享一：…`) names no one. Sibling sections imply people in two more ways: a
lone first name (`## Trent`) beside headings that are names alone, and a panel part naming the note's
speakers by first name (`Sarah talks about…`). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import census_first_names
from .heading_names import plain_heading
from .heading_rules import COMMON_WORD, HEADING_PARTS
from .name_forms import two_scripts
from .outline import Section, encloses
from .speakers import clean_name, first_name_first, is_chinese_name, is_english_word, is_person
from .text import CJK, in_dictionary, is_chinese, word_frequency

_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.、．)]\s*")
# Formats a talk heading takes, each with a name slot ("who") and the talk's title (or who they are).
_FORMATS = (
    ("name《title", re.compile(r"^(?P<who>[^《》:：|｜]{1,30}?)\s*[:：]?\s*(?P<title>《[^》]+》.*)$")),
    ("name:title", re.compile(r"^(?P<who>[^:：《》]{1,30}?)\s*[:：]\s*(?P<title>\S.*)$")),
    ("title|name", re.compile(r"^(?P<title>.+?)\s+[|｜]\s+(?P<who>[^|｜]{2,40})$")),
    ("name|title", re.compile(r"^(?P<who>[^|｜]{2,40}?)\s+[|｜]\s+(?P<title>.+)$")),
    ("name(org)", re.compile(r"^(?P<who>[^()（）]{2,40}?)\s*[（(](?P<title>[^()（）]{2,60})[)）]$")),
    ("name,org", re.compile(r"^(?P<who>[^,，()（）]{2,40}?)\s*[,，]\s*(?P<title>[^,，]{2,60})$")),
    # "### 张三的分享", "### 木可的分享": whose talk the heading is.
    (
        "name的talk",
        re.compile(r"^(?P<who>[^的\s]{2,20}?)\s*的\s*(?P<title>分享|报告|報告|演讲|演講|讲座|講座|发言|發言)$"),
    ),
)
_NAME_HEADINGS = ("name(org)", "name,org")  # a heading that is who speaks: the talk is the section above
_CHINESE_NICKNAME = re.compile(rf"[{CJK}·]{{2,4}}")
# A talk's byline on the first line under its heading: "**Jane Roe, Acme**", "*Jane Roe (Acme)*", "张三 - 某公司".
_BYLINES = (
    ("byline,", re.compile(r"^(?P<who>[^,，()（）]{2,40}?)\s*[,，]\s*(?P<title>\S.{0,60})$")),
    ("byline()", re.compile(r"^(?P<who>[^()（）]{2,40}?)\s*[（(](?P<title>[^()（）]{2,60})[)）]$")),
    ("byline-", re.compile(r"^(?P<who>[^-–—]{2,40}?)\s+[-–—]{1,2}\s+(?P<title>\S.{0,60})$")),
)
_EMPHASIS = re.compile(r"^\s*([*_]{1,2})(?P<text>[^*_].*?)\1\s*$")


@dataclass(frozen=True)
class Slot:
    """One way a heading reads as a talk heading of some format: the format, the name slot, the rest."""

    format: str
    who: str
    title: str


def slots(heading: str) -> list[Slot]:
    """Every format the heading fits, with what stands in its name slot."""
    text = _NUMBERING.sub("", plain_heading(heading))
    found = [
        Slot(name, clean_name(m.group("who")), m.group("title").strip())
        for name, pattern in _FORMATS
        if (m := pattern.match(text))
    ]
    parts = [p.strip(" :：") for p in HEADING_PARTS.split(text) if p.strip(" :：")]
    if len(parts) == 2:  # "Title - Name", "Name - Title"
        found += [
            Slot("title-name", clean_name(parts[1]), parts[0]),
            Slot("name-title", clean_name(parts[0]), parts[1]),
        ]
    return [slot for slot in found if slot.who]


def byline_slots(source_line: str) -> list[Slot]:
    """The formats a talk's first line fits as a byline ("**Jane Roe, Acme**"), with its name slot."""
    emphasized = _EMPHASIS.match(source_line)
    if not emphasized or len(source_line) > 100:
        return []  # a plain line under a heading is mostly prose: only a set-off line is a byline
    text = emphasized.group("text").strip()
    return [
        Slot(name, clean_name(m.group("who")), m.group("title"))
        for name, pattern in _BYLINES
        if (m := pattern.match(text))
    ]


def name_shaped(slot: Slot) -> bool:
    """A slot that could hold a person, once the note's own headings say the format names people: a Chinese
    name or nickname, or a Latin name (a first name alone too), beside a title (or who they are)."""
    if len(slot.title) < 2:
        return False
    if is_chinese(slot.who) and not two_scripts(slot.who):
        return _nickname(slot.who) or is_chinese_name(slot.who)
    one_first_name = slot.who.istitle() and slot.who.isalpha() and slot.who.lower() in census_first_names()
    lower_case = slot.who.islower() and first_name_first(slot.who.title())  # "full stack - chris coiyer"
    return is_person(slot.who) or first_name_first(slot.who) or one_first_name or lower_case  # "Shin - Title"


def _nickname(text: str) -> bool:
    """Two to four Chinese characters that no dictionary spells, nor hold a common word: "青禾", not "结语",
    "花絮" (words) or "分享一" (分享 and a number)."""
    parts = {text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1)}
    common = any(word_frequency(part) >= COMMON_WORD for part in parts if part != text)
    return bool(_CHINESE_NICKNAME.fullmatch(text)) and not in_dictionary(text) and not common


def fill_from_siblings(sections: list[Section], lines: list[str], parents: dict[int, Section]) -> None:
    """Headings of one level (or the bylines under them) that share a format: where some of them name a person
    in its slot (found by the other rules), the name-shaped slots of the others that name no one are their
    speakers. `parents`: parents_of(sections)."""
    by_format: dict[tuple[float, str], list[tuple[Section, Slot]]] = {}
    for section in sections:
        if not section.titled:
            continue
        first_line = lines[section.units[0].start - 1] if section.units and section.units[0].start <= len(lines) else ""
        for slot in slots(section.headings[-1]) + byline_slots(first_line):
            by_format.setdefault((section.level, slot.format), []).append((section, slot))
    for members in by_format.values():
        named = [slot.who for section, slot in members if name_shaped(slot) and _names(section, slot.who)]
        # Where the note heads talks by first names ("### Dirk, on trust"), a first name no census has ("Daiany").
        by_first_name = bool(named) and all(" " not in who for who in named)
        shaped = [
            (s, slot)
            for s, slot in members
            if name_shaped(slot) or (by_first_name and _one_name(slot.who)) or _stage_name(s, slot.who)
        ]
        confirmed = [section for section, slot in shaped if _names(section, slot.who)]
        if len(members) < 2 or not confirmed or 2 * len(shaped) < len(members):
            continue
        for section, slot in shaped:
            # A sub-section of a talk is part of that talk, whatever its heading.
            if not section.people and not any(s.people for s in ancestors(section, parents)):
                who_only = slot.format in _NAME_HEADINGS or slot.format.startswith("byline")
                person = (slot.who, slot.title if who_only else None)
                section.people.append(person)
                parent = parents.get(id(section))
                alone = sum(1 for s, _ in members if parents.get(id(s)) is parent) == 1  # not one talk of several
                if slot.format in _NAME_HEADINGS and parent and parent.titled and not parent.people and alone:
                    parent.people.append(person)  # "## Name (Org)" under "# Title (9am)": the talk above


def first_names_beside_names(sections: list[Section], parents: dict[int, Section]) -> None:
    """ "## Trent" beside "## Dr. Liming Zhu" (talks headed by their speakers): a heading that is one census
    first name, no English word, or a census first name and a capitalised word ("Evan You"), names that person
    where a sibling heading is a person's name alone."""
    siblings: dict[int, list[Section]] = {}
    for section in sections:
        if section.titled and (parent := parents.get(id(section))) is not None:
            siblings.setdefault(id(parent), []).append(section)
    for group in siblings.values():
        if not any(s.people and clean_name(plain_heading(s.headings[-1])) == s.people[0][0] for s in group):
            continue
        for section in group:
            word = plain_heading(section.headings[-1])
            if not section.people and (_lone_first_name(word) or _census_first_name_opens(word)):
                section.people.append((word, None))


def first_names_of_speakers(sections: list[Section]) -> None:
    """ "### Karteek" in a panel whose other headings name "Karteek Alahari": a heading that is one word, the
    first name of exactly one person the note names in full, is theirs (a turn of the panel)."""
    full_names = _full_names_by_first_name(sections)
    for section in sections:
        word = plain_heading(section.headings[-1]) if section.titled else ""
        named = {name for name in full_names.get(word, set()) if not is_chinese(name)}
        if not section.people and _one_name(word) and len(named) == 1:
            section.people.append((next(iter(named)), None))


# "Sarah talks about…", "Stephanie also talks about…": who says what in a panel, by first name.
_FIRST_NAME_SPEAKING = re.compile(
    r"^(?P<first>[A-Z][a-z]+)\s+(?:also\s+|then\s+)?(?:talks|talked|says|said|mentions|mentioned|explains"
    r"|explained|suggests|suggested|adds|added|notes|noted|thinks|believes|argues|argued|recommends|recommended"
    r"|answers|answered|responds|responded|shares|shared|points out|pointed out)\b"
)


def first_names_speaking(sections: list[Section], parents: dict[int, Section]) -> None:
    """A panel's parts that say who says what by first name ("Sarah talks about…") where the note's talks name
    one speaker of that first name ("Sarah L. Fossheim"): that speaker speaks in the part. A part of a talk is
    left alone, and a first name two speakers share names neither."""
    speakers = _full_names_by_first_name(sections)
    if not speakers:
        return
    for section in sections:
        if section.people or any(s.people for s in ancestors(section, parents)):
            continue
        for unit in section.units:
            match = _FIRST_NAME_SPEAKING.match(unit.text)
            named = speakers.get(match.group("first"), set()) if match else set()
            if len(named) == 1 and (person := (next(iter(named)), None)) not in section.people:
                section.people.append(person)


def _full_names_by_first_name(sections: list[Section]) -> dict[str, set[str]]:
    """First name → the names of two words or more the sections' people have with it ("Sarah" → Sarah Roe)."""
    found: dict[str, set[str]] = {}
    for section in sections:
        for name, _ in section.people:
            if len(name.split()) >= 2:
                found.setdefault(name.split()[0], set()).add(name)
    return found


def _stage_name(section: Section, word: str) -> bool:
    """One name a performer goes by ("Bono - Title", "BLACK - Title") that the section's own text repeats
    ("Bono shares…"): a speaker where sibling headings of the format name people."""
    one_word = _one_name(word) or (word.isupper() and word.isalpha() and len(word) >= 3)
    said = re.compile(rf"\b{re.escape(word)}\b")
    return one_word and any(said.search(unit.text) for unit in section.units)


def _census_first_name_opens(words: str) -> bool:
    """ "Evan You" beside "Jeremy Keith": a census first name, then one or two capitalised words."""
    parts = words.split()
    capitalised = all(part.isalpha() and part.istitle() for part in parts)
    return 2 <= len(parts) <= 3 and capitalised and parts[0].lower() in census_first_names()


def _lone_first_name(word: str) -> bool:
    return _one_name(word) and word.lower() in census_first_names()


def _names(section: Section, who: str) -> bool:
    """Whether the section's people (found by the other rules) include the person in the slot, maybe by the
    first name ("Dirk" of Dirk Lehmann)."""
    return any(
        name == who or (len(who) >= 2 and is_chinese(who) and who in name) or name.split()[0] == who
        for name, _ in section.people
        if name
    )


def _one_name(word: str) -> bool:
    return word.isalpha() and word.istitle() and not is_english_word(word.lower())


def parents_of(sections: list[Section]) -> dict[int, Section]:
    """Each section's enclosing section, by id."""
    parents: dict[int, Section] = {}
    stack: list[Section] = []
    for section in sections:
        while stack and not encloses(stack[-1], section):
            stack.pop()
        if stack:
            parents[id(section)] = stack[-1]
        stack.append(section)
    return parents


def ancestors(section: Section, parents: dict[int, Section]) -> list[Section]:
    found: list[Section] = []
    parent = parents.get(id(section))
    while parent is not None:
        found.append(parent)
        parent = parents.get(id(parent))
    return found
