"""The rules that read who gives a talk from one heading's text, each one small shape: "Title —— Name（Org）",
"Title - Name - ★★", '"Title" by Name', "Name：Title", "Title (Name, Org)", "Name of Org", "Jane Roe's
Keynote". Tried in order by rag.heading_names; a rule's name must still look like a person's (speakers.py).
Pure: strings in, names out."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import labels
from .glossary import dictionary_things, load_glossary
from .name_lines import ROLE_WORDS, people_in
from .speakers import (
    HONORIFICS,
    TRAILING_WORDS,
    clean_name,
    first_name_first,
    first_name_then_surname,
    has_name_word,
    is_chinese_name,
    is_chinese_name_shape,
    is_clear_person,
    is_english_word,
    is_name_shaped,
    is_person,
    name_and_org,
    split_people,
)
from .text import CJK, in_dictionary, is_chinese, simplified, word_frequency

People = list[tuple[str, str | None]]
Found = tuple[People, str]  # the people, and the talk title left ("" when the heading is only who speaks)
COMMON_WORD = 100  # jieba's count of a word that is seldom a name or nickname ("沙龙", "分享")
# Separators between a talk title and its speaker in a heading: "Title —— Name", "Title - Name - ★★".
# " - ", "——", "—", and "Jane Roe- KEYNOTE: Title" (the dash glued to the name, a capital after it).
HEADING_PARTS = re.compile(r"\s+[-–—]{1,2}\s+|(?<=[a-z])-\s+(?=[A-Z])|\s*——\s*|\s*—\s*(?=[^—])")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]{3,}\b")
_NAME_THEN_PART = re.compile(r"(\s*[,，]\s*|\s+[-–—]{1,2}\s+|(?<=[a-z])-\s+(?=[A-Z])|\s*——\s*)")
# "Title by Jane Roe (Acme)", "Title by Jane Roe, Acme", "Title by Jane Roe - what the talk showed."
_BY = re.compile(
    r"\b(?:by|presented by|talk by)\s+(?P<who>[^,;()（）]+?)\s*(?:[（(](?P<org>[^()（）]*)[)）])?\s*"
    r"(?:,\s*(?P<org2>[^,;]+)|\s[-–—]\s+[^-–—]+)?$"
)
_LEFT_COLON = re.compile(r"^(?P<who>[^:：]{2,40}?)\s*[:：]\s*(?P<rest>\S.*)$")
_NAME_HANDLE = re.compile(rf"^([{CJK}]{{2,4}})-[A-Za-z_][\w.]{{1,20}}(?=\s*[:：])")
_RIGHT_COLON = re.compile(r"^(?P<title>.{2,}?)\s*[:：]\s*(?P<who>[^:：]{4,60})$")
_TALK_LABEL = re.compile(
    r"(?:opening |closing |interactive )?(?:keynote|talk|invited talk|lecture|tutorial|speaker|lightning talk)"
    r"|主题演讲|特邀报告|报告|讲座|演讲",
    re.IGNORECASE,
)
_BOOK_TITLE = re.compile(r"^(?P<title>《[^》]+》)\s*[-–—:：|｜]*\s*(?P<who>\S.{1,60})$")
# "Title (Jane Roe, Org)", "报告一：可解释性（张三，清华大学）": the brackets closing a heading hold the speaker.
_TRAILING_BRACKETS = re.compile(r"^(?P<title>.+?)\s*[（(](?P<inside>[^()（）]{2,80})[)）]\s*$")
_TALK_BEFORE_BY = re.compile(
    r"\b(?:talk|keynote|session|presentation|lecture|tutorial|workshop|podcast|webinar|episode)s?\s*$", re.IGNORECASE
)
_BRACKETED_BY = re.compile(r"^(?:presented |talk )?by\s+", re.IGNORECASE)
_OF_ORG = re.compile(r"^(?P<who>[^,，()（）]{4,40}?)\s+(?:of|from|at|@)\s+(?P<org>\S.{1,60})$")
_LAST_COMMA = re.compile(r"[,，](?=[^,，]*$)")
# "Moderated by Jane Roe, Acme", "Panel hosted by Jane Roe": the host of a panel, not one who speaks.
HOSTED_BY = re.compile(r"\b(?:moderated|hosted|chaired|facilitated|emceed|mc'?ed)\s+by\s+(?P<who>.+)$", re.IGNORECASE)
# "09:45 ", "9:00-9:30 ": a schedule's time opening a heading.
_LEADING_TIME = re.compile(r"^\d{1,2}[:：.]\d{2}(?:\s*[-–~至到]\s*\d{1,2}[:：.]\d{2})?\s*[|｜,，-]?\s*")
# "张三 《Title》", "张三：《Title》": a name, then a book-titled talk.
_NAME_BOOK_TITLE = re.compile(r"^(?P<who>[^《》:：|｜]{2,30}?)\s*[:：]?\s*(?P<title>《[^》]+》.*)$")
# "Title | Jane Roe": a title, then who gives it, after a bar.
_TITLE_BAR_NAME = re.compile(r"^(?P<title>.+?)\s+[|｜]\s+(?P<who>[^|｜]{4,40})$")
# "Dr. Jane Roe (Acme): Title", "张三（某大学）：Title", "张三(某公司) Title": a name and its organisation, then the talk.
_NAME_ORG_TITLE = re.compile(
    r"^(?P<who>[^()（）:：]{2,40}?)\s*[（(](?P<org>[^()（）]{1,60})[)）](?:\s*[:：]\s*|\s+)(?P<title>\S.*)$"
)


def _label_then_title(text: str) -> Found | None:
    """ "09:45 演讲者：张三 微信开发实践", "Speaker: Jane Roe Caching at scale": a speaker label (after a time),
    the name, then the talk's title."""
    labelled = labels.label(_LEADING_TIME.sub("", text), str)
    if not labelled or labelled[0] != "speaker":
        return None
    words = labelled[1].split()
    if len(words) > 1 and is_name_shaped(words[0]) and is_chinese(words[0]):
        return [(clean_name(words[0]), None)], " ".join(words[1:])
    size = 2  # a name's first two words, and more only while they are no ordinary words ("Caching")
    while size < min(4, len(words) - 1) and words[size][:1].isupper() and not is_english_word(words[size]):
        size += 1
    name = " ".join(words[:size])
    if len(words) > size and all(w[:1].isupper() for w in words[:size]) and is_person(name):
        return [(clean_name(name), None)], " ".join(words[size:])
    return None


