"""A conversation written as turns: paragraphs opening on who speaks (`**Ken**：…`, `Lex: …`, `**张一鸣**：…`), as
interview, panel and podcast transcripts are. Each turn is a talk of its speaker, named as the note names them
in full where it does ("Ken" → the "Ken Tanaka" of the introduction). Pure."""

from __future__ import annotations

import re
from collections import Counter

from .glossary import census_first_names
from .labels import SPEAKER_WORD, label
from .markup import clean
from .outline import Section
from .prose_names import is_common
from .speakers import is_chinese_name, is_clear_person
from .talk_runs import People, set_talks
from .text import CJK, simplified

# "**Ken**：…", "__Lex:__ …", "- Ann: …", "张一鸣：…": a short name, a colon, then what they said.
_TURN = re.compile(
    rf"^\s*(?:[-*+]\s+)?(?P<mark>\*\*|__)?(?P<who>[A-Z][\w’'.\-]*(?: [A-Z][\w’'.\-]*){{0,2}}|[{CJK}·]{{2,4}})"
    r"(?P=mark)?\s*[:：]\s*(?:(?P=mark)\s*)?\S"
)
_NOT_SPEAKERS = frozenset("Q A Note Update Tip Summary Answer Question Host Guest 问 答 提问 回答 主持 嘉宾".split())
MIN_TURNS = 2  # each of two people speaking at least twice makes a conversation, not a list of labels


def dialogue(lines: list[str]) -> dict[int, str]:
    """The turns of a note, line number → who speaks, named in full where the note does: the lines opening on a
    name that opens two or more paragraphs, when two or more such names do; {} for no conversation."""
    turns = {line_no: who for line_no in range(1, len(lines) + 1) if (who := _turn_at(lines, line_no))}
    counts = Counter(turns.values())
    text = "\n".join(lines)
    full = {who: _full_name(who, text) for who, n in counts.items() if n >= MIN_TURNS}
    # One Latin word is a first name of the census ("Ken") or the note names its owner in full ("Kiran …").
    speaking = {
        who: name
        for who, name in full.items()
        if " " in who or not who.isascii() or name != who or who.lower() in census_first_names()
    }
    return {line_no: speaking[who] for line_no, who in turns.items() if who in speaking} if len(speaking) >= 2 else {}


def in_turns(section: Section, turns: dict[int, str]) -> None:
    """The section's turns (`turns` from dialogue()), each a talk of its speaker; the text before the first (a
    question) is no one's."""
    starts: list[tuple[int, People]] = [
        (line_no, [(name, None)]) for line_no, name in turns.items() if section.start <= line_no <= section.end
    ]
    if starts:
        set_talks(section, starts)


def _turn_at(lines: list[str], line_no: int) -> str | None:
    """The name a paragraph opens its turn with, or None."""
    if line_no > 1 and lines[line_no - 2].strip():
        return None
    match = _TURN.match(lines[line_no - 1])
    if not match or match.group("who") in _NOT_SPEAKERS or label(clean(lines[line_no - 1]).strip(), str):
        return None  # "Presenter: Jane Roe", "主讲人：张三": a label, not a turn
    who = match.group("who")
    if re.fullmatch(f"[{CJK}·]+", who):  # a Chinese name, surname first: not "个人介绍：…", "演讲概要：…"
        plain = simplified(who)
        return who if is_chinese_name(plain) and not is_common(plain) and not SPEAKER_WORD.fullmatch(plain) else None
    return who


def _full_name(who: str, text: str) -> str:
    """ "Ken" → "Ken Tanaka" when the note names one clear person with that first name; else the name."""
    if " " in who or not who.isascii():
        return who
    found = {m.group() for m in re.finditer(rf"\b{re.escape(who)}(?:\s+[A-Z][\w’'\-]+){{1,2}}", text)}
    full = {name for name in found if is_clear_person(name)}
    return full.pop() if len(full) == 1 else who
