"""The people a heading (or a note's title) names as giving the talk: "Title —— Name（Org）", "Title - Name -
★★", '"Title" by Name', "Name：Title", "Title (Name, Org)", "Name of Org". Pure: strings in, names out.

Each shape is one small rule (rag.heading_rules), tried in order; a rule's name must still look like a
person's (speakers.py), so headings such as `HRNet：…`, `模型压缩` or `Getting Started: Installing Python` name
nobody. Here: the entry points (a heading, a note's title, a bold run opening a paragraph, a programme line).
"""

from __future__ import annotations

import re

from .handles import camel_case_handle, from_profile_heading, handle_closing, name_spelled_by_handle
from .heading_rules import (
    COMMON_WORD,
    HEADING_PARTS,
    RULES,
    Found,
    People,
    name_after_by,
    name_after_comma,
    name_after_dash,
    name_colon_title,
    title_name_org,
    unlisted_chinese_name,
)
from .markup import clean
from .name_lines import ROLE_WORDS, people_in
from .speakers import (
    DECORATION,
    clean_name,
    is_chinese_name,
    is_chinese_name_shape,
    is_clear_person,
    is_person,
    split_people,
)
from .text import CJK, is_chinese, word_frequency

_HANDLE = re.compile(r"(?<!\w)@\w+|https?://\S+")  # "Jane Roe @jroe", a link to a profile
# "Luca Bezerra - luca@example.com - Vinta": an e-mail address, and the separator it leaves doubled.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOUBLED_SEPARATOR = re.compile(r"(\s[-–—|,])(?:\s*[-–—|,])+")
# "Alizishaan Khatri @Kony Machine Learning Engineer", "Nathan Cheever @AdvancedMD": "@" for "at" an organisation
# (capitalised or of several words; "@jroe" alone is a handle).
_NAME_AT_ORG = re.compile(r"^(?P<who>[^@,，()（）]{4,40}?)\s+@(?P<org>[A-Z]\S*(?:\s+\S+)*|\S+(?:\s+\S+)+)$")
# Capitalised words right before a handle: "… by Ken Wheeler @ken_wheeler", "Jane Roe (@jroe)".
_EMPTY_BRACKETS = re.compile(r"[(（\[]\s*[)）\]]")  # what a removed handle leaves: "Jane Roe (@jroe)"
_BARE_BRACKETS = re.compile(r"\[([^\]]{2,60})\](?!\()")  # "[Paul Rogers]": a link whose URL was lost
_BRACKETED = re.compile(r"^\s*\[[^\]]{1,30}\]\s*")
# "Talk 1: Dan Kohn - Title", "Session 3 - Jane Roe": a programme's numbering before the heading's shape.
_NUMBERED_SLOT = re.compile(
    r"^(?:talk|session|keynote|lecture|presentation|part)\s*#?\d{1,2}\s*[:：.\-–—]\s*", re.IGNORECASE
)
# A note's title names its speaker after its last separator: "视频理解-CUHK邵典", "Scaling Postgres | Jane Roe".
_SCRIPT_CHANGE = re.compile(rf"(?<=[A-Za-z])(?=[{CJK}])|(?<=[{CJK}])(?=[A-Za-z])")
_BOOK_TITLES = re.compile(r"《([^》]{4,})》")
_TITLE_PARTS = re.compile(r"\s+[|｜]\s+")
_CONVERSATION_WITH = re.compile(
    rf"(?:对话|對話|专访|專訪|对谈|對談|访谈|訪談)\s*(?P<who>[{CJK}]{{2,4}}?|[A-Z][a-z]+(?:\s[A-Z][a-z]+){{1,2}})"
    r"(?=\s*(?:[:：|｜,，。—–\-]|$))"
)
_TITLE_TAIL = re.compile(r"^(?P<title>.+?)\s*(?:[-–—|｜_]+|\s[:：])\s*(?P<who>[^-–—|｜_]{2,40})$")
# "(9am)", "(~2:10pm)", "(10:35am)": a schedule's time closing a heading says nothing about who speaks.
_ITEM_NUMBER = re.compile(r"^\d{1,2}[.、]\s+(?=\D)")  # "1. 胡志强：《Title》"; not "3.1 MobileNeXt"
_LEADING_TIME = re.compile(r"^\d{1,2}[:：.]\d{2}\s*[,，\-–—|]\s*(?=\S)")  # "10:00, Title, Name"
_SLOT_NAME = re.compile(r"^(?P<title>.{4,}?)\s*[,，]\s*(?P<who>[^,，]{3,40})$")
_TIME_RANGE = re.compile(r"^\d{1,2}[:：.]\d{2}\s*[-–~至到]\s*\d{1,2}[:：.]\d{2} +(?=\S)")  # "9:20-10:01 《Title》-Name"
_TRAILING_TIME = re.compile(r"\s*[(（]\s*~?\d{1,2}(?:[:：.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*[)）]\s*$", re.IGNORECASE)
# A bold run opening a paragraph or a list item: "**张三（某大学）：Title**。介绍了…", "1. **张三(某公司) Title**".
_BY_AFTER_BOLD = re.compile(r"\s*,?\s*(?:presented )?by\s+\S", re.IGNORECASE)
_BOLD_NAME_COLON = re.compile(r"^\s*(?:(?:[-*+]|\d{1,2}[.)])\s+)?(\*\*|__)(?P<who>[^*_\n]{2,120}?)\1\s*[:：]\s*\S")
_BOLD_RUN = re.compile(r"^\s*(?:(?:[-*+]|\d{1,2}[.)])\s+)?(\*\*|__)(?P<run>[^*_\n]{4,200}?)\1")