def _only_people(text: str) -> Found | None:
    """ "Dion Almaer and Ben Galbraith", "张三、李四", "Jos Boumans (Krux), Bruce Wong (Twilio)": a heading that is
    several people (each with an organisation or none) and nothing else."""
    people = people_in(text)
    if len(people) < 2:  # each part a "Name (Org)"
        named = [name_and_org(part) for part in _BETWEEN_PEOPLE.split(text)]
        people = [(clean_name(n[0]), n[1]) for n in named if n and n[1]] if all(n and n[1] for n in named) else []
    return (people, "") if len(people) >= 2 and all(is_clear_person(n) for n, _ in people) else None


def _book_title(text: str) -> Found | None:
    """ "《分布式存储实践》-张三，某公司 专家"."""
    match = _BOOK_TITLE.match(text)
    people = [p for p in split_people(match.group("who")) if is_name_shaped(p[0])] if match else []
    return (people, match.group("title")) if match and people else None


def _name_with_org(text: str) -> Found | None:
    """ "Jane Roe (Acme)", "Bob Ray, CTO, Acme", "刘洋 —— 机器翻译的未来", "Jane Roe of Acme": a clear name
    opening the heading, then who they are (or the talk, after a dash); not in "Title - Subtitle - Jane Roe",
    where the clear name closes the heading."""
    parts = [p.strip() for p in HEADING_PARTS.split(text) if p.strip()]
    if len(parts) >= 3 and is_clear_person(parts[-1]) and not is_clear_person(parts[1]):
        return None
    named = name_and_org(text)
    if named and is_clear_person(named[0]):
        return [(clean_name(named[0]), named[1])], ""
    match = _OF_ORG.match(text)
    if match and is_clear_person(match.group("who")):
        return [(clean_name(match.group("who")), match.group("org"))], ""
    people = _name_and_role(text)
    return (people, "") if people else None


