"""Where the notes name a person: so a person named only in the prose is no stranger, and only the
sections that name them answer a question about them."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .text import STOPWORDS, is_chinese, name_aliases, name_parts, normalize_for_names, split_sentences
from .types import Chunk

MIN_SURNAME_LETTERS = 4  # "Bengio" alone names Samy Bengio; "Li" or "He" alone names nobody
# A sentence that has the person give a talk: "Jane Roe talked about…", "- Spectre - by Jane Roe", "张三分享了…".
_GAVE_TALK = re.compile(
    r"\b(?:talk(?:s|ed)?|keynote|lecture|session|present(?:s|ed|ing|ation)?|spoke|speaks?|discuss(?:es|ed)?|gave"
    r"|demo(?:s|ed)?|workshop|by)\b|讲|分享|报告|演讲|介绍|发言|主讲|讲座|带来|主持",
    re.IGNORECASE,
)


class Mentions:
    """The notes' text in the form name aliases use (lower case, single spaces), one entry per chunk."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self._texts = [normalize_for_names(c.search_text) for c in chunks]
        self._raw = [c.search_text.lower() for c in chunks]
        self._chunks = chunks
        self._find = lru_cache(maxsize=256)(self._first_form)
        self._masks = lru_cache(maxsize=256)(self._mask)

    def find(self, name: str) -> str | None:
        """The form of the name the notes write (an alias of it), or None when no note names the person."""
        return self._find(name)

    def mask(self, name: str) -> np.ndarray:
        """Boolean mask of the chunks that name the person in any form (kept for the next question)."""
        return self._masks(name).copy()

    def gave_talk(self, name: str) -> bool:
        """Whether a sentence naming the person has them give a talk, so "what did X talk about?" has an
        answer; a person only quoted or thanked gave none."""
        forms = self._forms(name)
        for i in np.flatnonzero(self._masks(name)):
            for sentence in split_sentences(self._chunks[i].text):
                spaced, raw = normalize_for_names(sentence), sentence.lower()
                named = [form for form in forms if _contains(spaced, raw, form)]
                if named and (_GAVE_TALK.search(sentence) or any(_after_dash(raw, form) for form in named)):
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

    @staticmethod
    def _forms(name: str) -> list[str]:
        """Full aliases first; then, for a Latin name of several words (or the Latin part of "李秉骏 Cash Lee"),
        its surname or given name alone."""
        forms = sorted(name_aliases(name), key=len, reverse=True)
        for part in name_parts(name):
            words = part.lower().replace("-", " ").split()
            if not is_chinese(part) and len(words) >= 2:
                forms += [w for w in (words[-1], words[0]) if len(w) >= MIN_SURNAME_LETTERS and w not in STOPWORDS]
        return forms


def _after_dash(raw: str, form: str) -> bool:
    """ "vw + vh === vnice - Craig Sharkie, …": a name after a title and a dash is the title's speaker."""
    return re.search(rf"\s[-–—]+\s*{re.escape(form)}\b", raw) is not None


def _contains(spaced: str, raw: str, form: str) -> bool:
    if is_chinese(form):
        return form in raw
    return f" {form} " in spaced
