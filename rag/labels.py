"""Label lines of a note: `【讲者】Name`, `Speaker: Name`, `演讲人是来自百度的雷志兴`, `Time: …`. Pure.

A label needs brackets, a colon, or (in Chinese) 是/为 followed by a name, so that prose such as "speaker
notes are …" or "讲者为大家介绍了…" is not mistaken for one. Authors misspell labels ("Prsenter:"); a
Latin label one letter away from a known one still counts.
"""

from __future__ import annotations

import re

from . import speakers
from .name_forms import two_scripts
from .prose_names import chinese_or_latin
from .text import CJK, is_chinese, simplified

LABELS = {
    "speaker": r"讲者|演讲者|演讲人|主讲人|报告人|主讲|讲师|分享讲师|分享人|分享者|分享嘉宾|演讲嘉宾|主讲嘉宾|特邀嘉宾"
    r"|讲座嘉宾|嘉宾|特邀讲者|发表者|发表人"
    r"|第.位演讲者|speakers?|presenters?|presented by|lecturers?|keynote speaker|invited talk by"
    r"|panelists?|guests?",  # a podcast episode's "**Guest:** Jane Roe"
    # "Keynote: Jane Roe" names a speaker, "Keynote: A Guide to Puma" a talk: only a name makes it a label.
    "talk": r"keynote|invited talk|特邀报告",
    "host": r"主持人|主持|moderators?|hosts?|chairs?",
    "author": r"authors?",  # a paper's authors present it, inside a section; never the note's own author
    "time": r"时间|time",
    "topic": r"题目|报告题目|title|topic",
}
_ALTERNATION = "|".join(f"(?P<{name}>{pattern})" for name, pattern in LABELS.items())
_LABEL_LINE = re.compile(
    rf"^(?:[\[【［〔]\s*(?:{_ALTERNATION})\s*[\]】］〕]\s*[:：]?|(?:{_ALTERNATION.replace('?P<', '?P<c_')})"
    r"(?:\s*\d{1,2})?\s*[:：])"  # "Speaker 2: Jane Roe", "Topic 2: …": one of several talks
    r"\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# "演讲人是来自百度的雷志兴", "主讲人为张三": only when a name follows (checked by the caller).
ORDINAL_TALK = r"第[一二三四五六七八九十\d]{1,3}个?(?:话题|议题|场)"  # one talk of several: "第三个话题"
_CHINESE_IS = re.compile(
    rf"^(?:{ORDINAL_TALK}的\s*)?"  # "第三个话题的 Speaker 是…工程师申贤强"
    r"(?P<key>演讲人|演讲者|讲者|主讲人|主讲|报告人|讲师|分享人|分享嘉宾|speaker)\s*[是为]\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_CHINESE_IS_START = re.compile(r"^\s*(?:[-*+]\s+)?(?:演[讲講][人者]|[讲講]者|主[讲講]|[报報]告人|[讲講][师師]|分享)")
# "**Speaker** - Jane Roe", "Topic - Caching at scale": a label before a dash, where a line has no colon.
_DASH_LABEL = re.compile(
    rf"^(?:{_ALTERNATION.replace('?P<', '?P<d_')})\s+[-–—]{{1,2}}\s+(?P<value>\S.*)$", re.IGNORECASE
)
_LATIN_KEY = re.compile(r"^(?P<key>[A-Za-z]{6,12})\s*:\s*(?P<value>\S.*)$")
# Latin label words a misspelling is compared with (one letter added, dropped or changed).
_LATIN_LABELS = {
    "speaker": "speaker speakers presenter presenters lecturer lecturers panelist panelists",
    "host": "moderator moderators",
}
# What a label may name someone by: one capitalised word, a handle, two or three Chinese characters.
_ONE_WORD_NAME = re.compile(rf"[A-Z][A-Za-z’'.\-]{{1,20}}|[a-z][a-z0-9_.\-]{{2,20}}|[{CJK}]{{2,3}}")
_QUOTED_SENTENCE = re.compile(r"^[「『“\"‘'][^」』”\"’']*(?:[。！？!?，,]|[^」』”\"’']{13})")
_LINE_BREAK = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)
# HackMD's author tag on a line of its own: "> [name=發表者 isabel, chihao]", "- [name=Wei]".
SPEAKER_WORD = re.compile(rf"^(?:{LABELS['speaker']})\s*[:：]?\s*", re.IGNORECASE)
_NAME_TAG = re.compile(r"^(?:>\s*)*\[name=(?P<value>[^\]\n]{1,80})\]$")
# A speaker label's value that names no one: "Speaker : Too many" over the talks' own labels.
_NO_ONE = re.compile(
    r"^(?:\d+|too many|many|several|various|multiple|tb[ad]|n/?a|none|see below|待定|多位|若干)\b", re.I
)
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")  # "- ", "* ", "1. " opening a list item


def sentence_label(sentence: str) -> str | None:
    """The names of a prose sentence that is a `是/为` label ("…开展的。主讲人是北京交通大学教授，华国伟。"),
    else None: a label inside a paragraph, not on a line of its own."""
    match = _CHINESE_IS.match(sentence.strip())
    if not match:
        return None
    value = match.group("value").rstrip("。.！!")
    found = speakers.split_people(value)
    return value if found and all(speakers.is_name_shaped(n) for n, _ in found) else None


def may_be_label(line: str) -> bool:
    """A quick test for lines with no markup or colon: could it be a `演讲人是…` label?"""
    return bool(_CHINESE_IS_START.match(line))


def label(line: str, clean) -> tuple[str, str] | None:
    """('speaker'|'host'|'author'|'time'|'topic', value) of a label line such as 【讲者】**Name**(Org) or
    - **Speaker:** Name; None for any other line. `clean` turns the value's inline markup into text."""
    line = LIST_MARKER.sub("", _LINE_BREAK.sub("", line.strip())).replace("**", "").replace("__", "").strip(" *_")
    if tag := _NAME_TAG.match(line):
        value, plain = tag.group("value").strip(), simplified(tag.group("value").strip())
        word = SPEAKER_WORD.match(plain)  # "[name=發表者 isabel]": the tag may open with the label
        return "speaker", value[word.end() :] if word and len(plain) == len(value) else value
    # Labels in traditional script ("講者：", "主講人："): matched as simplified, the value read as written.
    plain = simplified(line) if is_chinese(line) else line
    original, line = line, plain if len(plain) == len(line) else line
    match = _LABEL_LINE.match(line)
    if match:
        key = _matched_key(match, "c_")
        value = clean(original[match.start("value") :])
        if key == "talk":
            people = speakers.split_people(value)
            named = people and all(speakers.is_name_shaped(n) for n, _ in people)
            return ("speaker", value) if named else None
        if key in ("speaker", "host") and (_QUOTED_SENTENCE.match(value) or _NO_ONE.match(value)):
            return None  # "講者：「我覺得…」": what the speaker said, in a recap (not "「用家」app, Name"); "Too many"
        if key in ("speaker", "host") and value.endswith((":", "：")):
            return key, ""  # "**Presenters:** Rails core members:": the names follow on the next lines
        return key, value  # "" when the names follow on the next lines ("Speakers:")
    match = _DASH_LABEL.match(line)
    if match:
        key = _matched_key(match, "d_")
        value = clean(original[match.start("value") :])
        names = key in ("speaker", "talk", "host")  # only a name makes "Speakers - what makes one good" a label
        if key == "topic" or (
            names and all(_capitalised_name(n) for n, _ in speakers.split_people(value) or [("", None)])
        ):
            return ("speaker" if key == "talk" else key), value
    match = _CHINESE_IS.match(line)
    if match:
        value = clean(original[match.start("value") :])
        found = speakers.split_people(value)
        if found and all(speakers.is_name_shaped(n) and not two_scripts(n) for n, _ in found):
            return "speaker", value
        last = chinese_or_latin(value)  # "Kubernetes Maintainer 马达", "…资深工程师申贤强": a role before the name
        return ("speaker", last) if last and value.endswith(last) and is_chinese(last) else None
    match = _LATIN_KEY.match(line)
    if match:
        misspelt = _misspelt_label(match.group("key").lower())
        value = clean(original[match.start("value") :])
        if misspelt and value and any(_capitalised_name(n) for n, _ in speakers.split_people(value)):
            return misspelt, value
    return None


def _matched_key(match: re.Match, prefix: str) -> str:
    """The label a line's match found (its named group, without the alternation's prefix)."""
    return next(k.removeprefix(prefix) for k, v in match.groupdict().items() if v and k != "value")


def only_names(value: str) -> bool:
    """A label's value that is names and nothing else: "张三", "Jane Roe (Org)", or the one word the writer
    calls the speaker by ("Pahud", "小傑", "othree"); not "Title - Name"."""
    if len(value) > 60 or re.search(r"\s[-–—]\s|[:：]", value):
        return False
    people = speakers.split_people(value)
    if len(people) == 1 and _ONE_WORD_NAME.fullmatch(people[0][0]):
        return True
    return bool(people) and all(speakers.is_name_shaped(name) for name, _ in people)


def _capitalised_name(name: str) -> bool:
    """Two to four capitalised words (or a Chinese name): what follows a label that names someone."""
    words = name.split()
    return speakers.is_name_shaped(name) or (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words))


def _misspelt_label(word: str) -> str | None:
    """The label a word misspells by one letter ("prsenter" → speaker), or None."""
    for key, words in _LATIN_LABELS.items():
        if any(_one_edit(word, known) for known in words.split()):
            return key
    return None


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one inserted, deleted or replaced letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]
