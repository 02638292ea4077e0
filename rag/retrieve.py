"""Dense + BM25 search, fusion and filters. Works on arrays, not on models."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace

import bm25s
import faiss
import numpy as np

from .fusion import RANKERS, agreement, coverage, fuse, idf, rank_score, relevance
from .store import APPROXIMATE_ABOVE
from .text import Tokenizer, main_language
from .types import Chunk, Hit

TRANSLATION_WEIGHT = 1.0  # BM25 weight of translated query words, against 1 for the words as typed (chosen on tune)


class Retriever:
    """Dense search with each encoder (FAISS) and keyword search (BM25) over the same chunks, fused by
    reciprocal rank; each hit's relevance is judged from its ranks and words (see rag.fusion)."""

    def __init__(
        self,
        chunks: list[Chunk],
        vectors: faiss.Index,
        bm25: bm25s.BM25,
        tokenizer: Tokenizer,
        candidates: int = 50,
        rrf_k: int = 60,
        second: faiss.Index | None = None,
    ) -> None:
        self.chunks = chunks
        self.vectors = vectors
        self.second = second
        self.bm25 = bm25
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.rankers = tuple(r for r in RANKERS if r != "dense2" or second is not None)
        self._by_speaker = _people_positions(chunks)
        self._by_file = _positions(c.file for c in chunks)
        self._by_title = _positions(c.title for c in chunks)
        languages = _positions(main_language(c.search_text) for c in chunks)
        # The chunks of each language, when the notes are in two: see _overall_ranks.
        self._languages = [self._select(ids) for ids in languages.values()] if len(languages) > 1 else []
        starts = bm25.scores["indptr"]
        self._document_frequency = np.diff(starts)  # chunks holding each BM25 term

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

    def dense(
        self, query_vector: np.ndarray, mask: np.ndarray | None, n: int, index: faiss.Index | None = None
    ) -> list[tuple[int, float]]:
        """(chunk index, cosine) of the n nearest chunks that pass the mask, in `index` (the first encoder's
        by default)."""
        index = self.vectors if index is None else index
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
            if len(ids) <= APPROXIMATE_ABOVE and isinstance(index, faiss.IndexHNSW):
                index = faiss.downcast_index(index.storage)
            with _one_thread():
                scores, found = index.search(query_vector.reshape(1, -1), n, params=params)
        else:
            n = min(n, index.ntotal)
            with _one_thread():
                scores, found = index.search(query_vector.reshape(1, -1), n)
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
        rankers: Collection[str] = RANKERS,
        translations: dict[str, tuple[str, ...]] | None = None,
        second_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Fuse the rankings of the chosen retrievers (reciprocal-rank fusion) and return the k best hits.

        Args:
            query_vector: the question's embedding by the first encoder.
            tokens: the question's topic words (BM25 query).
            rankers: which of "dense", "dense2" (the second encoder) and "keyword" rank; all by default
                ("dense2" only where the index and second_vector have it).
            translations: the topic words' translations (see rag.glossary); none by default.
            second_vector: the question's embedding by the second encoder.
        """
        translations = translations or {}
        active = [r for r in self.rankers if r in rankers and (r != "dense2" or second_vector is not None)]
        vectors = {"dense": query_vector, "dense2": second_vector}
        rankings = self._rankings(active, vectors, tokens, translations, mask)
        fused = fuse({name: [i for i, _ in ranking] for name, ranking in rankings.items()}, self.rrf_k)
        scores = {name: dict(ranking) for name, ranking in rankings.items()}
        ranks = self._overall_ranks(active, vectors, tokens, translations, None if mask is not None else rankings)
        keyword_scores = scores.get("keyword", {})
        order = sorted(fused, key=lambda i: (-fused[i], -keyword_scores.get(i, 0.0), i))[:k]
        weights = self._idf(tokens, translations)
        hits = []
        for i in order:
            hit = self.hit(i, fused[i], query_vector, second_vector, keyword_scores.get(i))
            chunk_ranks = {name: ranks[name].get(i) for name in active}
            covered = coverage(tokens, self._words_in(i, set(weights)), translations, weights)
            score = rank_score(chunk_ranks, active)
            hits.append(replace(hit, relevance=relevance(score, covered), agreement=agreement(chunk_ranks, active)))
        return hits

    def _overall_ranks(
        self,
        active: list[str],
        vectors: dict[str, np.ndarray | None],
        tokens: list[str],
        translations: dict[str, tuple[str, ...]],
        unfiltered: dict[str, list[tuple[int, float]]] | None,
    ) -> dict[str, dict[int, int]]:
        """Each retriever's rank of the chunks over all the notes (`unfiltered`: the rankings already made
        without a filter). Within a speaker's talk the best chunk is always first, and only its place among all
        the notes says whether the talk covers the question at all; where the notes are in two languages, that
        place is among the chunks in its own language, since a question in one ranks every chunk in it above
        the talk in the other that it asks about (chosen on tune: unfiltered questions do not gain by it)."""
        if unfiltered is not None:
            groups: list[dict[str, list[tuple[int, float]]]] = [unfiltered]
        else:
            masks: list[np.ndarray | None] = [*self._languages] or [None]
            groups = [self._rankings(active, vectors, tokens, translations, mask) for mask in masks]
        ranks: dict[str, dict[int, int]] = {name: {} for name in active}
        for rankings in groups:
            for name, ranked in rankings.items():
                for rank, (i, _) in enumerate(ranked, start=1):
                    ranks[name].setdefault(i, rank)
        return ranks

    def _rankings(
        self,
        active: list[str],
        vectors: dict[str, np.ndarray | None],
        tokens: list[str],
        translations: dict[str, tuple[str, ...]],
        mask: np.ndarray | None,
    ) -> dict[str, list[tuple[int, float]]]:
        """Each active retriever's (chunk index, score) list, best first."""
        translated = [t for w in tokens for t in translations.get(w, ()) if t not in tokens]
        rankings = {}
        for name in active:
            if name == "keyword":
                rankings[name] = self.keyword(tokens, mask, self.candidates, translated)
            else:
                index = self.vectors if name == "dense" else self.second
                rankings[name] = self.dense(vectors[name], mask, self.candidates, index)  # type: ignore[arg-type]
        return rankings

    def hit(
        self,
        i: int,
        score: float,
        query_vector: np.ndarray,
        second_vector: np.ndarray | None = None,
        keyword: float | None = None,
    ) -> Hit:
        """A Hit for chunk i with its fused score and its cosine with each encoder (relevance left 0)."""
        cosine = float(np.dot(self.vectors.reconstruct(int(i)), query_vector.ravel()))
        second = None
        if self.second is not None and second_vector is not None:
            second = float(np.dot(self.second.reconstruct(int(i)), second_vector.ravel()))
        return Hit(self.chunks[i], score, cosine, keyword, int(i), dense2=second)

    def _idf(self, tokens: list[str], translations: dict[str, tuple[str, ...]]) -> dict[str, float]:
        """Each topic word's rarity in the notes, from its commonest form (as typed or translated): a word the
        notes write in the other language is not rare. Translations get weight 0 of their own."""
        documents = len(self.chunks)
        weights = {}
        for word in set(tokens):
            forms = (word, *translations.get(word, ()))
            weights[word] = idf(max(self._frequency(form) for form in forms), documents)
            for form in forms[1:]:
                weights.setdefault(form, 0.0)
        return weights

    def _frequency(self, word: str) -> int:
        term = self.bm25.vocab_dict.get(word)
        if term is None or term >= len(self._document_frequency):
            return 0
        return int(self._document_frequency[term])

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


def _people_positions(chunks: list[Chunk]) -> dict[str, np.ndarray]:
    """Each person's chunks: the ones they speak in, or share as a panelist or co-presenter."""
    positions: dict[str, list[int]] = {}
    for i, chunk in enumerate(chunks):
        for name in dict.fromkeys(n for n in (chunk.speaker, *chunk.people) if n):
            positions.setdefault(name, []).append(i)
    return {name: np.array(ids, dtype=np.int64) for name, ids in positions.items()}


def _positions(values) -> dict:
    positions: dict = {}
    for i, value in enumerate(values):
        if value is not None:
            positions.setdefault(value, []).append(i)
    return {value: np.array(ids, dtype=np.int64) for value, ids in positions.items()}
