"""Who gives a talk, wherever a note says it: a label line, the heading, a dash line under it, a bare
name in a bullet, the front matter. Pure: strings in, names out.

A name must look like a person's: a Chinese name is two to four characters starting with a common
surname that jieba tags as a person; a Latin name is two to four capitalised words, at least one of
them no ordinary word. Headings such as `HRNet：…` or `模型压缩` therefore never become speakers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .glossary import (
    census_first_names,
    is_english_word,
    name_words,
    opening_and_closing_names,
)
from .name_forms import name_aliases, normalize_for_names, two_scripts
from .pinyin_names import COMMON_SURNAMES, pinyin_name
from .text import CJK, in_dictionary, is_chinese, person_words

SURNAMES = set(
    COMMON_SURNAMES
    + "欧司上诸乔蒙聂庞章鲁伍殷柏季滕危甘左饶包祝穆尚单倪骆邢易裴蔺阎申屠游赖卓解应宗宣郁杭洪吉钮嵇滑荣荀羊惠甄曲封芮储靳"
    "糜井富巫焦巴弓牧车宓蓬全班仰秋仲伊宫宁仇栾暴厉戎祖符景詹束幸韶郜蓟薄印宿怀蒲邰从鄂索咸籍池阴胥苍双闻党翟贡劳逄姬扶"
    "冉宰郦雍桑桂濮牛寿边扈燕冀浦农温庄晏瞿充慕连茹习宦艾鱼容古慎戈庾居衡步耿满弘匡国文寇广禄阙东殳沃利蔚越隆师巩聂晁"
    "敖融冷辛阚那简空毋沙养鞠须丰巢关蒯相查荆红竺权逯盖益桓公谷区阮柯凌俞涂岑邬闵缪粟卜冼丘禹谌湛麦晋华"
    "纪舒项祁毕尤童霍娄柳鲍蓝苗齐葛虞臧邝窦奚栗隋佘辜"
)
# A four-character Chinese name has a two-character surname; "沙龙内容" is two words, no name.
COMPOUND_SURNAMES = tuple(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 轩辕 呼延 澹台 万俟 闻人 申屠 太史 钟离 赫连 百里".split()
)
HONORIFICS = ("老师", "教授", "博士", "研究员", "院士", "先生", "女士", "同学")
_DEGREE = re.compile(r"\s+(?:Ph\.?D\.?|PhD (?:student|candidate))$", re.IGNORECASE)  # "雷军 PhD student"
_TITLE_EN = re.compile(r"^(?:prof(?:essor)?|dr|mr|mrs|ms|sir)\.?\s+", re.IGNORECASE)
NAME_PARTICLES = frozenset("van von de der den da di du le la del bin al ibn".split())
# Words that start many headings but are no names ("Session Two", "Day One", "Opening Keynote").
_NOT_NAMES = frozenset(
    """
    the a an and or of in on for to with from by at as is are our your my new how why what when where who
    about into over under after before beyond through between without within across against during via vs
    using toward towards this that these those its their we you not no all more less than but if so up out
    session day keynote keynotes talk talks panel workshop introduction intro conclusion summary overview part
    chapter lecture lesson section opening closing welcome remarks notes note q&a questions question answers
    tips tricks impression impressions slides video references resources agenda schedule break lunch coffee
    track room hall main other misc bonus appendix update updates recap review reviews future work related
    team teams data model models system systems deep learning machine network networks open source project
    center centre institute university college school academy lab labs laboratory foundation museum society
    association council ministry department agency company corporation inc ltd group consortium alliance
    initiative program programme committee office bureau service services platform
    meetup meetups conference conferences summit conf hackathon forum symposium
    one two three four five six seven eight nine ten first second third
    """.split()
)
# Acronyms that stand in the names of products and teams, never of people (a surname written in capitals,
# "WANG Fei-Yue", is none of them).
_TECH_ACRONYMS = frozenset("AI ML DL UI UX VR AR XR IT IO OS DB QA API SDK CLI GPU CPU".split())
TRAILING_WORDS = re.compile(
    r"\s*(?:keynote|talk|invited talk|讲座摘录|讲座|分享|报告|演讲|主题演讲|特邀报告|-\s*remote presentation)\s*$",
    re.IGNORECASE,
)
# "Name (Org)", also with brackets inside: "Adam Coates（百度硅谷人工智能实验室（Silicon Valley AI Lab）主任）".
NAME_WITH_ORG = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<org>(?:[^()（）]|[（(][^()（）]*[)）])*?)\s*[)）]\s*$")
_FROM_ORG = re.compile(rf"^来自(?P<org>[^的]{{2,30}})的(?P<name>[{CJK}]{{2,4}})")
PROFILE_SITES = r"twitter\.com|x\.com|github\.com|linkedin\.com/in"  # a person's page there is their profile
# "Brendan Gregg from Netflix", "Jane Roe of Acme Labs": a name, then where the person works.
_FROM_ORG_LATIN = re.compile(
    r"^(?P<name>[A-Z][\w’'.\-]*(?: [A-Z][\w’'.\-]*){1,3}) (?:from|of|at) (?P<org>[A-Z]\S.{0,60})$"
)
SPLIT_PEOPLE = re.compile(r"\s*(?:、|&|＆|\band\b|和|与|與|及|/|;|；|\s[×xX]\s)\s*")
DECORATION = re.compile(r"[\U0001F300-\U0001FAFF★☆⭐✅⛔💀\u2600-\u27BF]+")
# Runs of one script: "Andrew Ng吴恩达" → "Andrew Ng", "吴恩达"; "平安科技 柴锋" → "平安科技", "柴锋".
_NAME_RUNS = re.compile(rf"[A-Z][\w.’'\-]*(?:\s+[A-Za-z][\w.’'\-]*)*|[{CJK}·]+")


def clean_name(text: str) -> str:
    """A name without titles, honorifics, decoration and surrounding punctuation."""
    text = DECORATION.sub("", text)
    text = _TITLE_EN.sub("", text.strip(" \t*_`\"“”'‘’:：,，.。-—–·"))
    text = _DEGREE.sub("", text)
    for honorific in HONORIFICS:
        if text.endswith(honorific) and len(text) > len(honorific) + 1:
            text = text[: -len(honorific)]
    return bilingual_name(text) or " ".join(text.split())


def bilingual_name(text: str) -> str | None:
    """One person's name written in both scripts, in the order written, without brackets: "Andrew Ng（吴恩达）"
    → "Andrew Ng 吴恩达", "李秉骏 Cash Lee"; None when the Latin part is no name of theirs ("吴恩达 Stanford")."""
    parts = two_scripts(text)
    if not parts or not same_person_in_two_scripts(*parts):
        return None
    chinese, latin = parts
    return f"{chinese} {latin}" if text.lstrip().startswith(chinese) else f"{latin} {chinese}"


ORG_WORDS = re.compile(
    r"\b(?:college|school|media|labs?|technolog(?:y|ies)|software|systems|research|foundation|group|"
    r"company|corp(?:oration)?|inc|ltd|llc|gmbh|university|institute|studio|agency)\b|大学|学院|研究院|公司|实验室",
    re.IGNORECASE,
)
ACRONYM = re.compile(r"\b(?!USA\b)[A-Z]{3,6}\b")  # "OCLC", "IBM"; not "CA", "USA"


@lru_cache(maxsize=4096)
def same_person_in_two_scripts(chinese: str, latin: str) -> bool:
    """Whether Latin words beside a Chinese name are that person's other name: a pinyin reading of it ("施柏鑫
    Boxin Shi", "王小明 Xiaoming WANG"), or a person's name that names no organisation ("吴恩达 Andrew Ng",
    "李秉骏 Cash Lee"); not "吴恩达 Stanford", "王井东 MSRA", "张三 Google Brain" (the affiliation)."""
    if not (is_chinese_name(chinese) or is_chinese_name_shape(chinese)):
        return False
    words = latin.split()
    if not 2 <= len(words) <= 4 or not all(is_name_word(w) or w.lower() in NAME_PARTICLES for w in words):
        return False
    if normalize_for_names(latin).strip() in name_aliases(chinese):
        return True  # the strongest sign, whatever the Latin words look like
    if ORG_WORDS.search(latin) or ACRONYM.search(latin) or any(w.lower() in _NOT_NAMES for w in words):
        return False
    if in_dictionary(chinese) and not is_chinese_name(chinese):
        return False  # "Go Modules 简介": a word (简介, "introduction") beside a title, no name
    return is_clear_person(latin) or has_name_word(latin)


def is_person(text: str) -> bool:
    """True when the text is shaped like one person's name (a quoted nickname inside it aside: Robert "r0ml"
    Lefkowitz)."""
    name = _NICKNAME.sub(" ", clean_name(text))
    if not name or len(name) > 40:
        return False
    if parts := two_scripts(name):
        return same_person_in_two_scripts(*parts)
    if is_chinese(name):
        return is_chinese_name(name)
    words = name.split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in name):
        return False
    if not all(is_name_word(w) or w.lower() in NAME_PARTICLES for w in words):
        return False
    # "van der Berg" is no whole name; "Van Lindberg" is one, "Van" a first name.
    particle_first = words[0].lower() in NAME_PARTICLES and not (
        words[0][0].isupper() and (words[0].lower() in census_first_names() or pinyin_name(words))
    )
    if all(w.isupper() and len(w) > 1 for w in words):  # "JOEY ROSENBERG": a census first name opens it
        return 2 <= len(words) <= 3 and words[0].lower() in census_first_names() and is_clear_person(name.title())
    if particle_first:
        return False
    if any(w.endswith(("'s", "’s")) for w in words):
        return False  # "Nelle's Pipeline"
    if any(w.lower().strip(".’'") in _NOT_NAMES for w in words if not _is_initial(w)):
        return False
    if any(w in _TECH_ACRONYMS for w in words):
        return False  # "Google AI", "Web UI": a product or a team
    if any(_is_initial(w) for w in words):
        return True  # an initial: "Grace M. Hopper"
    # "Lottery Ticket Hypothesis" is three dictionary words; a name has at least one word no dictionary has,
    # or is a first and a last name that the dictionary knows as people's names ("John Smith").
    # A census first name only where it stands first ("Harry Roberts"), a census surname only after one.
    first_names, census_closed = opening_and_closing_names()
    last_names = census_closed if words[0].lower() in census_first_names() else name_words()
    # "Ryan Scott Brown": a middle name may be a first name or a surname.
    middle_names = first_names | last_names
    if len(words) in (2, 3) and all(
        {w.lower(), w.lower().removesuffix("s")}
        & (first_names if n == 0 else last_names if n == len(words) - 1 else middle_names)
        or not is_english_word(w)
        for n, w in enumerate(words)
    ):
        return True
    return pinyin_name(words) or not all(is_english_word(w) for w in words if len(w) > 2)


_NICKNAME = re.compile(r"\s[\"“'‘][^\"”'’\s]{1,20}[\"”'’]\s")


def is_clear_person(name: str) -> bool:
    """is_person() with some sign beyond capitals that it is a name, where no label says one stands: a
    Chinese name, first and last names the dictionary knows, or no dictionary word at all ("Hu Xun")."""
    return is_person(name) and (
        is_chinese(clean_name(name))
        or _all_name_words(name)
        or _no_dictionary_word(name)
        or has_name_word(name)
        or first_name_then_surname(name)
    )


def first_name_then_surname(name: str) -> bool:
    """A census first name, then words that are surnames or no English words, unless the first name is none
    either: "Rod Begbie", "Harry Roberts", "Marco Rogers"; not "Grace Period", "Brain Storm"."""
    words = name.lower().split()
    if len(words) < 2 or words[0] not in census_first_names():
        return False
    known = name_words()
    surnames = [w for w in words[1:] if w not in known and w.removesuffix("s") not in known]
    return not is_english_word(words[0]) or not any(is_english_word(w) for w in surnames)


def _all_name_words(name: str) -> bool:
    """Every word is one the dictionary knows as a person's name (or an initial): "John A. Smith"."""
    known = name_words()
    return all(_is_initial(w) or w.lower() in known for w in name.split())