def name_after_dash(text: str) -> Found | None:
    """ "Title —— Name（Org）", "Title - Name - ★★", "Title - 黄友昆", "Title / 資深工程師 Jane Roe"."""
    parts = [p.strip(" :：") for p in _PARTS_OR_SLASH.split(text) if p.strip(" :：")]
    for part in parts[1:]:
        candidate = TRAILING_WORDS.sub("", part)
        people = (
            _names_listed(candidate)
            or people_in(candidate)
            or _name_and_role(candidate)
            or _people_and_role(candidate)
            or unlisted_chinese_name(candidate)
            or _role_then_name(candidate)
        )
        if people:
            return people, parts[0]
    return None


_PARTS_OR_SLASH = re.compile(rf"{HEADING_PARTS.pattern}|\s+/\s+")
# "資深開發技術推廣工程師 Evan Lin": a role in Chinese, then the name.
_ROLE_THEN_NAME = re.compile(rf"^[{CJK}]{{0,16}}?(?:{ROLE_WORDS.pattern})\s*(?P<who>\S.*)$", re.IGNORECASE)


def _role_then_name(text: str) -> People:
    plain = simplified(text)  # the role in simplified script, the name as written
    match = _ROLE_THEN_NAME.match(plain if len(plain) == len(text) else text)
    who = text[match.start("who") :].strip() if match else ""
    return [(clean_name(who), None)] if who and (is_clear_person(who) or is_chinese_name(who)) else []


def _names_listed(text: str) -> People:
    """ "Samuele Perricone, Alessia Botta, Pietro Santececca", "Peter Friese, Charlotte Liang": three or more clear
    names, or two whose last is a census first name and a surname, as no organisation is ("Jane Roe, Red Hat")."""
    parts = [p.strip() for p in re.split(r"\s*(?:,|，|&|\band\b)\s*", text) if p.strip()]
    clear = len(parts) >= 2 and all(" " in p and is_clear_person(p) for p in parts)
    return (
        [(clean_name(p), None) for p in parts]
        if clear and (len(parts) >= 3 or first_name_then_surname(parts[-1]))
        else []
    )


def _people_and_role(text: str) -> People:
    """ "Dina Gohil & Lucinda Burtt, Fairfax Media": several clear names, then where they are from."""
    head, _, rest = re.sub(r"\s*，\s*", ", ", text).partition(", ")
    people = people_in(head) if rest.strip() else []
    if len(people) >= 2 and all(is_clear_person(name) for name, _ in people):
        return [(name, rest.strip()) for name, _ in people]
    return []


def _name_in_trailing_brackets(text: str) -> Found | None:
    """ "Scaling Postgres (Jane Roe)", "10:00 Title (Jane Roe, Acme)", "Android Go (By Jane Roe)", "Title（演讲者：Winter）",
    "报告一：可解释性（张三，清华大学）"."""
    match = _TRAILING_BRACKETS.match(text)
    if not match:
        return None
    labelled = labels.label(match.group("inside"), str)  # "Title（演讲者：Winter）", "Title (Speaker: Jane Roe)"
    if labelled and labelled[0] == "speaker" and labels.only_names(labelled[1]):
        return split_people(labelled[1]), match.group("title").strip(" :：-–—")
    people = split_people(_BRACKETED_BY.sub("", match.group("inside")))
    clear = people and all(is_clear_person(n) or unlisted_chinese_name(n) for n, _ in people)
    if clear and _translates(match.group("title"), match.group("inside")):
        return None  # "中国联通（China Unicom）": the name of the thing before the brackets, in English
    return (people, match.group("title").strip(" :：-–—")) if clear else None


