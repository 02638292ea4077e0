"""Query analysis, dense + BM25 search, fusion and filters. Works on arrays, not on models."""

from __future__ import annotations

import re
from collections.abc import Iterable

import bm25s
import faiss
import numpy as np

from .text import CJK, Tokenizer, is_chinese, name_aliases, normalize_for_names
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
    spaced = normalize_for_names(question)
    found: tuple[str, str] | None = None
    for speaker in sorted(set(speakers), key=len, reverse=True):
        for alias in sorted(name_aliases(speaker), key=len, reverse=True):
            if (is_chinese(alias) and alias in question) or f" {alias} " in spaced:
                found = (speaker, alias)
                break
        if found:
            break
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

    def mask(self, speaker: str | None = None, note: str | None = None) -> np.ndarray | None:
        """Boolean mask of the chunks a filter keeps (None when nothing is filtered)."""
        if speaker is None and note is None:
            return None
        return np.array(
            [
                (speaker is None or c.speaker == speaker) and (note is None or note in (c.file, c.title))
                for c in self.chunks
            ],
            dtype=bool,
        )

    def dense(self, query_vector: np.ndarray, mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        """(chunk index, cosine) of the n nearest chunks that pass the mask."""
        if mask is not None:
            ids = np.flatnonzero(mask)
            if len(ids) == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids.astype(np.int64)))
            n = min(n, len(ids))
            scores, found = self.vectors.search(query_vector.reshape(1, -1), n, params=params)
        else:
            n = min(n, self.vectors.ntotal)
            scores, found = self.vectors.search(query_vector.reshape(1, -1), n)
        return [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]

    def keyword(self, tokens: list[str], mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        """(chunk index, BM25 score) of the n best chunks with a positive score that pass the mask."""
        if not tokens or not self.chunks:
            return []
        weights = None if mask is None else mask.astype(np.float32)
        scores = self.bm25.get_scores(tokens, weight_mask=weights)[: len(self.chunks)]
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(int(i), float(scores[i])) for i in ranked if scores[i] > 0]

    def search(
        self,
        query_vector: np.ndarray | None,
        tokens: list[str],
        k: int,
        mask: np.ndarray | None = None,
        use_dense: bool = True,
        use_keyword: bool = True,
    ) -> list[Hit]:
        """Fuse dense and keyword rankings (reciprocal-rank fusion) and return the k best hits."""
        dense = self.dense(query_vector, mask, self.candidates) if use_dense and query_vector is not None else []
        keyword = self.keyword(tokens, mask, self.candidates) if use_keyword else []
        fused: dict[int, float] = {}
        for ranking in (dense, keyword):
            for rank, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        dense_scores, keyword_scores = dict(dense), dict(keyword)
        order = sorted(fused, key=lambda i: (-fused[i], -dense_scores.get(i, -1.0), i))[:k]
        return [
            Hit(self.chunks[i], fused[i], self._cosine(query_vector, i, dense_scores), keyword_scores.get(i), i)
            for i in order
        ]

    def _cosine(self, query_vector: np.ndarray | None, i: int, known: dict[int, float]) -> float | None:
        """A hit's cosine even when only BM25 found it: abstention is decided on it."""
        if i in known:
            return known[i]
        if query_vector is None:
            return None
        return float(np.dot(self.vectors.reconstruct(i), query_vector.ravel()))