def first_name_first(name: str) -> bool:
    """Two or three capitalised words, none a heading word, the first a known first name: "Bob Crane"."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and words[0].lower() in name_words()
        and all(is_name_word(w) and w.lower() not in _NOT_NAMES for w in words)
    )


_TERM_ENDING = re.compile(
    r"(?:tion|sion|ment|ness|ity|ing|ics|ism|ogy|able|ible|ive|ous|ence|ance|ware|ctor|izer|ized|ify)s?$", re.IGNORECASE
)


def _no_dictionary_word(name: str) -> bool:
    """Two or three words, none an English word, an acronym or shaped like a technical term ("Predictor",
    "Accuracy-latency"): "Jeong HyunGil", "Hu Xun"."""
    words = name.split()
    known = name_words()

    def term_like(word: str) -> bool:
        shaped = bool(_TERM_ENDING.search(word)) or any(part[:1].islower() for part in word.split("-")[1:])
        return word.lower() not in known and (shaped or (word.isupper() and len(word) > 1) or is_english_word(word))

    return 2 <= len(words) <= 3 and not any(term_like(w) for w in words)


def has_name_word(name: str) -> bool:
    """Some word is one the dictionary knows as a person's name: "Jane Roe", "John Smith"."""
    known = name_words()
    return any(w.lower() in known for w in name.split())