def _translates(chinese: str, latin: str) -> bool:
    """Whether a word of the Latin text translates to two or more characters of the Chinese one."""
    glossary = load_glossary()
    words = re.findall(r"[A-Za-z]+", latin.lower())
    return any(len(g) >= 2 and g in chinese for word in words for g in glossary.translate_any_form(word))


def name_after_by(text: str) -> Found | None:
    """'"Title" by Name', "Title, presented by Name (Org)"."""
    match = _BY.search(text)
    if match and HOSTED_BY.search(text[: match.end("who")]):
        return None  # "Moderated by Jane Roe, Acme": who hosts, not who speaks
    people = people_in(match.group("who"), match.group("org") or match.group("org2")) if match else []
    spoken = bool(match and _TALK_BEFORE_BY.search(text[: match.start()]))
    if match and not people and (nickname := _by_nickname(match.group("who"), spoken)):
        people = [(nickname, None)]  # "《Title》 by 小傑", "Debater：網路筆戰 by ETBlue"
    return (people, text[: match.start()].strip(" ,:：")) if match and people else None


def _nickname(who: str) -> bool:
    """Two or three Chinese characters no dictionary spells as a common word (三桥, 小傑)."""
    return (
        bool(re.fullmatch(rf"[{CJK}]{{2,3}}", who))
        and word_frequency(who) < COMMON_WORD
        and who not in dictionary_things()
    )


def _by_nickname(who: str, spoken: bool = False) -> str | None:
    """After a heading's "by", one word is what the writer calls the speaker: two or three Chinese characters
    no dictionary spells as a common word (小傑), or a handle-like Latin word, lower case or with a capital
    inside, that is no English word (ETBlue, othree); after "talk by", "podcast by" (`spoken`), any
    capitalised word that is no English word (Wesbos)."""
    who = who.strip()
    if re.fullmatch(rf"[{CJK}]{{2,3}}", who):
        return who if _nickname(who) else None
    # Not "Photo by Unsplash", a brand, unless a talk is what the word made.
    handle_like = spoken or who.islower() or any(c.isupper() for c in who[1:])
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]{2,20}", who) and handle_like and not is_english_word(who.lower()):
        return who
    return None


def name_after_comma(text: str) -> Found | None:
    """ "Designing Hypermedia APIs, Steve Klabnik", "Title - Subtitle, Jane Roe": a clear name after a heading's
    last comma (a link to the person, in the note, that cleaning left as its text). "Paris, France" and
    "Title, Google Brain" name no one: the name must be a clear person's."""
    parts = _LAST_COMMA.split(text)
    if len(parts) < 2:
        return None
    title, who = "".join(parts[:-1]).strip(), parts[-1].strip()
    if len(title) < 2 or is_clear_person(title):
        return None
    if found := _names_after_title(text):
        return found
    return ([(clean_name(who), None)], title) if is_clear_person(who) else None


def _opens_on_clear_person(part: str) -> bool:
    people = split_people(part)
    return bool(people) and is_clear_person(people[0][0])


def _names_after_title(text: str) -> Found | None:
    """ "Title, Andrew Morley & Matt Jarrow", "Title, Ian Holloway, Greta Lindqvist, Rory McAllen, Acme": two or
    more clear names after the title's comma, maybe where they work after the last."""
    parts = [part.strip() for part in re.split(r"\s*[,，]\s*", text)]
    first = next((i for i, part in enumerate(parts) if i and _opens_on_clear_person(part)), 0)
    names = parts[first:-1] if first and len(parts) - first >= 3 and not is_clear_person(parts[-1]) else parts[first:]
    people = [person for part in names for person in split_people(part)]
    if first and len(people) >= 2 and all(is_clear_person(name) for name, _ in people):
        return [(clean_name(name), None) for name, _ in people], ", ".join(parts[:first])
    return None


