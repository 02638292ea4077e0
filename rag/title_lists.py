"""A list elsewhere in a note that names each talk beside its title ("- [Huli: 你懂了 JavaScript](url)" under
"## 参考文件", "- Caching at scale - Jane Roe" in an agenda): the talk headed by that very title is the named
person's. The title must match a heading word for word, so the list's other shapes name no one. Pure."""

from __future__ import annotations

import re

from .heading_names import plain_heading
from .markup import clean
from .outline import Section
from .speakers import clean_name, is_chinese_name, is_english_word, is_person
from .text import is_chinese

MIN_TITLE_CHARS = 8  # a title this long is no generic heading ("Type", "Q&A") a list item shares by chance
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\([^)]*\)")
_NAME_TITLE = re.compile(r"^(?P<who>[^:：]{2,30}?)\s*[:：]\s*(?P<title>\S.*)$")
_TITLE_NAME = re.compile(r"^(?P<title>.+?)\s+(?:[-–—|｜]{1,2}|by)\s+(?P<who>[^-–—|｜]{2,30})$")


def name_titled_talks(sections: list[Section], lines: list[str]) -> None:
    """Give each talk heading with no speaker the person a list item names beside the same title."""
    unnamed = {_key(s.headings[-1]): s for s in sections if s.titled and not s.people}
    unnamed = {key: s for key, s in unnamed.items() if len(key) >= MIN_TITLE_CHARS}
    if not unnamed:
        return
    for line in lines:
        item = _ITEM.match(line)
        if not item:
            continue
        link = _LINK.match(item.group("text"))
        text = clean(link.group("text") if link else item.group("text"))
        for pattern in (_NAME_TITLE, _TITLE_NAME):
            match = pattern.match(text)
            section = unnamed.get(_key(match.group("title"))) if match else None
            if match and section is not None and not section.people and _name_like(match.group("who")):
                section.people.append((clean_name(match.group("who")), None))
                break


def _key(title: str) -> str:
    return " ".join(plain_heading(title).lower().split()).strip(" .:：")


def _name_like(who: str) -> bool:
    """A person's name or handle: a name, or one to three words (a nickname like "Huli", "PJCHENder") that
    are no English words."""
    who = who.strip()
    if is_chinese(who):
        return is_chinese_name(who)
    words = who.split()
    plain = all(w[:1].isalpha() and not any(ch.isdigit() for ch in w) for w in words)
    return is_person(who) or (plain and 1 <= len(words) <= 3 and not any(is_english_word(w) for w in words))