def _is_initial(word: str) -> bool:
    """'M.' in "Grace M. Hopper", 'A.' in "Zed A. Shaw"."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


# "LiveView", "GitHub", "JavaScript": a capital inside a word makes a product's name, unless a name's prefix
# stands before it ("McCord", "DeWitt", "MacKenzie", "LeBron").
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|Van|Von)(?=[A-Z][a-z]*$)")


def is_name_word(word: str) -> bool:
    """'Jiří', 'D’Anna', 'Fei-Yue', 'WANG', 'M.', 'McCord': capitalised letters (any alphabet), apostrophes,
    hyphens; not 'LiveView'."""
    if len(word) == 2 and word[0].isupper() and word[1] == ".":
        return True
    if _INNER_CAPITAL.search(word) and not _NAME_PREFIX.match(word) and not _two_first_names(word):
        return False
    return word[0].isupper() and word[-1].isalpha() and all(c.isalpha() or c in "’'-" for c in word)


def _two_first_names(word: str) -> bool:
    """ "AnnMarie", "JoAnn": two census first names run together (not "LiveView", "GitHub")."""
    parts = re.findall(r"[A-Z][a-z]+", word)
    return len(parts) == 2 and "".join(parts) == word and all(p.lower() in census_first_names() for p in parts)


@lru_cache(maxsize=4096)
def is_chinese_name(name: str) -> bool:
    if not re.fullmatch(rf"[{CJK}·]{{2,5}}", name) or name[0] not in SURNAMES:
        return False
    if len(name) >= 4 and "·" not in name and not name.startswith(COMPOUND_SURNAMES):
        return False
    return any(len(word) >= 2 and name.startswith(word[:2]) for word in person_words(name))


_NAME_BAR_ORG = re.compile(rf"^(?P<name>[{CJK}·]{{2,4}})\s*[丨｜]\s*(?=\S)")


def split_people(value: str) -> list[tuple[str, str | None]]:
    """The people of a speaker line's value, each with an affiliation when it gives one.

    '冯佳时(NUS)', 'Jane Doe, MIT', 'UC，张云龙' (organisation first), '来自百度的雷志兴', '平安科技 柴锋、高云',
    'A (Org) & B (Org)'. When no part is shaped like a name the whole value is taken (the label said it
    names a person).
    """
    value = TRAILING_WORDS.sub("", DECORATION.sub("", value)).strip(" ,，;；")
    value = _NAME_BAR_ORG.sub(r"\g<name>，", value)  # "王妍丨华东师范大学": a bar between name and place
    match = _FROM_ORG.match(value) or _FROM_ORG_LATIN.match(value)
    if match and is_name_shaped(match.group("name")):
        return [(match.group("name"), match.group("org"))]
    pieces = [p for p in _split_outside_brackets(value) if p.strip()]
    if len(pieces) > 1:
        several = [_one_person(piece, strict=True) for piece in pieces]
        if all(several):
            return _roles_joined(pieces, [p for p in several if p])
    # "Jane Roe (Acme), John Doe (Zed)": commas list people only when every piece is a person's name.
    listed = [piece for piece in _split_outside_brackets(value, _COMMAS) if piece.strip()]
    # Three or more clear names are a list of people whatever the dictionary says of them ("Samuele Perricone,
    # Alessia Botta, Pietro Santececca"); of two, the second may be where the first works ("Jane Roe, Tokyo Tech").
    several_clear = len(listed) >= 3 and all(is_clear_person(clean_name(piece)) for piece in listed)
    if len(listed) > 1 and (several_clear or all(_listed_name(piece) for piece in listed)):
        return [p for p in (_one_person(piece, strict=True) for piece in listed) if p]
    one = _one_person(value, strict=False)
    return [one] if one else []


def _roles_joined(pieces: list[str], people: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """A piece that is a bare dictionary word after a person's role is one more of their roles: in "张三，独立研究员、
    顾问" jieba tags 顾问 as a name, but it continues the role a comma opened ("张三（清华）、李四" is two people)."""
    joined: list[tuple[str, str | None]] = []
    after_role = False  # the piece before ended in a role after a comma
    for piece, (name, org) in zip(pieces, people, strict=True):
        bare_word = org is None and is_chinese(name) and in_dictionary(name)
        if joined and after_role and bare_word:
            joined[-1] = (joined[-1][0], f"{joined[-1][1]}、{name}")
            continue
        joined.append((name, org))
        after_role = org is not None and len(_split_outside_brackets(piece, _COMMAS)) > 1
    return joined


