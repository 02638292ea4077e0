"""Pure text helpers: normalization, tokenization for BM25, sentence splitting, languages."""

from __future__ import annotations

import io
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import IO

import jieba
import opencc

from .cachefiles import cached_bytes

jieba.setLogLevel(logging.WARNING)

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_WORDISH = re.compile(rf"[{CJK}]|[A-Za-z0-9]")
# Sentence ends: Chinese 。！？；…, English .!?; followed by space or end (so "v2.0" stays whole), and not a
# period after a number ("3. Rethinking …" is a numbered heading, not two sentences) or an initial ("David R.
# Maciver"); a question quoted inside a sentence goes on ('titled "Why?" presented by Rafael').
_SENTENCE_END = re.compile(
    r"(?<=[。！？；…])|(?<=[!?])(?![\"”’'」)]*\s+[a-z])|(?<=[^\d][.;])(?<!(?<![A-Za-z])[A-Z]\.)(?=\s|$)"
)

STOPWORDS = frozenset(
    """
    a an the of to in on at for and or but is are was were be been being do does did done
    what which who whom whose how why when where that this these those it its he she they him her
    them his their about say says said saying talk talked talks tell told mention mentioned
    explain explained discuss discussed present presented think thought speak spoke give gives gave given
    with from by as into than then so if not no yes can could would should will shall may might according
    there here any some all also else more most other me my we our you your i
    wat wut waht whta wht wich whcih hwo whats
    的 了 是 在 和 与 及 或 也 都 就 而 有 对 把 被 让 给 从 到 为 以 中 上 下 这 那 其
    吗 呢 吧 啊 什么 哪 哪些 哪个 哪里 哪儿 怎么 怎样 如何 为什么 为何 关于 有关 讲 讲了 说 说了 谈 谈到 提到 介绍 认为
    他 她 它 他们 她们 我们 你们 一下 一些 还 又 再 请 问 哪家 哪位 哪种 一场 想 比如 例如 譬如 比方说
    谁 啥 咋 那场 这场 哪场 那次 这次 那些 这些 几个 哪几个 一个 每个 哪句 这门 那门 那位 这位 summarize summarise overall
    """.split()
)

_PUNCT_ONLY = re.compile(rf"^[^\w{CJK}]+$")
# A Latin term written with inner marks: "non-local", "R(2+1)D", "ResNet-50", "ViT-B/16", "C++".
_COMPOUND = re.compile(r"[a-z0-9+#()\-/.]*[a-z][a-z0-9+#()\-/.]*")
_COMPOUND_MARKS = re.compile(r"[^a-z0-9]+")
_TO_SIMPLIFIED = threading.local()  # an OpenCC converter is not documented as thread-safe: one per thread


def normalize_text(text: str) -> str:
    """The form every text is tokenized in: NFKC (full-width ｓｈｏｒｔｃｕｔ，→ shortcut,), simplified Chinese
    (時空 → 时空, OpenCC's dictionaries from its wheel), lower case, currency signs as words. Questions and notes meet whatever
    script or width either was typed in."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_CURRENCY_WORDS)
    return simplified(text) if is_chinese(text) else text


def simplified(text: str) -> str:
    """The text in simplified Chinese (時空 → 时空)."""
    converter = getattr(_TO_SIMPLIFIED, "converter", None)
    if converter is None:
        converter = _TO_SIMPLIFIED.converter = opencc.OpenCC("t2s")
    return converter.convert(text)


# A currency sign is a word a question types out ("每投入一欧元" meets "every €1 invested"); "$" is left
# alone, as shell and LaTeX use it for everything else.
_CURRENCY_WORDS = str.maketrans({"€": " euro ", "£": " pound ", "¥": " yuan "})


def compound_forms(text: str) -> list[str]:
    """Every Latin term with inner marks in (normalized) text, as written and run together: "non-local" →
    non-local, nonlocal; "r(2+1)d" → r(2+1)d, r21d. So "nonlocal" meets "Non-local", and "R(2+1)D" stays
    one word (jieba cuts it into letters)."""
    forms: list[str] = []
    for match in _COMPOUND.finditer(text):
        term = _trim(match.group())
        joined = "".join(compound_parts(term))
        if term != joined and len(joined) >= 2:
            forms.extend((term, joined))
    return forms


def compound_parts(term: str) -> list[str]:
    """The runs of letters and digits a term's inner marks part: "non-local" → non, local; "r(2+1)d" → r, 2,
    1, d."""
    return [part for part in _COMPOUND_MARKS.split(term) if part]


def _trim(term: str) -> str:
    """A term without the sentence's marks around it: "(see" → see, "hrnet(" → hrnet, "gold-nas." → gold-nas."""
    while True:
        trimmed = term.lstrip("-/.)").rstrip("-/.(")
        if trimmed.startswith("(") and (trimmed.endswith(")") or trimmed.count("(") > trimmed.count(")")):
            trimmed = trimmed[1:-1] if trimmed.endswith(")") else trimmed[1:]
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed == term:
            return term
        term = trimmed


