"""Chinese names written in pinyin ("Bin Yu", "Lin Gen"): one syllable, a word of one or two, and the readings
of the common surnames. Pure."""

from __future__ import annotations

import re
from functools import lru_cache

from .glossary import is_english_word

# The hundred commonest surnames, most common first; their pinyin spells a surname in "Bin Yu".
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤颜兰翁柴岳施樊"
)
# One syllable of pinyin ("Zhao", "Wang", "Zhang"), toneless.
PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua|uo|ue|ui|a|e|i|o|u|v)"
)
_PINYIN_WORD = re.compile(rf"(?:{PINYIN_SYLLABLE.pattern}){{1,2}}")


@lru_cache(maxsize=1)
def _pinyin_surnames() -> frozenset[str]:
    from pypinyin import Style, lazy_pinyin

    return frozenset(lazy_pinyin(COMMON_SURNAMES, style=Style.NORMAL))


def pinyin_name(words: list[str]) -> bool:
    """A Chinese name written in pinyin: two or three capitalised words of one or two syllables, a common
    surname first or last, and not all of them English words ("Bin Yu", "Lin Gen"; not "Long Tan")."""
    lower = [w.lower() for w in words]
    return (
        2 <= len(words) <= 3
        and all(word[:1].isupper() and _PINYIN_WORD.fullmatch(low) for word, low in zip(words, lower, strict=True))
        and bool({lower[0], lower[-1]} & _pinyin_surnames())
        and not all(is_english_word(w) for w in lower)
    )