_ROLE = re.compile(
    r"\s*[,，]?\s*\b(?P<role>主持人?|嘉宾|moderator|host|chair|guest|speaker)\b\s*[,，]?\s*", re.IGNORECASE
)
_HOST_ROLES = ("主持", "moderator", "host", "chair")


def by_role(people: list[tuple[str, str | None]]) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
    """(speakers, hosts) of a speaker line's people: "乙 (Org, 主持)" moderates, "甲 (Org, 嘉宾)" speaks; the
    role word leaves the affiliation."""
    speaking: list[tuple[str, str | None]] = []
    hosting: list[tuple[str, str | None]] = []
    for name, org in people:
        role = _ROLE.search(org or "")
        is_host = False
        if role and org:
            org = (org[: role.start()] + " " + org[role.end() :]).strip(" ,，") or None
            is_host = role.group("role").lower().startswith(_HOST_ROLES)
        (hosting if is_host else speaking).append((name, org))
    return speaking, hosting


_COMMAS = re.compile(r"\s*[,，]\s*")


def _listed_name(piece: str) -> bool:
    """A piece of a comma list that is surely a person ("Jane Roe", "Kenji Tanaka (Org)", "张三"), not an
    affiliation ("Tokyo Tech")."""
    named = name_and_org(piece)
    name = clean_name(named[0] if named else piece)
    if is_chinese(name):  # "华为" is a word jieba also tags as a name: a listed word needs its (Org) after it
        return is_person(name) and (bool(named) or not in_dictionary(name))
    return is_person(name) and (bool(named) or has_name_word(name))


