"""Where the notes name a person: so a person named only in the prose is no stranger, and only the
sections that name them answer a question about them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from .name_forms import name_aliases, name_parts, normalize_for_names
from .pinyin_names import PINYIN_SYLLABLE
from .speakers import is_chinese_name_shape
from .text import STOPWORDS, is_chinese, simplified
from .types import Chunk

MIN_SURNAME_LETTERS = 4  # "Bengio" alone names Samy Bengio; "Li" or "He" alone names nobody
# Words right after a person's name that have them give a talk: "Jane Roe talked about…", "张三分享了…",
# "李四老师的报告"; or right before it: "a talk by Jane Roe", "- Spectre - by Jane Roe", "vw + vh - Craig
# Sharkie, …" (not "questions by Jane Roe"); a bracketed aside may come between ("Steve Klabnik （共筆）帶來的 talk").
_GIVES_TALK = (
    r"(?:\s*[(（][^()（）]{0,30}[)）])?\s*(?:老师|教授|博士)?\s*的?\s*(?:talk(?:s|ed)?|present(?:s|ed|ing)?|spoke|speaks|discuss(?:es|ed)|gave|"
    r"demo(?:s|ed)?|keynote|lecture|session|讲|分享|报告|演讲|介绍|发言|主讲|讲座|带来|主持)"
)
# Later in the same sentence: "熊凯就海量数据库的发展历程…发表相关演讲", "田文罡主要为大家介绍了…".
_PRESENTS_LATER_ZH = (
    r"[^。！？!?；;\n]{0,40}?(?:介绍了|分享了|讲解了|演示了|讲述了|阐述了|发表[^。！？]{0,8}?(?:演讲|报告))"
)
_BEFORE_A_SPEAKER = (
    r"(?:(?:\b(?:talk|keynote|session|presentation|lecture|tutorial|workshop)s?\s+|[-–—:)\"”’]\s*|^)by|\s[-–—]+)\s*"
)


class Mentions:
    """The notes' text in the form name aliases use (lower case, single spaces), one entry per chunk."""

    def __init__(self, chunks: list[Chunk], spelled: Callable[[str], tuple[str, ...]] = lambda pinyin: ()) -> None:
        """`spelled`: the notes' Chinese words a run of pinyin spells ("chenjunting" → 陈俊挺), so a question
        writing a Chinese name the notes only mention in passing in pinyin finds it (Vocabulary.spelled)."""
        # In simplified script, as the forms are: "Zhuo Zhiyuan" spells 卓致远 where a note writes 卓致遠.
        self._raw = [simplified(c.search_text).lower() for c in chunks]
        self._texts = [normalize_for_names(text) for text in self._raw]
        self._chunks = chunks
        self._spelled = spelled
        self._find = lru_cache(maxsize=256)(self._first_form)
        self._masks = lru_cache(maxsize=256)(self._mask)

    def find(self, name: str) -> str | None:
        """The form of the name the notes write (an alias of it), or None when no note names the person."""
        return self._find(name)

    def mask(self, name: str) -> np.ndarray:
        """Boolean mask of the chunks that name the person in any form (kept for the next question)."""
        return self._masks(name).copy()

    def gave_talk(self, name: str) -> bool:
        """Whether the notes have the person give a talk (a verb of giving one right after their name or, in
        Chinese, later in the sentence; "by" or a title's dash right before it), so "what did X talk about?"
        has an answer; a person only quoted, thanked or asking questions gave none."""
        forms = self._forms(name)
        for i in np.flatnonzero(self._masks(name)):
            raw = " ".join(simplified(self._chunks[i].text).lower().split())
            for form in forms:
                written = re.escape(form).replace(r"\ ", r"[\s\-]+")
                written = written if is_chinese(form) else rf"(?<![a-z0-9]){written}(?![a-z0-9])"
                if re.search(rf"{_BEFORE_A_SPEAKER}{written}|{written}{_GIVES_TALK}", raw):
                    return True
                if is_chinese(form) and re.search(rf"{written}{_PRESENTS_LATER_ZH}", raw):
                    return True
        return False

    def _mask(self, name: str) -> np.ndarray:
        forms = self._forms(name)
        return np.array(
            [any(_contains(t, r, form) for form in forms) for t, r in zip(self._texts, self._raw, strict=True)]
        )

    def _first_form(self, name: str) -> str | None:
        for form in self._forms(name):
            if any(_contains(t, r, form) for t, r in zip(self._texts, self._raw, strict=True)):
                return form
        return None

    def _forms(self, name: str) -> list[str]:
        """Full aliases first; then a Chinese name the Latin one spells in pinyin, either way round ("Chen
        Junting", "Junting Chen": 陈俊挺; "Shazhou": 沙洲; not 展示区 for "Zhan Shiqu"); then, for a Latin name of several words
        (or the Latin part of "李秉骏 Cash Lee"), its surname or given name alone, unless it is one syllable of
        pinyin ("Zhao" of Hank Zhao)."""
        forms = sorted(dict.fromkeys(simplified(form) for form in name_aliases(name)), key=len, reverse=True)
        words = normalize_for_names(name).split()
        if 1 <= len(words) <= 3 and all(w.isascii() and w.isalpha() for w in words) and len(name) >= 5:
            for order in (words, words[-1:] + words[:-1]):
                forms += [w for w in self._spelled("".join(order)) if is_chinese_name_shape(w)]
        for part in name_parts(name):
            words = part.lower().replace("-", " ").split()
            if not is_chinese(part) and len(words) >= 2:
                forms += [
                    w
                    for w in (words[-1], words[0])
                    if len(w) >= MIN_SURNAME_LETTERS and w not in STOPWORDS and not PINYIN_SYLLABLE.fullmatch(w)
                ]
        return forms


def _contains(spaced: str, raw: str, form: str) -> bool:
    if is_chinese(form):
        return form in raw
    return f" {form} " in spaced
