"""Sections whose list items are notes on talks, each item opening on one: "- **Title** Jane Roe showed…",
"- [Title](url) Jane Roe is a great speaker…", "- Benedikt gave a talk on…", "- [Jane Roe](url) then spoke
about…". Pure; rag.talk_runs has the other runs of talks in a section.
"""

from __future__ import annotations

import re

from . import prose_speakers, speakers
from .glossary import census_first_names, is_english_word
from .markup import clean
from .outline import Section
from .prose_names import LATIN_NAME
from .talk_runs import People, set_talks
from .text import STOPWORDS

# A list item opening with a talk: its title in bold or as a link, or a talk word ("* **Unsafe Defaults** Jane Roe
# made some great points…", "3. [Designing a team](url) Jane Roe is a great speaker…", "7. Keynote by Jane Roe").
_TALK_ITEM = re.compile(
    r"^(?:[-*+]|\d{1,2}[.)])\s+(?:(\*\*|__)(?P<bold>[^*_\n]{3,120})\1|\[(?P<link>[^\[\]\n]{3,120})\]\([^()\s]*\)"
    r"|(?P<word>(?:opening |closing )?(?:keynote|talk|tutorial|workshop|lightning talks?)\b))\s*[:：\-–—!]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BY_NAME = re.compile(rf"\bby\s+(?P<name>{LATIN_NAME})\s*(?:[-–—:(]|$)")
_ITEM_TITLE_CHARS = 100
_ITEM_SUBJECT = re.compile(rf"^(?P<name>{LATIN_NAME})(?:['’]s\b|,|\s+[a-z])")


def in_talk_items(section: Section, lines: list[str]) -> None:
    """Top-level list items that each open with a talk, the writer's notes on it after: each item is a talk, of
    the clear name its notes open with or its text says gives it (or of no one named), when two or more items
    name someone."""
    starts: list[tuple[int, People]] = []
    for line_no in range(max(section.start, 1), min(section.end, len(lines)) + 1):
        item = _TALK_ITEM.match(lines[line_no - 1])
        if item:
            # An item that is only a title and its byline is one of a list of talks to watch, not notes on it.
            noted = len(re.sub(rf"\bby\s+{LATIN_NAME}", "", clean(item.group("rest"))).split()) >= 4
            starts.append((line_no, _item_speaker(item) if noted else []))
    named = sum(1 for _, people in starts if people)
    # Two named talks make a run; so does one among three or more items that are each a talk with notes.
    if named >= 2 or (named and len(starts) >= 3):
        set_talks(section, starts)


# "- Saw a talk by Adam on…", "- Benedikt gave a talk on…", "- I LOVED John's talk on…": notes that name the
# speaker by a first name, in a construction that says they gave the talk.
_FIRST_NAME_TALK = re.compile(
    r"^[-*+]\s+(?:.{0,40}?\b(?:a |the )?[Tt]alk by (?P<by>[A-Z][a-z]{2,15})\b"
    r"|(?P<gave>[A-Z][a-z]{2,15}) (?:gave|gives) (?:a|the|his|her|their) (?:talk|keynote|lecture|presentation)\b"
    r"|.{0,40}?\b(?P<own>[A-Z][a-z]{2,15})['’]s (?:talk|keynote|lecture|presentation)\b)(?P<rest>.*)$"
)


def in_first_name_items(section: Section, lines: list[str]) -> None:
    """Top-level list items of notes, two or more of which open on a talk by someone named by a first name
    ("Benedikt gave a talk on…"): each of those starts that person's talk; the items after it are its notes."""
    starts: list[tuple[int, People]] = []
    for line_no in range(max(section.start, 1), min(section.end, len(lines)) + 1):
        item = _FIRST_NAME_TALK.match(lines[line_no - 1])
        if not item or len(item.group("rest").split()) < 4:
            continue  # "- Talk by Adam" alone: one of a list of talks to watch
        name = next(n for n in item.group("by", "gave", "own") if n)
        if _first_name(name):
            starts.append((line_no, [(name, None)]))
    if len(starts) >= 2:
        set_talks(section, starts)


# A first sentence saying someone gave a talk: "[Jane Roe](url) then spoke about…", "The final talk was by…".
_GIVING_A_TALK = re.compile(
    r"\b(?:talk|talks|talked|talking|keynote|presentation|presented|lecture|spoke|speaks|gave|discussed|discussing"
    r"|described|explained|showed|demoed|shared|introduced|reminding)\b",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,2}[.)])\s+(?P<text>\S.*)$")


def in_narrated_items(section: Section, lines: list[str]) -> None:
    """A day told as top-level list items, one session each ("- [Jane Roe](url) gave the opening talk…", "- I
    spoke next…", "- [John Doe](url) then spoke about…"): each item opening on a person giving a talk starts
    theirs, and any other item a part of no one's, when two or more name someone and most do; a paragraph
    after the list is no one's."""
    span = range(max(section.start, 1), min(section.end, len(lines)) + 1)
    items = {line_no: item for line_no in span if (item := _ITEM.match(lines[line_no - 1]))}
    top = min((len(item.group("indent")) for item in items.values()), default=0)
    starts: list[tuple[int, People]] = []
    paragraphs: list[int] = []  # the text after the list, where it goes on
    for line_no in span:
        line = lines[line_no - 1]
        if (item := items.get(line_no)) and len(item.group("indent")) == top:
            given = _GIVING_A_TALK.search(clean(prose_speakers.first_sentence(item.group("text"))))
            starts.append((line_no, prose_speakers.presenter_opening(item.group("text")) if given else []))
        elif starts and line.strip() and not lines[line_no - 2].strip() and len(line) - len(line.lstrip()) <= top:
            paragraphs.append(line_no)
    first = next((n for n, (_, people) in enumerate(starts) if people), 0)
    starts = starts[first:]  # the items before the first talk introduce the day
    named = sum(1 for _, people in starts if people)
    if named >= 2 and 2 * named > len(starts):
        set_talks(section, sorted(starts + [(line_no, []) for line_no in paragraphs if line_no > starts[0][0]]))


def _first_name(word: str) -> bool:
    """One word that names a person: a census first name, or no English word ("Benedikt", not "Then")."""
    lower = word.lower()
    return lower in census_first_names() or not (is_english_word(lower) or lower in STOPWORDS)


def _item_speaker(item: re.Match) -> People:
    """ "Jane Roe made…" or "Jane Roe's keynote…" opening the notes after the title, else who the title or the
    notes say gives the talk ("[Keynote by Jane Roe](url)", "…by Jane Roe, who gave a talk…")."""
    rest = clean(item.group("rest"))
    subject = _ITEM_SUBJECT.match(rest)
    name = re.sub(r"['’]s$", "", subject.group("name")) if subject else ""
    if name and speakers.is_clear_person(name):
        return [(name, None)]
    title = clean(item.group("bold") or item.group("link") or "")
    text = f"{item.group('word') or ''} {rest}".strip()
    by = _BY_NAME.search(text[:_ITEM_TITLE_CHARS])  # "Keynote- Unlearning by Jane Roe - basically, …"
    if by and speakers.is_clear_person(by.group("name")):
        return [(by.group("name"), None)]
    return (title and prose_speakers.speaker_in_sentence(title)) or prose_speakers.speaker_in_sentence(text) or []