def _split_outside_brackets(value: str, separators: re.Pattern = SPLIT_PEOPLE) -> list[str]:
    """SPLIT_PEOPLE's pieces, not splitting inside brackets: "A (Head / Lead, Org) × B (…)" is two people."""
    depth, pieces, start = 0, [], 0
    for match in re.finditer(r"[(（\[]|[)）\]]|" + separators.pattern, value):
        token = match.group()
        if token in "(（[":
            depth += 1
        elif token in ")）]":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append(value[start : match.start()])
            start = match.end()
    return [*pieces, value[start:]]


def name_and_org(text: str) -> tuple[str, str | None] | None:
    """NAME_WITH_ORG's name and organisation; a name in the other script opening the brackets is the same
    person's: "Andrew Ng（吴恩达）", "施柏鑫（Boxin Shi，北京大学）" → ("施柏鑫 Boxin Shi", "北京大学")."""
    match = NAME_WITH_ORG.match(text)
    if not match:
        return None
    name, org = match.group("name"), match.group("org") or None
    first, *rest = re.split(r"\s*[,，;；]\s*", org or "", maxsplit=1)
    both = bilingual_name(f"{clean_name(name)} {first}") if org else None
    return (both, rest[0] if rest and rest[0] else None) if both else (name, org)


def _one_person(text: str, strict: bool) -> tuple[str, str | None] | None:
    """(name, affiliation) of a text naming one person: its part shaped like a name, the rest its affiliation."""
    org = None
    named = name_and_org(text)
    if named:
        text, org = named
    parts = [p for p in re.split(r"\s*[,，|｜]\s*|\s+[-–—]\s+", text) if p.strip()]
    for i, part in enumerate(parts):
        if is_person(part):
            rest = ", ".join(parts[:i] + parts[i + 1 :])
            return clean_name(part), org or rest or None
    for i, part in enumerate(parts):
        tokens = _NAME_RUNS.findall(part)
        found = _named_runs(tokens)
        if found:
            start, size = found
            rest = " ".join([*tokens[:start], *tokens[start + size :], *parts[:i], *parts[i + 1 :]]).strip()
            return clean_name(" ".join(tokens[start : start + size])), org or rest or None
    if strict or not parts or not clean_name(parts[0]):
        return None
    return clean_name(parts[0]), org or ", ".join(parts[1:]) or None


def _named_runs(tokens: list[str]) -> tuple[int, int] | None:
    """(start, count) of the script runs that name a person: a name in each script side by side first
    ("罗嘉文 Kevin Law 某公司"), else one run ("平安科技 柴锋")."""
    for k in range(len(tokens) - 1):
        if is_chinese(tokens[k]) != is_chinese(tokens[k + 1]) and bilingual_name(f"{tokens[k]} {tokens[k + 1]}"):
            return k, 2
    return next(((k, 1) for k, t in enumerate(tokens) if is_person(t) or is_chinese_name_shape(t)), None)


def is_name_shaped(text: str) -> bool:
    """is_person(), or two or three Chinese characters starting with a surname, or a nickname made of one
    ("小罗", "老王"), where a label says a name stands."""
    name = clean_name(text)
    return (
        is_person(text)
        or is_chinese_name_shape(name)
        or bool(re.fullmatch(r"[小老阿]\w", name) and name[1] in SURNAMES)
    )


def is_chinese_name_shape(token: str) -> bool:
    """Two or three Chinese characters starting with a common surname: a name where a label says one stands."""
    return bool(re.fullmatch(rf"[{CJK}]{{2,3}}", token)) and token[0] in SURNAMES