_TITLE_NAME_ORG = re.compile(
    rf"^(?P<title>.{{6,}}?)\s*[，,]\s*(?P<who>[{CJK}·]{{2,4}})\s*[，,]\s*(?P<org>[^，,]{{2,60}})$"
)


def title_name_org(text: str) -> Found | None:
    """ "Towards Unified Tracking，张三，某大学": a paper or talk's title, its speaker, their place."""
    match = _TITLE_NAME_ORG.match(text)
    who = match.group("who") if match else ""
    if match and (is_chinese_name(who) or unlisted_chinese_name(who)):
        return [(who, match.group("org"))], match.group("title")
    return None


def name_colon_title(text: str) -> Found | None:
    """ "Name：Title", "A & B: Title", "Keynote: Jane Roe", "Title: Jane Roe" (only a known first name right of a
    colon)."""
    match = _LEFT_COLON.match(_NAME_HANDLE.sub(r"\1", text))  # "胡志强-popoer：《Title》": the name and handle
    # "Linked Data-Driven Discovery: Applications…" is a title: a Latin name left of a colon must be a clear one.
    if (
        match
        and is_person(match.group("who"))
        and (is_chinese(match.group("who")) or is_clear_person(match.group("who")))
    ):
        return [(clean_name(match.group("who")), None)], match.group("rest")
    if match and match.group("rest").startswith("《") and _nickname(match.group("who")):
        return [(match.group("who"), None)], match.group("rest")  # "三桥：《探索HTML5》": what the writer calls them
    pair = split_people(match.group("who")) if match else []  # "Jane Roe & John Doe: Title"
    if len(pair) >= 2 and all(is_clear_person(name) for name, _ in pair):
        return pair, match.group("rest") if match else ""
    match = _RIGHT_COLON.match(text)
    if not match:
        return None
    if _TALK_LABEL.fullmatch(match.group("title").strip()):
        # "Keynote: Jane Roe": the label says a person may follow; a title ("Keynote: Serverless Everything")
        # may too, so the name must still look like one.
        people = [p for p in split_people(match.group("who")) if is_person(p[0]) or first_name_first(p[0])]
        if people:
            return people, match.group("title")
    people = people_in(match.group("who"))
    # The right of a colon is mostly a subtitle ("GraalVM: Java ♥ Python"): only known first names count, or
    # clear names ("GraphQL: Kyle Varnholt": a census first name and no dictionary word).
    if people and all(is_chinese(n) or has_name_word(n) or is_clear_person(n) for n, _ in people):
        return people, match.group("title")
    return None


def _short_name_then_title(text: str) -> Found | None:
    """ "张三 《Title》", "Title | Jane Roe", "Dr. Jane Roe (Acme): Title", "张三(某公司) Title": a heading split
    into a short part that is a clear name (or a Chinese name no dictionary word spells) and a plain title."""
    for pattern in (_NAME_BOOK_TITLE, _TITLE_BAR_NAME, _NAME_ORG_TITLE):
        match = pattern.match(text)
        who = clean_name(match.group("who")) if match else ""
        if match and (is_clear_person(who) or unlisted_chinese_name(who)):
            org = match.groupdict().get("org")
            return [(who, org)], match.group("title").strip()
    return None


# "李开复-AI", "王井东-HRNet": a Chinese name, an unspaced hyphen, the topic.
_CHINESE_NAME_HYPHEN = re.compile(rf"^(?P<who>[{CJK}·]{{2,4}})\s*[-–]\s*(?P<title>[^-–\s].*)$")


