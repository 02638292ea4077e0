"""Names as prose writes them: the person's name a run of capitalised words is ("Thanks Jane Roe" → Jane Roe),
and the name a Chinese construction's text ends with ("苏州大学李凡长", "首席架构师唐刘", "@沙洲", a nickname before
老师). Pure; rag.prose_speakers finds the constructions.
"""

from __future__ import annotations

import re

from .speakers import (
    HONORIFICS,
    ORG_WORDS,
    SURNAMES,
    clean_name,
    is_chinese_name,
    is_clear_person,
    is_english_word,
    is_person,
    name_words,
)
from .text import CJK, STOPWORDS, simplified, tagged_words, word_frequency

LATIN_NAME = r"[A-Z][\w’'.\-]*(?:\s+(?:[A-Z][\w’'.\-]*|van|von|de|der|da|di|le|la))*"
TITLE_WORDS = "|".join(HONORIFICS)
_HANDLE_ONLY = re.compile(rf"@(?P<handle>[\w{CJK}·.\-]{{2,20}})")
_PRONOUN = re.compile(r"[他她我你它们咱其]")
_CHINESE_TAIL = re.compile(rf"[{CJK}·]{{2,5}}$")
_LATIN_TAIL = re.compile(rf"{LATIN_NAME}$")
ONE_LATIN_NAME = re.compile(r"[A-Z][a-z]{2,15}")  # "Heikki"; not "AWS", "iOS", "Go2"
# "CEO **Dr.Lin** 介绍了…": a title says one capitalised word is a person's surname.
_TITLED_SURNAME = re.compile(r"(?:^|[\s*_])(?P<title>Dr|Prof)\.\s?(?P<surname>[A-Z][a-z]{1,15})[*_]*$")


def chinese_or_latin(text: str, one_word: bool = False) -> str | None:
    """The name a construction's text ends with: a Latin name, else a Chinese one (three or two characters that
    jieba tags as a person, or the whole text when it is two or three characters starting with a surname),
    skipping an organisation glued before it ("苏州大学李凡长"). With `one_word`, Chinese prose's way of naming
    a foreign speaker by one name ("Heikki 发起的这场讨论") counts too."""
    text = re.sub(r"\s+", " ", text).strip(" ，,")
    if handle := _HANDLE_ONLY.fullmatch(text):
        return handle.group("handle")  # "第二场是 @沙洲 分享的": the writer names the speaker by their handle
    if titled := _TITLED_SURNAME.search(text):
        return f"{titled['title']}. {titled['surname']}"
    latin = _LATIN_TAIL.search(re.split(rf"[{CJK}]", text)[-1])  # "基金会执行董事Jim Zemlin": after the Chinese
    if latin and (name := latin_name(latin.group())):
        return name
    if one_word and ONE_LATIN_NAME.fullmatch(text) and not (is_english_word(text) or ORG_WORDS.search(text)):
        return text
    tail = _CHINESE_TAIL.search(text)
    if not tail:
        return None
    run = tail.group()
    if _PRONOUN.search(run):
        return None  # "从他的演讲中": he, not a person called 从他
    # The construction delimits it ("是南京大学的高阳老师", "然后是 仲超 同学"), or a Latin role before it does
    # ("SIG Maintainer 翟康宁分享了…"; not "AWS 高级带来了…", a common word).
    after_latin = run != text and not _CHINESE_TAIL.match(text[-len(run) - 1]) and not _one_common_word(run)
    plain = simplified(run)  # 陳怡靜: the surname and the name in simplified script
    if (run == text or after_latin) and len(run) <= 3 and plain[0] in SURNAMES and not is_common(plain):  # not 项目
        return run
    role = _ROLE_BEFORE_NAME.search(plain)  # "首席架构师唐刘": a role glued before the name
    if role and plain[role.end()] in SURNAMES:
        return run[role.end() :]
    return next((run[-size:] for size in (3, 2) if len(run) >= size and is_chinese_name(plain[-size:])), None)


_ROLE_BEFORE_NAME = re.compile(
    rf"(?:工程师|副?教授|研究员|博士|创始人|总监|负责人|专家|架构师|经理|主任|主管|顾问|总裁|董事长|合伙人|讲师|设计师"
    rf"|分析师|科学家|院长|所长|主席)(?=[{CJK}]{{2,3}}$)"
)
_TITLED = re.compile(rf"\s*(?:{TITLE_WORDS})")
_NICKNAME_MAX_COUNT = 500  # jieba's count: 星河 (66) or 老王 may be a nickname, 班主任 (526) or 数学 a role
_NICKNAME_TAGS = ("n", "ng", "j", "x")  # a noun or unknown word; not a place (新加坡同学), a pronoun (这位), a verb


def is_common(word: str) -> bool:
    return word_frequency(word) >= _NICKNAME_MAX_COUNT


def _one_common_word(run: str) -> bool:
    """ "高级", "高性能": one word of jieba's that it does not tag as a person's name."""
    words = tagged_words(run)
    return len(words) == 1 and not words[0][1].startswith("nr")


def titled_nickname(text: str, after: str) -> str | None:
    """ "青柚老师带来的话题", "接下来是星河老师的分享": two or three characters a title word follows are what the
    writer calls the speaker, a nickname no surname starts; not a place ("来自新加坡同学的"), a pronoun or a
    common word ("数学老师的报告")."""
    if not _TITLED.match(after) or not (tail := _CHINESE_TAIL.search(text.strip())):
        return None
    words = tagged_words(tail.group())
    word, flag = words[-1] if words else ("", "")
    tagged_as_name = flag in _NICKNAME_TAGS or flag.startswith("nr")
    return (
        word if 2 <= len(word) <= 3 and tagged_as_name and not is_common(word) and not _PRONOUN.search(word) else None
    )


_ROLE_SUFFIX = re.compile(r"(?:er|ist|ista|ian|ie)$")


def _role_word(word: str) -> bool:
    """A word before a name that is not theirs: an English word ("Then"), or one naming what someone is
    ("GitHubber", "Hubber", "Rubyist")."""
    lower = word.lower()
    if lower in name_words():
        return False
    return (
        lower in STOPWORDS
        or is_english_word(lower)
        or any(c.isupper() for c in word[1:])
        or bool(_ROLE_SUFFIX.search(lower))
    )


def latin_name(text: str) -> str | None:
    """A person's name from a run of capitalised words, without ordinary words leading it ("Thanks Jane Roe")."""
    words = text.split()
    known = name_words()
    while len(words) > 2 and is_english_word(words[0]) and words[0].lower() not in known:
        words = words[1:]
    # "GitHubber Jane Roe": a role word before a clear first-and-last name is who they are ("Yeray Díaz Díaz"
    # keeps his first name).
    if len(words) == 3 and _role_word(words[0]) and is_clear_person(" ".join(words[1:])):
        words = words[1:]
    name = " ".join(words)
    return clean_name(name) if 2 <= len(words) <= 4 and is_person(name) else None