def is_chinese(text: str) -> bool:
    """True when the text has any CJK character: such questions are answered in Chinese."""
    return bool(_CJK_CHAR.search(text))


def main_language(text: str) -> str:
    """ "zh" when Chinese characters outnumber English words (a Chinese note with English terms), else "en"."""
    return "zh" if len(_CJK_CHAR.findall(text)) >= len(_LATIN_WORD.findall(text)) else "en"


def normalize_token(token: str) -> str:
    """Lower-case token → its index form."""
    # A light plural stemmer, so "shortcuts" meets "shortcut" (BM25 would otherwise miss it).
    if len(token) > 3 and token.isascii() and token.isalpha():
        if token.endswith("ies") and len(token) > 4:
            return token[:-3] + "y"
        if token.endswith("s") and not token.endswith(("ss", "us", "is")):
            return token[:-1]
    return token


_BASE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _base_dictionary() -> jieba.Tokenizer:
    # lru_cache alone lets concurrent first callers each load the dictionary; the lock makes it once.
    with _BASE_LOCK:
        base = jieba.Tokenizer()
        with dictionary_file() as source:
            raw = source.read()
        # jieba's own cache (marshal in /tmp) loads in ~0.8 s; words and counts as plain text in ~0.25 s.
        words, counts, total = cached_bytes("jieba-dictionary", [raw], lambda: _dictionary_text(raw), "txt").split(
            b"\0"
        )
        base.FREQ = dict(zip(words.decode("utf-8").split("\n"), map(int, counts.split()), strict=True))
        base.total, base.initialized = int(total), True
        return base


def _dictionary_text(raw: bytes) -> bytes:
    """jieba's prefix dictionary as its words (one a line), NUL, their counts, NUL, the total count."""
    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(raw))
    return "\n".join(freq).encode("utf-8") + b"\0" + " ".join(map(str, freq.values())).encode() + f"\0{total}".encode()


def dictionary_file() -> IO[bytes]:
    """jieba's word list (word, frequency, part of speech per line), opened for reading."""
    return jieba.Tokenizer().get_dict_file()


def cut_words(text: str) -> list[str]:
    """jieba's words of a text, as they are (no lower-casing, stemming or stopword removal)."""
    return [w for w in _base_dictionary().lcut(text) if w.strip()]


@lru_cache(maxsize=1)
def _tagger():  # -> jieba.posseg.POSTokenizer
    import jieba.posseg  # its tables load in ~0.2 s: only for a question that may name a stranger

    return jieba.posseg.POSTokenizer(_base_dictionary())


def tagged_words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech flag) of each word, as jieba's tagger cuts the text."""
    return [(word, flag) for word, flag in _tagger().lcut(text)]


def person_words(text: str) -> list[str]:
    """Words jieba's part-of-speech tagger takes for person names (tags nr, nrfg, nrt), in text order."""
    return [word for word, flag in tagged_words(text) if flag in ("nr", "nrfg", "nrt")]


