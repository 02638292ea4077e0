"""Query analysis: who a question names, whether it asks for a whole talk (see rag.question_kinds), and the
topic left.

A person the question names is one of three things: someone the notes give a section to (a speaker,
panelist, moderator: the search keeps to their sections), someone the notes only mention (a must-have
keyword: the search keeps to the sections that name them), or a stranger (the answer says the notes have
no talk by them). Pure: text in, Query out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from .glossary import dictionary_things
from .heading_rules import COMMON_WORD
from .name_forms import all_aliases, fold_accents, name_aliases, name_parts, normalize_for_names, one_edit_apart
from .question_kinds import OVERVIEW_WORDS, is_overview, summarizes_talk
from .speakers import SURNAMES, first_name_first, is_clear_person
from .text import CJK, STOPWORDS, cut_words, is_chinese, mostly_chinese, person_pieces, word_frequency
from .types import Query

# "What did Geoffrey Hinton say …", "according to Fei-Fei Li", "Jeff Dean's talk", "the keynote by X".
_NAME_EN = r"(?P<who>[A-Z][\w.\-'’]*(?:\s+(?:[A-Z][\w.\-'’]*|van|von|de|der|da|di|le|la)){0,3})"
_ASKED_PERSON_EN = (
    re.compile(
        r"\b(?:what|how|did|does|do|has|have|why|where|when)\s+(?:did|does|do|has|have)?\s*" + _NAME_EN + r"\s+"
        r"(?:say|said|think|talk|present|discuss|mention|propose|claim|explain|cover|speak|argue|recommend|suggest)"
    ),
    re.compile(r"\baccording to\s+" + _NAME_EN),
    re.compile(
        _NAME_EN + r"['’]s?\s+(?:talk|view|views|keynote|presentation|lecture|work|opinion|ideas?|session|slides"
        r"|points?|take|advice|remarks?|panel|answer|thoughts?|claim|argument)\b"
    ),
    re.compile(r"\b(?:talk|keynote|lecture|presentation|session|panel|remarks?)\s+(?:by|of|from)\s+" + _NAME_EN),
    re.compile(r"^\s*(?:did|does|has)\s+" + _NAME_EN + r"\s+(?:mention|talk|say|discuss|cover|present)"),
    # "Dauphin et al.", "Dauphin 等人的论文": the authors of a paper the notes cite.
    re.compile(_NAME_EN + r"\s*(?:et\s+al\b|等人)"),
)
# "Who is Chen Junting and…": two or more capitalised words that are clearly a name ("Who is Google Cloud Next
# for" names no one).
_WHO_IS_NAMED = re.compile(r"\b[Ww]ho\s+(?:is|was)\s+(?P<who>[A-Z][\w.\-'’]*(?:\s+[A-Z][\w.\-'’]*){1,3})\b(?!['’])")
# "Linus Torvalds 对 Git 有什么看法", "Kate Gregory 讲了什么": a Latin name before a Chinese verb of saying; a
# product stands there as often ("Spring Boot 在容器里…"), so the words must be a person's name.
_LATIN_NAME_ZH = re.compile(
    r"(?P<who>[A-Z][\w.\-'’]*(?:\s+[A-Z][\w.\-'’]*){1,3})\s*(?:老师|教授|博士|先生|女士)?\s*(?:都|还|又|也)?"
    r"(?:说|讲|谈|提到|认为|介绍|报告|分享|主持|关于|在|对|怎么看|如何看|的报告|的演讲|的分享|的讲座|的观点|的看法)"
)
# The verb after a Chinese name: "李飞飞说", "何恺明关于…说", "张祥雨在报告里提到".
_ASKED_PERSON_ZH = re.compile(
    rf"(?P<who>[{CJK}]{{2,4}}?)(?:老师|教授|博士|先生|女士|院士)?(?:都|还|又|也)?"
    r"(?:说|讲|谈|提到|认为|介绍|报告|分享|主持|关于|在|对|的报告|的演讲|的分享|等人)"
)
# Characters of question words and particles, never of a name: "沙龙里是谁分享了" names no one "龙里是谁".
_NOT_IN_NAMES = re.compile(r"[谁什么哪是的了吗呢吧和与及里这那些个]")
_REQUESTS = frozenset("explain summarize summarise describe tell give list show compare define please".split())
HONORIFICS_ZH = ("老师", "教授", "博士", "先生", "女士", "院士", "研究员")
_HONORIFIC_EN = re.compile(r"\b(?:prof(?:essor)?|dr|mr|mrs|ms|sir)\b\.?\s*", re.IGNORECASE)
_TITLED_SURNAME = re.compile(r"\b(?i:prof(?:essor)?|dr|mr|mrs|ms)\.?\s+(?P<surname>[A-Z][a-z]+)\b")
_DEMONSTRATIVE = re.compile(r"^[这那哪该此][本个位场篇次些种部份段项张条门节堂届]")
_PRONOUNS = frozenset(
    "he she they him her it i you we his hers this that the notes what who which how why speaker speakers "
    "他 她 他们 她们 你 我 它 讲者 报告 演讲 这位 那位".split()
)
# Common Chinese surnames: a Chinese name the question names is taken for a person only when it starts with one.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤颜兰翁柴岳施樊"
    "欧司上诸葛乔蒙聂庞章鲁伍殷"
)


class Roster:
    """The people of an index, looked up by any way a question writes them.

    Full aliases (冯佳时, feng jiashi, jiashi feng) of every person come first; looser ones (a Latin surname
    or given name alone, written capitalised; 韩老师 for 韩松) count only when they point at one person.
    The lookup costs as much with ten thousand people as with ten: the question's word runs and Chinese
    substrings are looked up in dictionaries.
    """

    def __init__(self, people: Iterable[str]) -> None:
        self.names = sorted(set(people), key=lambda name: (-len(name), name))  # the same order in every process
        self.words: dict[str, tuple[int, int]] = {}  # alias → (name rank, alias rank); the first one kept
        self.chinese: dict[str, tuple[int, int]] = {}
        self.odd: list[tuple[str, tuple[int, int]]] = []  # aliases not single-spaced: matched one by one
        self.aliases = all_aliases(self.names)
        for n, aliases in enumerate(self.aliases):
            for a, alias in enumerate(aliases):
                if is_chinese(alias):
                    self.chinese.setdefault(alias, (n, a))
                if alias and alias == " ".join(alias.split()):
                    self.words.setdefault(alias, (n, a))
                else:
                    self.odd.append((alias, (n, a)))
        # The aliases of people written in Latin letters ("bin yu", "yu bin"), for a question writing them in Chinese.
        self.latin_words = {alias: rank for alias, rank in self.words.items() if not is_chinese(self.names[rank[0]])}
        self.loose = _loose_aliases(self.names)
        self.titled = _titled_surnames(self.names, self.aliases)
        # How many of the people's Chinese names start with each surname: "张老师" of two 张s is no stranger.
        self.surnames = Counter(part[0] for name in self.names for part in name_parts(name) if is_chinese(part))
        self.most_words = max((alias.count(" ") + 1 for alias in self.words), default=0)
        self.chinese_lengths = sorted({len(alias) for alias in self.chinese})

    def find(self, question: str) -> tuple[str, str] | None:
        """(person, the alias as matched) of the person the question names, or None."""
        return self.exact(question) or self._loosely(question) or self._by_reading(question)

    def _by_reading(self, question: str) -> tuple[str, str] | None:
        """A Chinese name in the question whose pinyin is a person the notes write in Latin letters ("郁彬" for
        "Bin Yu"): two or three characters where the tagger sees a name, opening on a surname that no common word
        spells. Only such questions pay for the pinyin."""
        latin = self.latin_words
        starts = sorted({start for _, start, _ in person_pieces(question)}) if latin else []
        for start, size in ((start, size) for start in starts for size in (3, 2)):
            name = question[start : start + size]
            if len(name) < size or not re.fullmatch(f"[{CJK}]+", name) or name[0] not in SURNAMES:
                continue
            if word_frequency(name) < COMMON_WORD and (ranks := [latin[a] for a in name_aliases(name) if a in latin]):
                return self.names[min(ranks)[0]], name
        return None

    def exact(self, question: str) -> tuple[str, str] | None:
        """The person a full alias names: longest names first, each name's longest alias first."""
        spaced = normalize_for_names(question)
        words = spaced.split()
        runs = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, i + 1 + self.most_words))
        ranks = [self.words.get(run) for run in runs]
        ranks += [self.chinese.get(question[i : i + n]) for n in self.chinese_lengths for i in range(len(question))]
        ranks += [rank for alias, rank in self.odd if f" {alias} " in spaced]
        best = min((rank for rank in ranks if rank is not None), default=None)
        return None if best is None else (self.names[best[0]], self.aliases[best[0]][best[1]])

    def _loosely(self, question: str) -> tuple[str, str] | None:
        for match in _TITLED_SURNAME.finditer(question):
            name = self.titled.get(match.group("surname").lower())
            if name:
                return name, match.group(0)
        for alias, name in self.loose.items():
            if is_chinese(alias) and alias in question:
                return name, alias
            if not is_chinese(alias) and re.search(rf"\b{re.escape(alias.capitalize())}\b", question):
                run = _name_run(question, name, alias)
                beside = _names_beside(question, run)
                misspelt = [m for m in beside if _misspells(m.group(1), name)]
                if len(misspelt) == len(beside):  # "Pavan Balaji" for the notes' "Pavan Balaj": one name
                    return name, _joined(question, run, misspelt)
        return None


