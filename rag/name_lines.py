"""The speaker a line of text names: a talk's first line ("by Jane Roe", "Name (Org)", "李四，工程师…",
"由张三主讲", "大家好，我叫…"). Pure."""

from __future__ import annotations

import re

from .speakers import (
    NAME_PARTICLES,
    NAME_WITH_ORG,
    SURNAMES,
    clean_name,
    is_chinese_name,
    is_name_shaped,
    is_name_word,
    is_person,
    split_people,
)
from .text import CJK, is_chinese

_OPENING_BY = re.compile(r"^(?:by|presented by|speaker is|talk by)\s+(?P<who>.+)$", re.IGNORECASE)
_HOSTED_BY = re.compile(r"^由\s*(?P<who>[^，,。]{2,30}?)\s*(?:主讲|分享|带来|讲解|介绍)")
_LEADING_NAME = re.compile(r"^(?P<who>[^，,。；;:：(（]{2,40}?)\s*(?:[，,。；;]|\s[-–—]\s)")
# What follows a Latin name that opens a talk: a role ("Apache Kafka, a streaming platform" names no one).
_ROLE_WORDS = re.compile(
    r"\b(?:engineer|developer|professor|prof|researcher|scientist|founder|co-founder|ceo|cto|cfo|vp|director|lead|"
    r"manager|head|architect|student|phd|postdoc|lecturer|fellow|consultant|designer|author|maintainer|advocate|"
    r"evangelist|analyst|university|institute|lab|inc|ltd|corp)\b|工程师|教授|研究员|博士|创始人|总监|负责人|专家|架构师|经理|老师|主任|来自",
    re.IGNORECASE,
)
# "香港科技大学张连文教授的报告", "南京大学周志华老师讲述的": the title word anchors the name before it.
_TITLED_TALK = re.compile(
    rf"(?P<name>[{CJK}]{{2,30}}?)(?:教授|老师|博士|研究员|院士)(?:的报告|的演讲|的分享|的讲座|讲述|主讲|分享|报告)"
)
# "大家好，我叫张三…", "Hi, I'm Jane Roe": a speaker introducing themselves in the first line.
_SELF_INTRODUCTION = re.compile(
    rf"^(?:大家好[，,！!。]?\s*)?我(?:叫|是)(?P<name>[{CJK}]{{2,3}})(?=[，,。！!；\s]|$)"
    r"|^(?:[Hh]i|[Hh]ello)[,!]?\s+I'?m\s+(?P<latin>[A-Z]\w+(?: [A-Z]\w+){1,2}?)(?=[,.!;]|\s+(?:and|from|at)\b|$)"
)
OPENING_LINE_CHARS = 160  # a line naming the speaker is short; a paragraph is prose about the talk


def from_opening_line(line: str, labelled: bool = False, explicit_only: bool = False) -> list[tuple[str, str | None]]:
    """The speaker a talk section's first line names: "by Jane Roe", "Jane Roe (Org)", "A (Org); B (Org)",
    "李四，某公司研发工程师…", "Jane Roe - Principal Engineer, Org", "由张三主讲《…》"; [] for prose.

    `labelled`: a heading such as "演讲者信息" says the line opens with a name, so a nickname or a name
    followed by any description ("大漠。CSS专家…", "Mathias Bynens。一个喜欢…") counts. `explicit_only`: only
    "by Name", "由Name主讲" and self-introductions.
    """
    line = line.strip()
    if not line or (len(line) > OPENING_LINE_CHARS and not labelled):
        return []
    leading = _LEADING_NAME.match(line)
    if labelled and leading and _loose_name(leading.group("who")):
        return [_leading_person(leading, line)]
    for pattern in (_OPENING_BY, _HOSTED_BY):
        match = pattern.match(line)
        if match:
            people = split_people(match.group("who"))
            return people if people and all(is_name_shaped(n) for n, _ in people) else []
    match = _SELF_INTRODUCTION.match(line)
    if match and is_name_shaped(name := match.group("name") or match.group("latin")):
        return [(clean_name(name), None)]
    if explicit_only:
        return []
    match = _TITLED_TALK.search(line)
    if match:
        candidates = (match.group("name")[-3:], match.group("name")[-2:])
        name = next((n for n in candidates if is_chinese_name(n)), None)
        name = name or next((n for n in candidates if n[0] in SURNAMES), None)
        if name:
            return [(name, match.group("name")[: -len(name)] or None)]
    parts = [NAME_WITH_ORG.match(part) for part in re.split(r"\s*[;；]\s*", line)]
    if all(parts) and all(is_person(part.group("name")) for part in parts if part):
        return [(clean_name(p.group("name")), p.group("org") or None) for p in parts if p]  # "Name (Org); …"
    if leading and is_person(who := leading.group("who")):
        handle = line[leading.end() :].lstrip().startswith("@")
        if is_chinese(who) or handle or _ROLE_WORDS.search(line):
            return [_leading_person(leading, line)]
    return []


def _leading_person(leading: re.Match, line: str) -> tuple[str, str | None]:
    """(name, affiliation) of a line that opens with a name: the affiliation is the first clause after it."""
    affiliation = re.split(r"[，。；]", line[leading.end() :].strip(), maxsplit=1)[0]
    return clean_name(leading.group("who")), affiliation or None


def _loose_name(text: str) -> bool:
    """Where a label says a name stands: two to four Chinese characters, or one to four capitalised words."""
    name = clean_name(text)
    if re.fullmatch(rf"[{CJK}·]{{2,4}}", name):
        return True
    words = name.split()
    return 1 <= len(words) <= 4 and all(is_name_word(w) or w.lower() in NAME_PARTICLES for w in words)
