"""The speaker a line of text names: a talk's first line ("by Jane Roe", "Name (Org)", "李四，工程师…",
"由张三主讲", "大家好，我叫…"). Pure."""

from __future__ import annotations

import re

from .glossary import census_first_names
from .markup import clean
from .speakers import (
    ACRONYM,
    HONORIFICS,
    NAME_PARTICLES,
    ORG_WORDS,
    SPLIT_PEOPLE,
    SURNAMES,
    bilingual_name,
    clean_name,
    is_chinese_name,
    is_chinese_name_shape,
    is_clear_person,
    is_english_word,
    is_name_shaped,
    is_name_word,
    is_person,
    name_and_org,
    same_person_in_two_scripts,
    split_people,
)
from .text import CJK, in_dictionary, is_chinese, simplified

_OPENING_BY = re.compile(r"^(?:by|presented by|speaker is|talk by)\s+(?P<who>.+)$", re.IGNORECASE)
_HOSTED_BY = re.compile(r"^由\s*(?P<who>[^，,。]{2,30}?)\s*(?:主讲|分享|带来|讲解|介绍)")
_LEADING_NAME = re.compile(r"^(?P<who>[^，,。；;:：(（~～]{2,40}?)\s*(?:[，,。；;]|\s[-–—~～]\s)")
_NAME_COLON = re.compile(r"^(?P<who>[^，,。；;:：(（~～]{2,40}?)\s*[:：]")
# What follows a Latin name that opens a talk: a role ("Apache Kafka, a streaming platform" names no one).
ROLE_WORDS = re.compile(
    r"\b(?:engineer|developer|professor|prof|researcher|scientist|founder|co-founder|director|lead|"
    r"manager|head|architect|student|phd|postdoc|lecturer|fellow|consultant|designer|author|maintainer|advocate|"
    r"evangelist|analyst|coach|university|institute|lab|inc|ltd|corp)\b"
    r"|(?<![A-Za-z])(?:ceo|cto|cfo|coo|vp)(?![A-Za-z])"  # "某科技CEO": glued to the company's name
    r"|工程师|教授|研究员|博士|创始人|总监|负责人|专家|架构师|经理|老师|主任|来自|教练|主管|顾问|总裁|董事长|合伙人",
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
# "首先是来自清华大学的刘洋老师带来的报告…", "张三教授分享了…": prose opening a talk, the name before a verb of
# speaking; without "来自…的" the name needs a title word (老师, 教授…) or jieba's person tag.
_PROSE_ZH = re.compile(
    rf"^(?:(?:首先|接着|然后|随后|之后|最后|下面|接下来|上午|下午)[，,]?)?(?:是|由|请到了?|邀请了?|有请)?"
    rf"(?:来自(?P<org>[^的，。]{{2,30}}?)的)?(?P<name>[{CJK}]{{2,4}}?)(?P<title>老师|教授|博士|研究员|院士|先生|女士)?"
    r"(?:为大家|给大家|向大家|首先|主要)?(?:带来|分享|介绍|讲解|讲述|讲了|做了|作了|发表了|进行了)"
)
# "Jane Roe from Acme talked about…", "Next up was Jane Roe, who presented…".
_PROSE_EN = re.compile(
    r"^(?i:(?:next(?: up)?|then|first|finally|after that|afterwards)[,:]?\s+)?(?i:(?:was|came)\s+)?"
    r"(?P<name>[A-Z][\w.’'\-]+(?:\s+[A-Z][\w.’'\-]+){1,3})(?:\s*\([^)]{1,60}\))?"
    r"(?:['’]s\s+(?:talk|session|keynote|presentation|lecture|workshop|tutorial)\b"
    r"|(?:,?\s+(?:from|of|at)\s+(?P<org>[^,.;]{1,50}?))?,?\s+(?:who\s+)?"
    r"(?:talked|spoke|presented|gave|discussed|shared|introduced|explained|walked us|opened|kicked off|started"
    r"|began|showed|demonstrated|described|argued|covered|told|delivered)\b)"
)
# "Jane Roe (Acme), Acme's research lab": a name, its organisation in brackets, then more about them.
_NAME_BRACKETS_THEN = re.compile(r"^(?P<who>[^,，()（）:：]{3,40}?)\s*[（(](?P<org>[^()（）]{2,60})[)）]\s*[,，]\s*\S")
OPENING_LINE_CHARS = 160  # a line naming the speaker is short; a paragraph is prose about the talk


def from_opening_line(line: str, labelled: bool = False, explicit_only: bool = False) -> list[tuple[str, str | None]]:
    """The speaker a talk section's first line names: "by Jane Roe", "Jane Roe (Org)", "A (Org); B (Org)",
    "李四，某公司研发工程师…", "Jane Roe - Principal Engineer, Org", "由张三主讲《…》"; [] for prose.

    `labelled`: a heading such as "演讲者信息" says the line opens with a name, so a nickname or a name
    followed by any description ("星河。CSS专家…", "Mathias Bynens。一个喜欢…") counts. `explicit_only`: only
    "by Name", "由Name主讲" and self-introductions.
    """
    line = line.strip()
    if not explicit_only and (prose := _speaker_in_prose(line)):
        return prose  # "Jane Roe of Acme gave a talk on …, …": a long sentence may open with who speaks
    if not line or (len(line) > OPENING_LINE_CHARS and not labelled):
        return []
    leading = _LEADING_NAME.match(line)
    if labelled and leading and loose_name(leading.group("who")):
        return [_leading_person(leading, line)]
    colon = _NAME_COLON.match(line) if labelled else None
    if colon and is_name_shaped(colon.group("who")):
        return [(clean_name(colon.group("who")), None)]  # "张三：某大学博士生，研究…" under "## 讲者介绍"
    for pattern in (_OPENING_BY, _HOSTED_BY):
        match = pattern.match(line)
        if match:
            people = split_people(match.group("who"))
            named = all(is_name_shaped(n) or lowercase_name(n) for n, _ in people)  # "by franz enzenhofer"
            return people if people and named else []
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
    bracketed = _NAME_BRACKETS_THEN.match(line)
    if bracketed and is_clear_person(bracketed.group("who")):  # "Emtiyaz Khan (RIKEN), RIKEN Center for AI"
        return [(clean_name(bracketed.group("who")), bracketed.group("org"))]
    parts = [name_and_org(part) for part in re.split(r"\s*[;；]\s*", line)]
    if all(parts) and all(is_clear_person(part[0]) for part in parts if part):
        return [(clean_name(name), org) for name, org in (p for p in parts if p)]  # "Name (Org); …"
    if leading and is_person(who := leading.group("who")):
        handle = line[leading.end() :].lstrip().startswith("@")
        if is_chinese(who) or handle or ROLE_WORDS.search(line):
            return [_leading_person(leading, line)]
    if leading and _role_after(leading, line) and _census_named(leading.group("who")):
        return [_leading_person(leading, line)]  # "Ken Kettle - General Manager, Acme": words, but a name before a role
    return _name_then_role(line)


def _role_after(leading: re.Match, line: str) -> bool:
    return line[leading.end() - 3 : leading.end()].strip() in ("-", "–", "—") and bool(
        ROLE_WORDS.search(line[leading.end() :])
    )


def _census_named(who: str) -> bool:
    """A census first name and one or two capitalised name words: "Ken Kettle", "Peter J. O'Malley"."""
    words = who.split()
    return 2 <= len(words) <= 3 and words[0].lower() in census_first_names() and all(map(is_name_word, words))


def from_role_lines(block: list[str]) -> list[tuple[str, str | None]]:
    """A paragraph of one to four lines, each a person then their role ("Ken Kettle - General Manager, Acme" over
    "Jane Roe - Solutions Architect, Acme"): the people presenting a session whose notes open with it."""
    texts = [clean(line).strip() for line in block if line.strip()]
    if not 1 <= len(texts) <= 4:
        return []
    found = [from_opening_line(text) for text in texts]
    named = all(
        len(people) == 1 and people[0][1] and ROLE_WORDS.search(text) for people, text in zip(found, texts, strict=True)
    )
    return [people[0] for people in found] if found and named else []


# "李四（Ruddy Lee）│某公司 敏捷教练", "王五 某科技 RD 小主管", "赵六 · 某科技CEO": a Chinese name (maybe another name
# of theirs in brackets), then after a bar, a dot or a space where they work and what they do, in a few words.
_NAME_THEN_ROLE = re.compile(
    rf"^(?P<who>[{CJK}]{{2,4}})\s*(?P<other>[（(][^()（）]{{1,30}}[)）])?\s*(?:[│|｜·•・]\s*|\s+)(?P<role>[^，。；！？,;]{{2,40}})$"
)


def _name_then_role(line: str) -> list[tuple[str, str | None]]:
    match = _NAME_THEN_ROLE.match(line)
    if not match or not ROLE_WORDS.search(simplified(match.group("role"))):
        return []
    who, plain = match.group("who"), simplified(match.group("who"))
    named = is_chinese_name(plain) or (plain[0] in SURNAMES and not in_dictionary(plain))
    # "董大偉（David Tung）": the same person in Latin letters joins the name; a nickname ("（DJ）") does not.
    both = bilingual_name(who + match.group("other")) if match.group("other") else None
    return [(both or who, match.group("role").strip())] if named else []


def _leading_person(leading: re.Match, line: str) -> tuple[str, str | None]:
    """(name, affiliation) of a line that opens with a name: the affiliation is the first clause after it."""
    affiliation = re.split(r"[，。；]", line[leading.end() :].strip(), maxsplit=1)[0]
    return clean_name(leading.group("who")), affiliation or None


def loose_name(text: str) -> bool:
    """Where a label says a name stands: two to four Chinese characters, or one to four capitalised words."""
    name = clean_name(text)
    if re.fullmatch(rf"[{CJK}·]{{2,4}}", name):
        return True
    words = name.split()
    return 1 <= len(words) <= 4 and all(is_name_word(w) or w.lower() in NAME_PARTICLES for w in words)


def _speaker_in_prose(line: str) -> list[tuple[str, str | None]]:
    """The speaker a talk's first sentence names in prose: "来自清华的刘洋老师分享了…", "Jane Roe from Acme
    talked about…"."""
    match = _PROSE_ZH.match(line)
    if match:
        name = match.group("name")
        titled = match.group("org") or match.group("title")
        if name.endswith(("老", *HONORIFICS)):
            return []  # "王老师介绍了": a surname and a title, no name
        if is_chinese_name(name) or (titled and name[0] in SURNAMES and len(name) <= 3):
            return [(name, match.group("org"))]
    match = _PROSE_EN.match(line)
    if match and is_clear_person(match.group("name")):
        return [(clean_name(match.group("name")), match.group("org"))]
    return []


def from_byline(line: str) -> list[tuple[str, str | None]]:
    """ "*Jane Roe, Acme*", "*Jane Roe / Acme*", "张三／某公司" under a talk's heading: a short line that opens
    with a name."""
    if len(line) > 80:
        return []
    name, between, rest = [*re.split(r"(\s*[,，|｜(（／]\s*|\s+[-–—/]{1,2}\s+)", line.strip(), maxsplit=1), "", ""][:3]
    rest = rest.strip()
    if between.strip() in ("(", "（"):  # "Jane Roe (Acme)"; "Jane Roe, Acme (AC)" keeps its bracket
        rest = rest.rstrip(")）").strip()
    if is_person(name):
        return [(clean_name(name), rest or None)]
    people = split_people(line.strip())  # "_Jane Roe and John Doe_": a talk of two
    return people if len(people) > 1 and all(is_person(n) for n, _ in people) else []


_FIELD_BAR = re.compile(r"\s+[|｜]\s+")


def from_field_line(line: str) -> list[tuple[str, str | None]]:
    """ "Keynote | Hall A | Title | Prof. Jane Roe | Acme" under a talk's heading: a line of fields between bars
    (a table row without the table) where one field is a clear name; the field after it is the affiliation."""
    fields = [f.strip() for f in _FIELD_BAR.split(line.strip().strip("|｜"))]
    if len(fields) < 3 or len(line) > 300:
        return []
    for i, field in enumerate(fields):
        if is_clear_person(field):
            return [(clean_name(field), fields[i + 1] if i + 1 < len(fields) and fields[i + 1] else None)]
    return []


_NAME_COMMA_ORG = re.compile(
    r"^(?P<name>[^,，()（）:：]{3,40}?)\s*[,，]\s*(?P<org>[A-Z0-9\u3400-\u9fff][^,，]{1,60}?)[\s\\]*$"
)
_AFFILIATION_LINES = 6


def from_affiliation_lines(source_lines: list[str]) -> list[tuple[str, str | None]]:
    """ "Jane Roe, Acme" and "John Smith, Zed Labs" on lines of their own right under a talk's heading (blank
    lines between them or not): the speakers and their organisations. The lines must all be of that shape; a
    single one must name a clear person ("San Jose, California" is a place)."""
    shaped: list[re.Match] = []
    for line in source_lines[:_AFFILIATION_LINES]:
        text = line.strip().strip("*_")
        if not text:
            continue
        match = _NAME_COMMA_ORG.match(text)
        if not match or not all(w[:1].isupper() for w in match.group("name").split()):
            break
        shaped.append(match)
    people = [(clean_name(m.group("name")), m.group("org")) for m in shaped if is_person(m.group("name"))]
    if len(shaped) == 1 and not (people and is_clear_person(people[0][0]) and _looks_like_org(people[0][1] or "")):
        return []
    return people


def _looks_like_org(text: str) -> bool:
    """ "Acme Corp", "OCLC", "Macalester College"; not "California" (one line "Name, Place" is an address)."""
    return bool(ORG_WORDS.search(text) or ROLE_WORDS.search(text) or ACRONYM.search(text))


_HANDLES = re.compile(r"(?<!\w)@\s*\S+|https?://\S+")


def from_list_item(text: str) -> list[tuple[str, str | None]]:
    """The person a list item is: "黄盈樟 ~ 硬件极客", "姜原, 某公司研发工程师", "詹泽诚 @handle", "Jane Roe"."""
    match = _NAME_TILDE_ROLE.match(text)
    if match and is_name_shaped(match.group("who")):
        return [(clean_name(match.group("who")), match.group("role"))]
    found = bare_name(text) or (from_opening_line(text) if len(text) <= 80 else [])
    # "Taxable Capital Gains (127)" in a list of terms: a Latin name must be clearly one.
    return found if all(is_chinese(n) or is_clear_person(n) for n, _ in found) else []


_NAME_TILDE_ROLE = re.compile(r"^(?P<who>[^~～，,]{2,30}?)\s*[~～]\s*(?P<role>\S.*)$")


_NAME_LIST = re.compile(r"\s*(?:,|，|、|&|\band\b)\s*")


def bare_names(text: str) -> list[tuple[str, str | None]]:
    """A line that is only people's names, each clearly one: "Jane Roe", "Jane Roe, John Doe", "A & B"."""
    parts = [part for part in _NAME_LIST.split(text.strip().rstrip("。.")) if part]
    found = [bare_name(part) for part in parts]
    if len(parts) >= 2 and any(found):
        # "罗正烨、方潇仪，倪栩生": among clear names, one jieba does not know but shaped like a name is one too.
        found = [
            people or ([(part, None)] if is_chinese_name_shape(part) else [])
            for part, people in zip(parts, found, strict=True)
        ]
    return [person for people in found for person in people] if parts and all(found) else []


_NAMES_WITH_READINGS = re.compile(
    rf"^(?P<zh>[{CJK}·]{{2,5}}(?:\s*[、，,和与及]\s*[{CJK}·]{{2,5}})+)\s*[（(](?P<latin>[^（）()]+)[）)]$"
)


def names_with_readings(text: str) -> list[tuple[str, str | None]]:
    """ "孙琼、付英（Qiong Sun, Yu Fu）": Chinese names, then each one's Latin name in the same order."""
    match = _NAMES_WITH_READINGS.match(text.strip())
    if not match:
        return []
    chinese = re.split(r"\s*[、，,和与及]\s*", match.group("zh"))
    latin = [part.strip() for part in re.split(r"[,，;；/、]|\band\b", match.group("latin")) if part.strip()]
    pairs = list(zip(chinese, latin, strict=False)) if len(chinese) == len(latin) else []
    if not pairs or not all(same_person_in_two_scripts(zh, en) for zh, en in pairs):
        return []
    return [(f"{zh} {en}", None) for zh, en in pairs]


def bare_name(text: str) -> list[tuple[str, str | None]]:
    """A text that is only a person's name, maybe with a handle or a profile link: "Jane Roe @jroe",
    "张璐 @zl" (a handle says the two characters are a name)."""
    bare = " ".join(_HANDLES.sub(" ", text).split())
    handle = bare != " ".join(text.split())
    # A handle says the words are a name; without one, "GST Credit Application" in a list must be clearly one,
    # as written or in the writer's careless case ("Andreanne bergeron"; not "unikernel demo").
    person = is_name_shaped(bare) if handle else is_clear_person(bare) or _careless_case_name(bare)
    return [(clean_name(bare), None)] if len(bare) <= 40 and person else []


def _careless_case_name(text: str) -> bool:
    """ "Andreanne bergeron": a capitalised first name, then a surname in lower case that is no English word."""
    first, *rest = text.split() or [""]
    return (
        first[:1].isupper()
        and bool(rest)
        and text[1:] == text[1:].lower()
        and not any(is_english_word(w) for w in rest)
        and lowercase_name(text.lower())
    )


def lowercase_name(name: str) -> bool:
    """ "marco rogers", "liz fong-jones": two or three words in lower case that capitalised are clearly a
    person's name, not all of them English words ("will power")."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and name == name.lower()
        and is_clear_person(name.title())
        and not all(is_english_word(w) for w in words)
    )


def people_in(text: str, org: str | None = None) -> list[tuple[str, str | None]]:
    """The people of a heading part: one name, or several joined by and/&/、, with an optional (Org)."""
    named = name_and_org(text)
    if named:
        text, org = named[0], named[1] or org
    names = [n for n in SPLIT_PEOPLE.split(text) if n.strip()]
    if names and all(is_person(n) for n in names):
        return [(clean_name(n), org) for n in names]
    return []


def from_dash_line(line: str) -> list[tuple[str, str | None]]:
    """'—兰艳艳 中国科学院计算技术研究所研究员' under a title: the talk's speaker and affiliation."""
    match = re.match(r"^\s*[—–]{1,2}\s*(?P<rest>\S.*)$", line)
    if not match:
        return []
    words = match.group("rest").split(maxsplit=1)
    if is_person(words[0]):
        return [(clean_name(words[0]), words[1] if len(words) > 1 else None)]
    return people_in(match.group("rest"))