_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)[\s.]+$")
_WORD_AFTER = re.compile(r"[\s.]+([A-Z][a-z]+)\b")


def _names_beside(question: str, run: str) -> list[re.Match]:
    """The capitalised words right before and after the name in the question, bar question words: "Tom Lane" is
    not Tom Wilkie, "Dan North" not Dan Kohn."""
    at = question.find(run)
    before = _WORD_BEFORE.search(question[:at]) if at >= 0 else None
    after = _WORD_AFTER.match(question, at + len(run)) if at >= 0 else None
    return [
        m for m in (before, after) if m and m.group(1).lower() not in STOPWORDS and m.group(1).lower() not in _REQUESTS
    ]


def _misspells(word: str, name: str) -> bool:
    """A word one letter from a word of the name, four letters or more: "Balaji" for "Balaj"."""
    return len(word) >= 4 and any(
        len(part) >= 4 and one_edit_apart(word.lower(), part.lower()) for part in name.split()
    )


def _joined(question: str, run: str, beside: list[re.Match]) -> str:
    """The run of the question from the first to the last of the name and the words beside it."""
    at = question.find(run)
    start = min([at, *(m.start(1) for m in beside)])
    end = max([at + len(run), *(m.end(1) for m in beside)])
    return question[start:end]


def _name_run(question: str, name: str, alias: str) -> str:
    """The words of the question around a loose alias that belong to the same name ("Karen Sandler" for
    "Karen M. Sandler"), so the whole name leaves the topic, not one of its words."""
    words = "|".join(re.escape(w) for w in sorted(set(re.findall(r"[^\W\d_]+", name)), key=len, reverse=True))
    for match in re.finditer(rf"\b(?:{words})\b(?:[\s.\-]+\b(?:{words})\b)*", question, re.IGNORECASE):
        if alias in match.group(0).lower().split():
            return match.group(0)
    return alias