def _undecorated(heading: str) -> str:
    """A heading without decoration, a leading "[tag]", time ("10:00, Title, Name", "9:20-10:01 Title"), number
    ("1. ") or "Talk 1:", and a closing time."""
    plain = _DOUBLED_SEPARATOR.sub(r"\1", _EMAIL.sub("", heading))
    plain = _LEADING_TIME.sub("", _TIME_RANGE.sub("", _BRACKETED.sub("", DECORATION.sub("", plain))))
    plain = _NUMBERED_SLOT.sub("", _ITEM_NUMBER.sub("", plain))
    return _TRAILING_TIME.sub("", plain).strip(" :：")


def plain_heading(heading: str) -> str:
    """A heading without decoration, a leading "[tag]", a closing time, handles and profile links."""
    plain = _undecorated(heading)
    return " ".join(_EMPTY_BRACKETS.sub("", _BARE_BRACKETS.sub(r"\1", _HANDLE.sub("", plain))).split())


# "Episode with Jane Roe", "Fireside chat with Jane Roe (Acme)", "Interview with Jane Roe: Title": the guest.
_WITH_GUEST = re.compile(
    r"^(?P<title>(?:.{0,40}\b)?(?:episode|interview|conversation|chat|fireside chat|podcast|q\s?&\s?a|ama))\s+with\s+"
    r"(?P<who>[^:：,，()（）|｜]{3,40}?)\s*(?:[(（](?P<org>[^()（）]{2,40})[)）])?\s*(?:[:：|｜-]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


def guest_of(text: str) -> Found | None:
    """The guest an episode's or an interview's heading names ("Episode with Jane Roe")."""
    match = _WITH_GUEST.match(text)
    people = split_people(match.group("who")) if match else []
    if match and people and all(is_clear_person(name) for name, _ in people):
        return [(clean_name(name), match.group("org")) for name, _ in people], match.group("rest") or match.group(
            "title"
        )
    return None


def from_heading(heading: str, in_talk: bool = False) -> Found | None:
    """People a heading names as giving the talk, and the talk title left; None when it names no one. `in_talk`:
    the heading is a sub-section of someone's talk, where "Title, Name" is a book or paper they cite."""
    plain, text = _undecorated(heading), plain_heading(heading)
    # "# 沙龙" (salon): a common word jieba also tags as a name is no speaker's heading.
    common_word = is_chinese(text) and word_frequency(text) >= COMMON_WORD
    only_a_name = is_person(text) and (text != plain or is_clear_person(text)) and not common_word
    at_org = _NAME_AT_ORG.match(plain)
    if at_org and is_person(at_org.group("who")):
        return [(clean_name(at_org.group("who")), at_org.group("org"))], ""
    if only_a_name or unlisted_chinese_name(text):
        return [(clean_name(text), None)], ""  # "Jane Roe @jroe", "## 于航": the speaker; the title is below
    for rule in (guest_of, *RULES):
        found = None if in_talk and rule is name_after_comma else rule(text)
        if found:
            return found
    # "10:00, Title, Bence Arato": a programme's slot names its speaker last.
    slot = _SLOT_NAME.match(text) if _LEADING_TIME.match(DECORATION.sub("", heading)) else None
    if slot and is_person(slot.group("who")):
        return [(clean_name(slot.group("who")), None)], slot.group("title")
    profile = from_profile_heading(plain)  # "## https://twitter.com/jroe": the title is below
    found = name_spelled_by_handle(plain, text) or handle_closing(plain) or camel_case_handle(plain)
    return ((profile, "") if profile else None) or found


def opens_in_bold(source_line: str) -> bool:
    """A paragraph or list item whose text opens with a bold run."""
    return bool(_BOLD_RUN.match(source_line))


def from_bold_opening(source_line: str) -> People:
    """The speaker of a paragraph or list item that opens with a bold talk heading ("**张三（某大学）：Title**。…",
    "1. **张三(某公司) [Title](url)**", "**Title**, by Jane Roe (Acme)"): the bold run read as a heading that
    names a person and a title, or the bold title and who gives it after "by"."""
    match = _BOLD_RUN.match(source_line)
    found = from_heading(clean(match.group("run"))) if match else None
    if match and not (found and found[1]) and _BY_AFTER_BOLD.match(source_line, match.end()):
        found = name_after_by(clean(source_line))  # "**Title**, by [Jane Roe](url) (Acme)"
    if not (found and found[1]) and (named := _BOLD_NAME_COLON.match(source_line)):
        who = clean(named.group("who")).strip()  # "- **[Jane Roe](url)**：**Title**": the name alone in bold
        chinese = is_chinese_name(who) or (is_chinese_name_shape(who) and word_frequency(who) < COMMON_WORD)
        return [(who, None)] if chinese or is_clear_person(who) else []
    return found[0] if found and found[1] else []


def from_title(title: str) -> People:
    """The speaker a note's front-matter title names: a heading's shapes, also in a part of it ("SFFAI 99 |
    专题《张三：Title》"), or a name after its last separator ("视频理解-CUHK邵典": the organisation glued to the name)."""
    for part in [title, *_BOOK_TITLES.findall(title), *_TITLE_PARTS.split(title)[1:]]:
        found = from_heading(part)
        if found and found[1]:
            return found[0]
        # "Jane Roe at the Friday Salon": the whole title is a person at an event.
        if found and part is title and all(org and is_clear_person(name) for name, org in found[0]):
            return found[0]
    if (talking := _CONVERSATION_WITH.search(title)) and (
        is_chinese_name(who := talking.group("who")) or unlisted_chinese_name(who) or is_clear_person(who)
    ):
        return [(clean_name(who), None)]  # "Episode 7：对话林小川——…": the guest of an interview
    match = _TITLE_TAIL.match(" ".join(title.split()))
    if not match:
        return []
    people = split_people(_SCRIPT_CHANGE.sub(" ", match.group("who")))
    return [p for p in people if is_clear_person(p[0]) or unlisted_chinese_name(p[0])]


_PROGRAMME_TITLE_CHARS = 100  # a talk's title; a longer rest is a sentence about the person


# "Zwickl, Derek: Title", "Stamatakis, Alexandros.  Title": a programme line naming its speaker surname first.
_SURNAME_FIRST = re.compile(r"^(?P<last>[A-Z][\w’'\-]+),\s+(?P<first>[A-Z][\w’'\-]+)(?:\s*:\s*|\.\s+)(?P<rest>\S.*)$")


def from_programme_line(line: str, by: bool = True) -> People:
    """The speaker of one line of a programme: "Jane Roe - Title", "Jane Roe: Title", "Jane Roe — Title",
    "Title - Jane Roe", "Title by Jane Roe" (`by`: also that shape); [] when the rest is no talk's title but
    who the person is ("Jane Roe - Principal Engineer, Acme"), a question or a sentence."""
    text = plain_heading(line)
    if (inverted := _SURNAME_FIRST.match(text)) and is_person(f"{inverted['first']} {inverted['last']}"):
        text = f"{inverted['first']} {inverted['last']}: {inverted['rest']}"  # "Zwickl, Derek: Title"
    for rule in (
        title_name_org,
        _name_then_title,
        name_colon_title,
        *([name_after_by] if by else []),
        name_after_dash,
    ):
        found = rule(text)
        # "Title，张三，某大学" says by its shape what each part is; any other title must look like one.
        if found and found[1] and (rule is title_name_org or _talk_title(found[1])):
            return found[0]
    return []


def _name_then_title(text: str) -> Found | None:
    """ "Jane Roe - Title", "Dr. Jane Roe (Acme) — Title", "Jane Roe, - Title": a name, a dash, the talk."""
    parts = [part.strip(" ,，") for part in HEADING_PARTS.split(text, maxsplit=1)]
    if len(parts) < 2 or (people_in(parts[1]) and not is_clear_person(parts[0])):
        return None  # "Kubernetes Operators - Jane Roe": the clearer name is on the right
    people = people_in(parts[0])
    return (people, parts[1]) if people else None


def _talk_title(text: str) -> bool:
    """A talk's title, not a role, a question or a sentence: "Go for Simulations", not "CTO, Acme"."""
    return (
        len(text) <= _PROGRAMME_TITLE_CHARS
        and not text.endswith((".", "?", "。", "？"))
        and not text.startswith(("http://", "https://"))  # "Linkerd Benchmarks: https://…": a link to read
        and not ROLE_WORDS.search(" ".join(text.split()[:3]))
    )
