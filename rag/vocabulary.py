"""The words of an index's notes, and how a question's words meet them: translated into the notes' own
words, spelt in pinyin, or found missing. Pure over a set of words and the glossary."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from itertools import product

from .fusion import word_groups
from .glossary import SortedGlossary, load_glossary, pinyin_spellings
from .query import is_shaped_term, named_terms
from .text import is_chinese

MAX_TRANSLATIONS = 3  # glosses per topic word, the notes' own words first (chosen on tune)
# Endings an English gloss may take in the notes ("predict" → prediction).
_ENDINGS = ("s", "es", "ed", "ing", "ion", "ions", "ation", "ations", "er", "ers", "ment", "ments")
ACRONYM_WORDS = (3, 5)  # a run of this many words spells an acronym; two letters ("nn") are too ambiguous
COMPOUND_WORDS = 3  # jieba cuts a dictionary word it lacks into two or three
PHRASE_WORDS = 3  # an English phrase of this many words may be one Chinese word ("neural architecture search")
# "k8s", "i18n", "a11y": a word's first and last letters around the count of those between.
_NUMERONYM = re.compile(r"^[a-z]\d{1,2}[a-z]$")


def _written_forms(word: str) -> tuple[str, str]:
    """A stemmed word as it may have been written: the tokenizer keeps "kubernete" of "Kubernetes" (k8s)."""
    return (word, word + "s")


class Vocabulary:
    """The notes' words (the BM25 vocabulary: lower-cased, normalized tokens). Thread-safe; the pinyin
    spellings and the sorted list are made on first use."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._pinyin: dict[str, list[str]] | None = None
        self._numeronyms: dict[str, list[str]] | None = None
        self._sorted: list[str] | None = None
        self._lock = threading.Lock()

    def __contains__(self, word: str) -> bool:
        return word in self.words

    @property
    def glossary(self) -> SortedGlossary:
        """Chinese ↔ English glosses; read on first use (~10 ms once cached), shared by every index in the process."""
        return load_glossary()

    def translate(self, token: str) -> tuple[str, ...]:
        """A topic word in the other language: its glosses (those the notes use first), or for a Latin word
        the notes never use, the notes' Chinese words it spells in pinyin ("wandoujia" → 豌豆荚)."""
        glosses = self._in_notes_first(self.glossary.translate_any_form(token)) + self._numeronym_forms(token)
        if glosses or token in self.words or not (token.isascii() and token.isalpha() and len(token) >= 4):
            return glosses
        return self.spelled(token)

    def spelled(self, pinyin: str) -> tuple[str, ...]:
        """The notes' Chinese words that the pinyin (toneless, run together) spells: "wandoujia" → 豌豆荚."""
        with self._lock:
            if self._pinyin is None:
                self._pinyin = pinyin_spellings(self.words)
        return tuple(self._pinyin.get(pinyin, ()))

    def _numeronym_forms(self, token: str) -> tuple[str, ...]:
        """The notes' other spelling of a word when one is the other's numeronym: "kubernetes" where the
        notes write k8s, "k8s" where they write kubernetes."""
        if token in self.words or not token.isascii():
            return ()
        if _NUMERONYM.match(token):
            with self._lock:
                if self._numeronyms is None:
                    self._numeronyms = {}
                    for word in self.words:
                        if len(word) >= 5 and word.isascii() and word.isalpha():
                            for form in _written_forms(word):
                                self._numeronyms.setdefault(numeronym(form), []).append(word)
            return tuple(dict.fromkeys(self._numeronyms.get(token, ())))[:MAX_TRANSLATIONS]
        forms = _written_forms(token) if len(token) >= 5 and token.isalpha() else ()
        return tuple(short for short in map(numeronym, forms) if short in self.words)[:1]

    def _in_notes_first(self, glosses: tuple[str, ...]) -> tuple[str, ...]:
        """The first MAX_TRANSLATIONS glosses, those the notes use before those they don't: of 劳务, 勤务 and
        服务 for "service", the notes' own word is the one that finds them."""
        glosses = tuple(dict.fromkeys(self._notes_form(g) for g in glosses))
        ranked = sorted(glosses, key=lambda g: g not in self.words)
        return tuple(ranked[:MAX_TRANSLATIONS])

    def _notes_form(self, gloss: str) -> str:
        """The form the notes write an English gloss in when they lack it as glossed: "predict" → prediction."""
        if gloss in self.words or not gloss.isascii():
            return gloss
        return next((gloss + end for end in _ENDINGS if gloss + end in self.words), gloss)

    def translations(self, tokens: list[str]) -> dict[str, tuple[str, ...]]:
        """Each topic word's translations, and for words that spell out an acronym the notes use ("spiking
        neural network" → snn), that acronym too: slides and notes write SNN where questions spell it out.
        Chinese words jieba cut apart that the dictionary has whole (区块+链 → 区块链, blockchain) also get
        the whole word's translations."""
        found = {token: self.translate(token) for token in tokens}
        for run, glosses in self._compounds(tokens):
            for word in run:
                found[word] = tuple(dict.fromkeys((*found[word], *glosses)))
        for run, word in self._phrases(tokens):
            for token in run:
                found[token] = tuple(dict.fromkeys((*found[token], word)))
        for start in range(len(tokens)):
            for end in range(start + ACRONYM_WORDS[0], min(len(tokens), start + ACRONYM_WORDS[1]) + 1):
                run = tokens[start:end]
                if not all(word.isascii() and word.isalpha() for word in run):
                    break
                acronym = "".join(word[0] for word in run)
                if acronym in self.words and acronym not in tokens:
                    for word in run:
                        found[word] = (*found[word], acronym)
        return found

    def _phrases(self, tokens: list[str]) -> Iterator[tuple[list[str], str]]:
        """(run of consecutive English words, a Chinese word of the notes that their glosses spell together):
        "software architecture" → 软件 + 架构 → 软件架构, which the notes write as one word."""
        for start in range(len(tokens) - 1):
            for end in range(start + 2, min(len(tokens), start + PHRASE_WORDS) + 1):
                run = tokens[start:end]
                if not all(word.isascii() and word.isalpha() for word in run):
                    break
                glosses = [[g for g in self.glossary.translate_any_form(w) if is_chinese(g)] for w in run]
                for word in map("".join, product(*glosses)):
                    if word in self.words:
                        yield run, word

    def _compounds(self, tokens: list[str]) -> Iterator[tuple[list[str], tuple[str, ...]]]:
        """(run of consecutive Chinese words, the translations of the run as one word) where the dictionary
        has the run and the notes do not write it whole."""
        for start in range(len(tokens)):
            for end in range(start + 2, min(len(tokens), start + COMPOUND_WORDS) + 1):
                run = tokens[start:end]
                if not all(is_chinese(word) for word in run):
                    break
                whole = "".join(run)
                glosses = () if whole in self.words else self._in_notes_first(self.glossary.translate(whole))
                if glosses:
                    yield run, glosses

    def unknown_term(self, topic: str, tokenize: Callable[[str], list[str]]) -> str | None:
        """The term a question is about when no note has it: every proper term it names ("Zotero",
        "Kubernetes") is missing. One of several ("the URL path" beside REST) may be incidental, but all
        of them are what the question asks about."""
        terms = [term for term in named_terms(topic) if self._is_proper_term(term)]
        if terms and not any(self._has(term, tokenize) or self._spells_chinese(term, topic) for term in terms):
            return terms[0]
        return None

    def _spells_chinese(self, term: str, topic: str) -> bool:
        """Whether the capitalised run the term stands in spells, in pinyin either way round, Chinese words
        of the notes: "Lin Gen" (林根), a name the notes write only in Chinese."""
        words = capitalised_run(term, topic).lower().split()
        return len(words) >= 2 and any(self.spelled("".join(order)) for order in (words, words[::-1]))

    def asked_terms(self, topic: str, tokenize: Callable[[str], list[str]]) -> list[tuple[str, ...]]:
        """The proper terms a question names that some note has ("How many attended LeadDev London?"), each
        as the forms a note may write it in (its words, their translations, the pinyin of a capitalised run);
        Index keeps those a note's title carries (rag.index: Index._asked_events)."""
        asked = []
        for term in named_terms(topic):
            if self._is_proper_term(term) and self._has(term, tokenize):
                words = [t for t in tokenize(term) if len(t) >= 2 and not t.isdigit()]
                forms = [f for w in words for f in (w, *self.translate(w))]
                # "Ping An's tool": the capitalised run the term stands in may be a Chinese name in pinyin (平安).
                run = capitalised_run(term, topic)
                spelled = self.spelled(re.sub(r"['’]s\b|[^a-z]", "", run.lower())) if run else ()
                asked.append(tuple(dict.fromkeys([*forms, *spelled])))
        return [forms for forms in asked if forms]

    def knows(self, phrase: str, tokenize: Callable[[str], list[str]]) -> bool:
        """Whether the notes have most of a phrase's words (as written or translated): "QCon Guangzhou 2019"
        for notes headed "QCon2019（广州站）", not "JSConf 2019"."""
        words = [w for w in tokenize(phrase) if not w.isdigit()]  # a year is in every programme
        groups = [(*wholes, *parts) for wholes, parts in word_groups(words)]  # "pre-conference" is one word
        known = [g for g in groups if any(self._knows_word(w) for w in g)]
        return bool(groups) and len(known) >= len(groups) / 2

    def _knows_word(self, word: str) -> bool:
        """As written, translated, or glued to a number as the notes write an event ("valse" of VALSE2020)."""
        if word in self.words or set(self.translate(word)) & self.words:
            return True
        return any(longer[len(word) :].isdigit() for longer in self._words_starting(word))

    def _is_proper_term(self, term: str) -> bool:
        """A name the dictionary does not gloss ("Zotero") or shaped like one ("RLHF", "K8s"); an ordinary
        word capitalised ("Chinese", "World Cup") is no term a note must contain."""
        return is_shaped_term(term) or not self.glossary.translate_any_form(term.lower())

    def _has(self, term: str, tokenize: Callable[[str], list[str]]) -> bool:
        """Whether some note has the term: as written, run together, translated, spelt in pinyin, in the
        singular ("UIs" where the notes write UI), or as the start of a longer word ("Postgres" in PostgreSQL)."""
        words = [t for t in tokenize(term) if len(t) >= 2 and not t.isdigit()]
        return any(
            word in self.words
            or (len(word) >= 3 and word.endswith("s") and word[:-1] in self.words)
            or any(t in self.words for t in self.translate(word))
            or (len(word) >= 4 and self._starts_a_word(word))
            for word in words
        )

    def _starts_a_word(self, prefix: str) -> bool:
        return next(self._words_starting(prefix), None) is not None

    def _words_starting(self, prefix: str) -> Iterator[str]:
        """The notes' words that start with the prefix, in order (the sorted list is made on first use)."""
        with self._lock:
            if self._sorted is None:
                self._sorted = sorted(self.words)
        ordered = self._sorted
        at = bisect_left(ordered, prefix)
        while at < len(ordered) and ordered[at].startswith(prefix):
            yield ordered[at]
            at += 1


def capitalised_run(term: str, topic: str) -> str:
    """The run of capitalised words a term stands in ("Lin Gen" of "Lin"), or ""."""
    run = re.search(rf"(?:[A-Z][a-z]+\s+)*{re.escape(term)}(?:\s+[A-Z][a-z]+)*", topic)
    return run.group() if run else ""


def numeronym(word: str) -> str:
    """ "kubernetes" → "k8s": the first letter, how many letters follow before the last, the last."""
    return f"{word[0]}{len(word) - 2}{word[-1]}"