def _loose_aliases(names: list[str]) -> dict[str, str]:
    """Surname-only and given-name-only forms that point at exactly one person: alias → person (each part
    of "李秉骏 Cash Lee" gives its own: 李老师, cash, lee)."""
    owners: dict[str, set[str]] = {}
    for name, part in ((person, part) for person in names for part in name_parts(person)):
        if is_chinese(part):
            forms = {part[0] + honorific for honorific in HONORIFICS_ZH} if len(part) in (2, 3, 4) else set()
        else:
            words = [w for w in part.lower().replace("-", " ").split() if len(w) >= 3 and w.isalpha()]
            forms = set(words) if len(words) >= 2 else set()
        for form in forms - STOPWORDS:
            owners.setdefault(form, set()).add(name)
    # Longest forms first, in a fixed order: a question holding two of them ("Karen Sandler") reads the same
    # in every process.
    return {
        form: next(iter(who)) for form, who in sorted(owners.items(), key=lambda f: (-len(f[0]), f[0])) if len(who) == 1
    }


def _titled_surnames(names: list[str], aliases: list[list[str]]) -> dict[str, str]:
    """Latin surnames ("Prof. Han" for 韩松, "Dr. Sandler") that point at exactly one person."""
    owners: dict[str, set[str]] = {}
    for name, forms in zip(names, aliases, strict=True):
        surnames: set[str] = set()
        for part in name_parts(name):  # "李秉骏 Cash Lee": Li from the Chinese part, Lee from the Latin one
            if is_chinese(part):
                # "wang jingdong" spells surname first: run together it is another alias, "wangjingdong".
                joined = {form for form in forms if form.isascii() and " " not in form}
                # Every reading of the surname counts (曾 is zeng or ceng): a question writes one of them.
                surnames |= {f.split()[0] for f in forms if f.count(" ") == 1 and f.replace(" ", "") in joined}
            elif len(words := part.lower().replace("-", " ").split()) >= 2:
                surnames.add(words[-1])
        for surname in surnames:
            if surname.isalpha():
                owners.setdefault(surname, set()).add(name)
    return {surname: next(iter(who)) for surname, who in owners.items() if len(who) == 1}


