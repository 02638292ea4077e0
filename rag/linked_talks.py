"""A list item opening on a link to a talk named for its speaker ("- [Jane Roe: Title](url) what I thought"), as
notes that list talks to watch write them. Pure."""

from __future__ import annotations

import re
from functools import lru_cache

from . import heading_names, labels, speakers
from .markup import clean
from .text import is_chinese

People = list[tuple[str, str | None]]

_OPENING_LINK = re.compile(r"^\[([^\]]{4,120})\]\([^)\s]+\)")
_NAME_THEN_TITLE = re.compile(r"^(?P<who>[^:：\-–—]{3,40}?)\s*(?:[:：]|\s[-–—]\s)\s*\S")
LINKED_TALKS = 3  # a note that lists talks to watch ("- [Jane Roe: Title](url) …") lists a few of them


def linked_talk(source: str, shaped: bool = False) -> People:
    """The speaker of a list item opening on a link to a talk named "Jane Roe: Title" (what the author thought
    of it may follow the link); `shaped`: a name shaped like one is enough ("John Maeda: Title")."""
    if not (linked := opens_on_link(source)):
        return []
    text = clean(linked.group(1))
    found = heading_names.from_programme_line(text, by=False)
    who = match.group("who") if (match := _NAME_THEN_TITLE.match(text)) else ""
    return found or ([(who, None)] if shaped and speakers.first_name_first(who) else [])


def opens_on_link(source: str) -> re.Match | None:
    return _OPENING_LINK.match(labels.LIST_MARKER.sub("", source.strip())) if labels.LIST_MARKER.match(source) else None


def lists_linked_talks(lines: list[str]) -> bool:
    """Whether the note lists talks to watch: a few items opening on a link to "Jane Roe: Title". Asked once per
    run of linked items, so read once per note."""
    return _lists_linked_talks(tuple(lines))


@lru_cache(maxsize=8)
def _lists_linked_talks(lines: tuple[str, ...]) -> bool:
    clear = (people for line in lines if (people := linked_talk(line)))
    return sum(1 for people in clear if all(clear_name(name) for name, _ in people)) >= LINKED_TALKS


def clear_name(name: str) -> bool:
    return speakers.is_chinese_name(name) if is_chinese(name) else speakers.is_clear_person(name)
