"""Query analysis, dense + BM25 search, fusion and filters. Works on arrays, not on models."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import bm25s
import faiss
import numpy as np

from .store import APPROXIMATE_ABOVE
from .text import CJK, Tokenizer, all_aliases, is_chinese, normalize_for_names
from .types import Chunk, Hit, Query

# "What did Geoffrey Hinton say …", "according to Fei-Fei Li": a capitalised name before a verb of saying.
_ASKED_PERSON_EN = re.compile(
    r"\b(?:what|how|did|does|do|has|have|why)\s+(?:did|does|do|has|have)?\s*"
    r"(?P<who>[A-Z][\w.\-']*(?:\s+[A-Z][\w.\-']*){0,3})\s+"
    r"(?:say|said|think|talk|present|discuss|mention|propose|claim|explain|cover|speak)"
    r"|\baccording to\s+(?P<who2>[A-Z][\w.\-']*(?:\s+[A-Z][\w.\-']*){0,3})"
)
_ASKED_PERSON_ZH = re.compile(
    rf"(?P<who>[{CJK}]{{2,4}}?)(?:老师|教授|博士|先生|女士)?(?:都|还|又)?(?:说|讲|谈|提到|认为|介绍|报告)(?:了|过|的)?"
)
_PRONOUNS = frozenset("he she they him her it i you we his hers this that the notes 他 她 他们 她们 你 我 它".split())
_CJK_CHARS = re.compile(f"[{CJK}]")
# Common Chinese surnames: a two-to-four character "X说" is taken for a person only when it starts with one.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤颜"
)


def analyze(question: str, speakers: Iterable[str], vocabulary: frozenset[str] = frozenset()) -> Query:
    """Find the speaker a question names (in any script), the topic left once the name is removed,
    and a person it asks about who is not a speaker in the notes.

    Args:
        question: the user's question.
        speakers: the speaker names in the index.
        vocabulary: words of the notes (lower-cased); a "X说了什么" whose X is a note term is no person.
    """
    found = _names(tuple(speakers)).find(question)
    if found:
        speaker, alias = found
        topic = _remove_alias(question, alias)
        return Query(text=question, topic=topic, speaker=speaker, language=language_of(topic))
    return Query(
        text=question,
        topic=question,
        unknown_person=_asked_person(question, vocabulary),
        language=language_of(question),
    )


class _Names:
    """Every alias of every speaker, looked up by the question's runs of words and Chinese substrings, so
    finding the speaker a question names costs as much with ten thousand speakers as with ten.

    The speaker found is the one a scan would find: longest names first, and each name's longest alias
    first, matched as a Chinese substring of the question or as whole words of normalize_for_names().
    """

    def __init__(self, speakers: tuple[str, ...]) -> None:
        self.names = sorted(set(speakers), key=len, reverse=True)
        self.aliases = all_aliases(self.names)
        self.words: dict[str, tuple[int, int]] = {}  # alias → (name rank, alias rank), the first one kept
        self.chinese: dict[str, tuple[int, int]] = {}
        self.odd: list[tuple[str, tuple[int, int]]] = []  # aliases not single-spaced: matched one by one
        for n, aliases in enumerate(self.aliases):
            for a, alias in enumerate(aliases):
                if is_chinese(alias):
                    self.chinese.setdefault(alias, (n, a))
                if alias and alias == " ".join(alias.split()):
                    self.words.setdefault(alias, (n, a))
                else:
                    self.odd.append((alias, (n, a)))
        self.most_words = max((alias.count(" ") + 1 for alias in self.words), default=0)
        self.chinese_lengths = sorted({len(alias) for alias in self.chinese})

    def find(self, question: str) -> tuple[str, str] | None:
        """(speaker, alias) of the speaker the question names, or None."""
        spaced = normalize_for_names(question)
        words = spaced.split()
        runs = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, i + 1 + self.most_words))
        ranks = [self.words.get(run) for run in runs]
        ranks += [self.chinese.get(question[i : i + n]) for n in self.chinese_lengths for i in range(len(question))]
        ranks += [rank for alias, rank in self.odd if f" {alias} " in spaced]
        best = min((rank for rank in ranks if rank is not None), default=None)
        if best is None:
            return None
        return self.names[best[0]], self.aliases[best[0]][best[1]]


@lru_cache(maxsize=16)
def _names(speakers: tuple[str, ...]) -> _Names:
    return _Names(speakers)


def language_of(text: str) -> str:
    """ "zh" when the text (without the speaker's name) has Chinese in it, else "en": the answer's language."""
    return "zh" if is_chinese(text) else "en"


def _remove_alias(question: str, alias: str) -> str:
    if is_chinese(alias):
        return " ".join(question.replace(alias, " ").split())
    words = r"[\s\-]+".join(re.escape(w) for w in alias.split())
    return " ".join(re.sub(words, " ", question, flags=re.IGNORECASE).split())


def _asked_person(question: str, vocabulary: frozenset[str]) -> str | None:
    for match in _ASKED_PERSON_EN.finditer(question):
        who = (match.group("who") or match.group("who2") or "").strip()
        first = who.split()[0].lower() if who else ""
        if who and first not in _PRONOUNS and who.lower() not in vocabulary:
            return who
    for match in _ASKED_PERSON_ZH.finditer(question):
        who = match.group("who")
        # Trim leading question words ("那么李飞飞说了什么") to the surname.
        start = next((i for i, ch in enumerate(who) if ch in _SURNAMES), None)
        if start is None:
            continue
        who = who[start:]
        if 2 <= len(who) <= 4 and who not in _PRONOUNS and who.lower() not in vocabulary:
            return who
    return None


# The abstention score of a hit: its cosine in standard deviations above the query's typical cosine with
# the notes, plus COVERAGE_WEIGHT for covering every topic word (directly or through a translation).
# The small multilingual model gives every text of the question's language a high cosine, so only the
# standardized cosine says "this chunk stands out"; words say "this chunk is about what was asked".
COVERAGE_WEIGHT = 3.0
TRANSLATION_WEIGHT = 0.5  # BM25 weight of translated query words, against 1 for the words as typed
BACKGROUND_SAMPLE = 2048
MIN_BACKGROUND = 8  # fewer chunks of a language than this: compare with the other language's


def coverage(topic_tokens: list[str], chunk_tokens: set[str], translations: dict[str, tuple[str, ...]]) -> float:
    """Share of the topic's words found in a chunk, each either as written or as one of its translations."""
    words = set(topic_tokens)
    if not words:
        return 0.0
    found = sum(1 for w in words if w in chunk_tokens or any(t in chunk_tokens for t in translations.get(w, ())))
    return found / len(words)


class Retriever:
    """Dense (FAISS) and keyword (BM25) search over the same chunks, fused by reciprocal rank."""

    def __init__(
        self,
        chunks: list[Chunk],
        vectors: faiss.Index,
        bm25: bm25s.BM25,
        tokenizer: Tokenizer,
        candidates: int = 50,
        rrf_k: int = 60,
    ) -> None:
        self.chunks = chunks
        self.vectors = vectors
        self.bm25 = bm25
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.rrf_k = rrf_k
        # The exact (flat) index under a graph index: it holds the same vectors.
        self._exact = faiss.downcast_index(vectors.storage) if isinstance(vectors, faiss.IndexHNSW) else vectors
        self._by_speaker = _positions(c.speaker for c in chunks)
        self._by_file = _positions(c.file for c in chunks)
        self._by_title = _positions(c.title for c in chunks)
        # Background samples per language: the model rates every text in the question's language as
        # similar, so a chunk is compared with the chunks of its own language.
        self._language = np.array([chunk_language(c) for c in chunks], dtype=object)
        rng = np.random.default_rng(0)
        self._background: dict[str, np.ndarray] = {}
        for language in ("zh", "en"):
            ids = np.flatnonzero(self._language == language)
            if len(ids) >= MIN_BACKGROUND:
                sample = np.sort(rng.permutation(ids)[:BACKGROUND_SAMPLE])
                self._background[language] = np.stack([vectors.reconstruct(int(i)) for i in sample])

    def mask(self, speaker: str | None = None, note: str | None = None) -> np.ndarray | None:
        """Boolean mask of the chunks a filter keeps (None when nothing is filtered)."""
        if speaker is None and note is None:
            return None
        keep = np.ones(len(self.chunks), dtype=bool)
        if speaker is not None:
            keep &= self._select(self._by_speaker.get(speaker))
        if note is not None:
            keep &= self._select(self._by_file.get(note)) | self._select(self._by_title.get(note))
        return keep

    def _select(self, ids: np.ndarray | None) -> np.ndarray:
        selected = np.zeros(len(self.chunks), dtype=bool)
        if ids is not None:
            selected[ids] = True
        return selected

    def dense(self, query_vector: np.ndarray, mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        """(chunk index, cosine) of the n nearest chunks that pass the mask."""
        if mask is not None:
            ids = np.flatnonzero(mask)
            if len(ids) == 0:
                return []
            selector = faiss.IDSelectorBatch(ids.astype(np.int64))  # kept referenced while searching
            params = faiss.SearchParameters()
            params.sel = selector
            n = min(n, len(ids))
            # A filter on a graph (HNSW) index loses recall when it keeps few chunks: search a subset no
            # bigger than an exact index would be exactly, over the vectors the graph index stores.
            index = self._exact if len(ids) <= APPROXIMATE_ABOVE else self.vectors
            with _one_thread():
                scores, found = index.search(query_vector.reshape(1, -1), n, params=params)
        else:
            n = min(n, self.vectors.ntotal)
            with _one_thread():
                scores, found = self.vectors.search(query_vector.reshape(1, -1), n)
        return [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]

    def keyword(
        self, tokens: list[str], mask: np.ndarray | None, n: int, translated: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """(chunk index, BM25 score) of the n best chunks with a positive score that pass the mask.

        Translated words (see glossary) count at TRANSLATION_WEIGHT, so a question in one language
        finds notes in the other, while the words as typed still rank first.
        """
        if not tokens or not self.chunks:  # translated words come from tokens: none without them
            return []
        weights = None if mask is None else mask.astype(np.float32)
        scores = self.bm25.get_scores(tokens, weight_mask=weights)[: len(self.chunks)]
        if translated:
            scores = (
                scores + TRANSLATION_WEIGHT * self.bm25.get_scores(translated, weight_mask=weights)[: len(self.chunks)]
            )
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(int(i), float(scores[i])) for i in ranked if scores[i] > 0]

    def search(
        self,
        query_vector: np.ndarray,
        tokens: list[str],
        k: int,
        mask: np.ndarray | None = None,
        use_dense: bool = True,
        use_keyword: bool = True,
        translations: dict[str, tuple[str, ...]] | None = None,
    ) -> list[Hit]:
        """Fuse dense and keyword rankings (reciprocal-rank fusion) and return the k best hits.

        Args:
            query_vector: the question's embedding; also needed when use_dense is False, because
                every hit's relevance (what abstention is decided on) includes its cosine.
            tokens: the question's topic words (BM25 query).
            translations: the topic words' translations (see rag.glossary); none by default.
        """
        translations = translations or {}
        translated = [t for w in tokens for t in translations.get(w, ()) if t not in tokens]
        dense = self.dense(query_vector, mask, self.candidates) if use_dense else []
        keyword = self.keyword(tokens, mask, self.candidates, translated) if use_keyword else []
        fused: dict[int, float] = {}
        for ranking in (dense, keyword):
            for rank, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        keyword_scores = dict(keyword)
        order = sorted(fused, key=lambda i: (-fused[i], -keyword_scores.get(i, 0.0), i))[:k]
        baselines: dict[str, tuple[float, float]] = {}
        return [
            self.hit(i, query_vector, tokens, translations, fused[i], keyword_scores.get(i), baselines) for i in order
        ]

    def hit(
        self,
        i: int,
        query_vector: np.ndarray,
        topic_tokens: list[str],
        translations: dict[str, tuple[str, ...]],
        score: float,
        keyword: float | None = None,
        baselines: dict[str, tuple[float, float]] | None = None,
    ) -> Hit:
        """A Hit for chunk i with its cosine and relevance (standardized cosine + topic coverage).

        `baselines` collects the query's baseline per language, so the hits of one query share it.
        """
        cosine = float(np.dot(self.vectors.reconstruct(int(i)), query_vector.ravel()))
        language = self._language[i]
        if baselines is None:
            baselines = {}
        if language not in baselines:
            baselines[language] = self._baseline(query_vector, language)
        mean, std = baselines[language]
        words = {*topic_tokens, *(t for w in topic_tokens for t in translations.get(w, ()))}
        chunk_tokens = self._words_in(int(i), words)
        relevance = (cosine - mean) / std + COVERAGE_WEIGHT * coverage(topic_tokens, chunk_tokens, translations)
        return Hit(self.chunks[i], score, cosine, keyword, int(i), relevance)

    def _words_in(self, i: int, words: set[str]) -> set[str]:
        """The words chunk i contains, of those asked: read from the BM25 postings, which hold every chunk's
        tokens (the index tokenized chunk.search_text with this tokenizer), instead of tokenizing it again."""
        postings, starts = self.bm25.scores["indices"], self.bm25.scores["indptr"]
        found = set()
        for word in words:
            term = self.bm25.vocab_dict.get(word)
            if term is None or term + 1 >= len(starts):  # bm25s keeps "" in its vocabulary, outside the matrix
                continue
            docs = postings[starts[term] : starts[term + 1]]  # sorted chunk numbers
            at = np.searchsorted(docs, i)
            if at < len(docs) and docs[at] == i:
                found.add(word)
        return found

    def _baseline(self, query_vector: np.ndarray, language: str) -> tuple[float, float]:
        """Mean and spread of the query's cosine with (a sample of) the chunks in one language."""
        background = self._background.get(language)
        if background is None:
            background = next(iter(self._background.values()), None)
        if background is None:
            return 0.0, 1.0
        # einsum, not `@`: a BLAS product spreads over all cores, and on a busy machine waiting for the other
        # threads takes ~10 ms where one thread computes the 2048 cosines in ~0.3 ms.
        cosines = np.einsum("ij,j->i", background, query_vector.ravel())
        return float(cosines.mean()), max(float(cosines.std()), 1e-6)


@contextmanager
def _one_thread() -> Iterator[None]:
    """Search one query on one thread: splitting such a small search across cores saves nothing, and on a
    busy machine waiting for the other threads costs 10-30 ms. OpenMP's thread count is per calling thread,
    so this leaves other threads (an index build) alone."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def chunk_language(chunk: Chunk) -> str:
    """ "zh" when a fifth or more of the chunk's letters are Chinese characters, else "en"."""
    letters = sum(map(str.isalpha, chunk.text))  # counted in C: opening an index runs this on every chunk
    chinese = sum(map(str.isalpha, _CJK_CHARS.findall(chunk.text)))
    return "zh" if letters and chinese * 5 >= letters else "en"


def _positions(values) -> dict:
    positions: dict = {}
    for i, value in enumerate(values):
        if value is not None:
            positions.setdefault(value, []).append(i)
    return {value: np.array(ids, dtype=np.int64) for value, ids in positions.items()}