@lru_cache(maxsize=16)
def roster(people: tuple[str, ...]) -> Roster:
    return Roster(people)


def analyze(
    question: str,
    people: Iterable[str],
    vocabulary: frozenset[str] = frozenset(),
    in_notes: Callable[[str], str | None] | None = None,
) -> Query:
    """How a question is read: the person it names and what that person is to the notes, whether it
    asks for a whole talk, and its topic once the name is removed.

    Args:
        question: the user's question.
        people: everyone the index names as giving a section (speakers, panelists).
        vocabulary: words of the notes (lower-cased); a "X说了什么" whose X is a note term is no person.
        in_notes: callable(name) → the form the notes' text writes the name in, or None when no note
            names them. Without it, a person who is not in `people` is a stranger.
    """
    known = roster(tuple(sorted(set(people))))
    found = known.find(question)
    if found:
        person, alias = found
        topic = remove_name(question, alias)
        overview = is_overview(topic) or summarizes_talk(topic)
        return Query(question, topic, speaker=person, language=language_of(topic), overview=overview)
    candidate = asked_person(question, vocabulary)
    if candidate and _shared_surname(candidate, known):
        return Query(question, question, language=language_of(question))  # "张老师" of two 张s: no stranger
    if candidate:
        topic = remove_name(question, candidate)
        if in_notes and in_notes(candidate):
            return Query(question, topic, mentioned=candidate, language=language_of(topic), overview=is_overview(topic))
        if candidate.lower() not in vocabulary:
            return Query(question, topic, unknown_person=candidate, language=language_of(topic))
    return Query(question, question, language=language_of(question))


def _shared_surname(asked: str, known: Roster) -> bool:
    """A surname with a title ("张老师", "李教授") that two or more of the notes' speakers share: someone the
    notes have, though the question does not say which."""
    titled = is_chinese(asked) and len(asked) >= 2 and asked[1:] in HONORIFICS_ZH
    return titled and known.surnames[asked[0]] >= 2


_LATIN_TERM = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9+#]*(?:[.\-][A-Za-z0-9+#]+)*")


_GLOSSED = re.compile(rf"\s*[（(][^()（）]*[{CJK}]")


def named_terms(topic: str) -> list[str]:
    """The terms a question names that a note must contain to answer it: in a Chinese question every Latin
    word ("Zotero 怎么导入文献"), in an English one a capitalised or mixed word past the first ("How does
    Raft elect a leader", "RLHF", "K8s"); question words, requests and stopwords are none."""
    chinese = mostly_chinese(topic)
    terms = []
    for n, match in enumerate(_LATIN_TERM.finditer(topic)):
        word = match.group()
        lower = word.lower()
        if len(word) < 2 or lower in STOPWORDS or lower in _REQUESTS or lower in OVERVIEW_WORDS:
            continue
        if _GLOSSED.match(topic, match.end()):
            continue  # "MiraclePlus (奇绩创坛)": the Chinese in brackets is the name the notes may write
        if chinese or is_shaped_term(word) or (word[0].isupper() and n > 0):
            terms.append(word)
    return terms


def is_shaped_term(word: str) -> bool:
    """Written as a name of a thing is: capitals past the first letter or digits ("RLHF", "GraphQL", "K8s")."""
    return any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)


def language_of(text: str) -> str:
    """ "zh" when the text (without the person's name) is Chinese, else "en": the answer's language."""
    return "zh" if mostly_chinese(text) else "en"