def person_pieces(text: str) -> list[tuple[str, int, bool]]:
    """(word, offset, foreign) for each word jieba's tagger takes for a person's name: foreign when it is a
    piece of a transliterated foreign name, tagged so (nrt) or touching another person-tagged word (across a
    "·" too). jieba cuts 霍普克罗夫特 (Hopcroft) into 霍普 (nr) + 克罗夫特 (nrt): neither is a person to look for."""
    tagged, offset = [], 0
    for word, flag in _tagger().lcut(text):
        if word != "·":
            tagged.append((word, flag, offset))
        offset += len(word)
    person = [flag in ("nr", "nrfg", "nrt") for _, flag, _ in tagged]
    pieces = []
    for n, (word, flag, start) in enumerate(tagged):
        if person[n]:
            touching = (n > 0 and person[n - 1]) or (n + 1 < len(tagged) and person[n + 1])
            pieces.append((word, start, flag == "nrt" or touching))
    return pieces


def word_frequencies() -> dict[str, int]:
    """jieba's word frequencies (read-only): how common a Chinese word is."""
    return _base_dictionary().FREQ


def word_frequency(word: str) -> int:
    """How common a Chinese word is in jieba's dictionary, written in either script (金融業 as 金融业)."""
    frequencies = word_frequencies()
    return frequencies.get(word) or frequencies.get(simplified(word)) or 0


def in_dictionary(word: str) -> bool:
    """jieba's dictionary spells the word (or begins a word with it), in either script."""
    frequencies = word_frequencies()
    return word in frequencies or simplified(word) in frequencies


class Tokenizer:
    """jieba with the index's own vocabulary, so speaker names and hyphenated terms stay whole.

    Text is lower-cased before cutting, so the user words match whatever case a question uses.
    Only names and hyphenated terms are added: a plain English word in jieba's dictionary (say
    "in") would make it cut other English words around it ("rout|in|g").
    """

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        # Loading jieba's dictionary takes ~1 s; copying a loaded one takes ~20 ms.
        base = _base_dictionary()
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ = dict(base.FREQ)
        self._jieba.total = base.total
        self._jieba.initialized = True
        for word in user_words:
            word = word.strip().lower()
            if len(word) >= 2 and " " not in word and (is_chinese(word) or "-" in word):
                self._jieba.add_word(word, freq=50_000)

    def tokens(self, text: str, keep_stopwords: bool = False) -> list[str]:
        """Normalized (normalize_text), stemmed word tokens without punctuation (and without stopwords
        unless asked).

        A term with inner marks yields itself, its parts and its parts run together ("gold-nas", "gold",
        "nas", "goldnas"), so every spelling meets.
        """
        text = normalize_text(text)
        out = [normalize_token(form) for form in compound_forms(text)]
        for raw in self._jieba.lcut(text):
            raw = raw.strip()
            if not raw or _PUNCT_ONLY.match(raw):
                continue
            parts = raw.split("-") if "-" in raw.strip("-") else [raw.strip("-")]  # the whole is a compound
            for part in parts:
                if not part or (keep_stopwords is False and part in STOPWORDS):
                    continue
                token = normalize_token(part)
                if len(token) == 1 and token.isascii() and not token.isdigit():
                    continue  # "s" of "Feng's", stray letters
                if keep_stopwords or token not in STOPWORDS:
                    out.append(token)
        return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split at Chinese and English sentence ends, never inside one.

    Spans exclude surrounding white space; pieces without a word (stray punctuation) are dropped.
    """
    spans, start = [], 0
    for boundary in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        piece = text[start:boundary]
        if _WORDISH.search(piece):
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        start = boundary
    return spans


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")


def mostly_chinese(text: str) -> bool:
    """Chinese text, maybe with English terms ("Kubernetes 和 Docker 比较"), not English text with a Chinese
    name in brackets ("… held by MiraclePlus (奇绩创坛)?"): at least as many Chinese characters as Latin words."""
    return is_chinese(text) and len(_CJK_CHAR.findall(text)) >= len(_LATIN_WORD.findall(text))


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, each keeping its closing punctuation."""
    return [text[a:b] for a, b in sentence_spans(text)]


def has_words(text: str) -> bool:
    return bool(_WORDISH.search(text))