def _name_hyphen_title(text: str) -> Found | None:
    """ "李开复-AI": a Chinese name before an unspaced hyphen, when jieba tags it as a person's and it is three
    characters or spells no dictionary word (jieba tags the word 顾问 as a name too)."""
    match = _CHINESE_NAME_HYPHEN.match(text)
    if not match:
        return None
    who = match.group("who")
    if is_chinese_name(who) and (len(who) == 3 or not in_dictionary(who)):
        return [(who, None)], match.group("title").strip()
    return None


_ON_TOPIC = re.compile(r"^(?P<who>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){1,3})\s+on\s+(?P<title>\S.{2,})$")


def _name_on_topic(text: str) -> Found | None:
    """ "Van Lindberg on data economics": a clear name, then "on" and what the talk was about."""
    match = _ON_TOPIC.match(text)
    name = match.group("who") if match else ""
    return ([(clean_name(name), None)], match.group("title")) if match and is_clear_person(name) else None


_NAMES_TALK = re.compile(
    rf"^(?P<who>[{CJK}·]{{2,4}}?|[A-Z][\w’'.\- ]{{2,40}}?)\s*(?:{'|'.join(HONORIFICS)})?\s*的(?:分享|报告|演讲|讲座|talk|Talk)$"
)


def _names_talk(text: str) -> Found | None:
    """ "韩书宁的分享", "Jane Roe 的报告": a heading that is one person's talk."""
    match = _NAMES_TALK.match(text)
    who = match.group("who").strip() if match else ""
    person = (is_chinese_name(who) or bool(unlisted_chinese_name(who))) if is_chinese(who) else is_clear_person(who)
    return ([(clean_name(who), None)], text) if match and person else None


_TALK_KINDS = frozenset("talk lecture keynote seminar presentation tutorial".split())


def _name_then_talk_kind(text: str) -> Found | None:
    """ "Peter Johnson Candidate Talk", "Jane Roe's Keynote": a clear name, at most one more word, then the
    kind of talk."""
    words = text.split()
    if len(words) < 3 or words[-1].lower() not in _TALK_KINDS:
        return None
    for end in (len(words) - 1, len(words) - 2):
        who = " ".join(words[:end]).removesuffix("'s").removesuffix("’s")
        if is_clear_person(who):
            return [(clean_name(who), None)], text
    return None


# A comma or "and" outside brackets: where one "Name (Org)" ends and the next begins.
_BETWEEN_PEOPLE = re.compile(r"\s*(?:[,，、;；&]|\band\b)\s*(?![^()（）]*[)）])")

RULES: tuple[Callable[[str], Found | None], ...] = (
    _label_then_title,
    _only_people,
    _book_title,
    _short_name_then_title,
    _name_with_org,
    name_after_dash,
    _name_in_trailing_brackets,
    name_after_by,
    title_name_org,
    name_after_comma,
    name_colon_title,
    _name_hyphen_title,
    _name_on_topic,
    _names_talk,
    _name_then_talk_kind,
)


def _name_and_role(text: str) -> People:
    """A name opening a heading part, then its role or organisation after a comma or a dash: "Ann Lee,
    Advocate at Zed", "Dan Wu, Meta", "Ann Lee - Exec Dir - FooOrg"; the name must be a clear one."""
    name, between, rest = [*(part.strip() for part in _NAME_THEN_PART.split(text, maxsplit=1)), "", ""][:3]
    if not rest or not is_clear_person(name):
        return []
    # "Dan Kohn - Stitching things together": after a dash, words in lower case and no role make a talk's title.
    titled = between not in (",", "，") and _LOWER_WORD.search(rest) and not ROLE_WORDS.search(rest)
    return [(clean_name(name), None if titled else rest)]


def unlisted_chinese_name(text: str) -> People:
    """ "Title - 黄友昆": two or three characters starting with a surname that no dictionary word spells
    (jieba's person tags miss many real names; 高性能 or 周六 are words)."""
    name = clean_name(text)
    return [(name, None)] if is_chinese_name_shape(name) and not in_dictionary(name) else []