def remove_name(question: str, alias: str) -> str:
    """The question without the name (and a title or honorific around it)."""
    if is_chinese(alias):
        pattern = re.escape(alias) + "(?:['’]s\\b|" + "|".join(HONORIFICS_ZH) + ")?"
        return " ".join(re.sub(pattern, " ", question).split())
    words = r"[\s\-'’.]+".join(re.escape(w) for w in fold_accents(alias).split())
    titles_zh = "|".join(HONORIFICS_ZH)  # "Canziani 老师讲了什么": the title goes with the name
    written = re.compile(rf"(?:{_HONORIFIC_EN.pattern})?{words}(?:['’]s|\s*(?:{titles_zh}))?", re.IGNORECASE)
    # Found in the question without accents (aliases have none: "jiri pinkas"), cut from it as written.
    pieces, last = [], 0
    for match in written.finditer(fold_accents(question)):
        pieces.append(question[last : match.start()])
        last = match.end()
    return " ".join(" ".join([*pieces, question[last:]]).split())


def asked_person(question: str, vocabulary: frozenset[str] = frozenset()) -> str | None:
    """A name the question asks about, in English or Chinese; None when it names no one."""
    for pattern in _ASKED_PERSON_EN:
        for match in pattern.finditer(question):
            who = _drop_leading_verbs(_HONORIFIC_EN.sub("", match.group("who")).strip(" .'’"))
            first = who.split()[0].lower() if who else ""
            owner = re.search(r"['’]s$", who)  # "the talk by Elm's creator": Elm is what they made, not who
            if who and first not in _PRONOUNS and who.lower() not in STOPWORDS and not owner:
                return who
    who_is = _WHO_IS_NAMED.search(question)
    if who_is and is_clear_person(who_is.group("who")):
        return who_is.group("who")
    for match in _LATIN_NAME_ZH.finditer(question):
        if is_clear_person(match.group("who")) or first_name_first(match.group("who")):
            return match.group("who")
    for who in _chinese_names(question):
        # Not "那本书讲的是什么" (that book; 那 is a surname too), nor a dictionary word such as 谷歌.
        ordinary = who in _PRONOUNS or who.lower() in vocabulary or who in dictionary_things()
        if not ordinary and not _DEMONSTRATIVE.match(who):
            return who
    return None


def _drop_leading_verbs(who: str) -> str:
    """ "Explain MobileNeXt" → "MobileNeXt": a capitalised first word of a request is no part of a name."""
    words = who.split()
    while words and (words[0].lower() in STOPWORDS or words[0].lower() in _REQUESTS):
        words.pop(0)
    return " ".join(words)


def _chinese_names(question: str) -> list[str]:
    """Chinese person names in a question: jieba's person tags (of any surname: 尤雨溪), then a name right
    before a verb of saying (of a common surname: the words before 说 are a name less often)."""
    pieces = person_pieces(question)
    names = [w for w, _, foreign in pieces if not foreign and 2 <= len(w) <= 4 and _surname_first(w)]
    foreign = [(start, start + len(w)) for w, start, is_foreign in pieces if is_foreign]
    for match in _ASKED_PERSON_ZH.finditer(question):
        who = match.group("who")
        # Trim leading question words ("那么李飞飞说了什么") to the surname.
        start = next((i for i, ch in enumerate(who) if ch in _SURNAMES), None)
        if start is None or not 2 <= len(who) - start <= 4 or _NOT_IN_NAMES.search(who[start:]):
            continue
        at = match.start("who") + start
        # Not a piece of 霍普克罗夫特, nor the end of a word ("工程师在…" names no 程师).
        if at in _word_starts(question) and not any(a < match.end("who") and at < b for a, b in foreign):
            names.append(who[start:])
    return [_strip_honorific(n) for n in names]


def _word_starts(text: str) -> set[int]:
    """Where jieba's words begin in the text."""
    starts, at = set(), 0
    for word in cut_words(text):
        found = text.find(word, at)
        if found >= 0:
            starts.add(found)
            at = found + len(word)
    return starts


def _surname_first(word: str) -> bool:
    """A common surname first, or a rarer one ("尤") in a name of two or three characters that is no common
    word ("沙龙" is one; jieba tags "全文索引" a name too)."""
    if word[0] in _SURNAMES:
        return True
    return word[0] in SURNAMES and len(word) <= 3 and word_frequency(word) < COMMON_WORD


def _strip_honorific(name: str) -> str:
    for honorific in HONORIFICS_ZH:
        if name.endswith(honorific) and len(name) > len(honorific) + 1:
            return name[: -len(honorific)]
    return name
