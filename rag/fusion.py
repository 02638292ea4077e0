"""Fusing the rankings of several retrievers, and how strongly a hit answers the question. Pure.

The answer/abstain decision must hold on notes it was never tuned on, so it is built from what keeps its
meaning from one corpus to the next: ranks (is the chunk near the top of the whole collection for each
retriever, and do the retrievers agree?) and the share of the question's words the chunk contains,
weighted by how rare each word is. A cosine's scale is a property of one model on one corpus; none is used.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from .text import compound_parts, normalize_token

# The retrievers: the first encoder (e5), the second encoder (USE) and BM25.
RANKERS = ("dense", "dense2", "keyword")
# A chunk is "agreed on" by a retriever that ranks it this high over the whole collection.
AGREEMENT_TOP = 3
# The constant of the rank score (like RRF's k): rank 1 scores 1, rank 2 ≈ 0.67, rank 5 ≈ 0.33, rank 20 ≈ 0.09.
RANK_K = 1.0
# The rank score averages the best BEST_OF retrievers: a question in one language about notes in the other
# leaves BM25 (or one encoder) lost, and two that agree still say the notes answer it.
BEST_OF = 2
# Relevance = (rank score + COVERAGE_WEIGHT × rare-word coverage), scaled to 0–2; weight and threshold chosen
# on the tune half.
COVERAGE_WEIGHT = 2.0
# A question naming a speaker, in one language, about their talk in the other: the talk's words are not the
# question's, so coverage cannot count and the hit's relevance is scaled up by this much. Chosen on the tune
# half: between the unanswerable such questions (≤ 0.53) and the answerable ones (≥ 0.67), nearer the first.
CROSS_LANGUAGE_TALK = 1.46


def fuse(
    rankings: Mapping[str, list[int]], rrf_k: float, weights: Mapping[str, float] | None = None
) -> dict[int, float]:
    """Reciprocal-rank fusion: each retriever adds weight / (rrf_k + rank) for every chunk it ranks."""
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, i in enumerate(ranking, start=1):
            fused[i] = fused.get(i, 0.0) + weight / (rrf_k + rank)
    return fused


def rank_score(ranks: Mapping[str, int | None], rankers: Collection[str]) -> float:
    """0–1: the mean over the best BEST_OF retrievers of (RANK_K + 1) / (RANK_K + rank), ranks over the whole
    collection (None: not among a retriever's candidates, 0). 1 when they rank the chunk first."""
    if not rankers:
        return 0.0
    scores = sorted(
        ((RANK_K + 1) / (RANK_K + rank) if (rank := ranks.get(name)) else 0.0 for name in rankers), reverse=True
    )
    best = scores[: min(BEST_OF, len(scores))]
    return sum(best) / len(best)


def agreement(ranks: Mapping[str, int | None], rankers: Collection[str]) -> int:
    """How many retrievers rank the chunk among their AGREEMENT_TOP over the whole collection."""
    return sum(1 for name in rankers if (rank := ranks.get(name)) is not None and rank <= AGREEMENT_TOP)


def idf(document_frequency: int, documents: int) -> float:
    """How rare a word is; a word no chunk has weighs most, so a question about it is hard to answer."""
    return math.log((documents + 1) / (document_frequency + 0.5))


def coverage(
    topic_tokens: list[str],
    chunk_tokens: set[str],
    translations: Mapping[str, tuple[str, ...]],
    weights: Mapping[str, float] | None = None,
) -> float:
    """Share of the topic's words found in a chunk, each as written or as one of its translations; with
    `weights` (word → idf), rare words count for more than common ones."""
    if not topic_tokens:
        return 0.0
    weight = (lambda w: max(weights.get(w, 0.0), 1e-3)) if weights else (lambda w: 1.0)

    def has(word: str) -> bool:
        return word in chunk_tokens or any(t in chunk_tokens for t in translations.get(word, ()))

    found = total = 0.0
    for wholes, parts in word_groups(topic_tokens):
        group_weight = max(map(weight, (*wholes, *parts)))
        total += group_weight
        found += group_weight if any(map(has, wholes)) or (parts and all(map(has, parts))) else 0.0
    return found / total


def word_groups(tokens: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The topic's words, each once, a compound's spellings together as (whole forms, parts): "live-code" and
    "livecode" with "live" and "code", so a note writing it any one way covers it, and it counts as one word."""
    groups: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    taken: set[str] = set()
    for token in dict.fromkeys(tokens):
        parts = compound_parts(token)
        if len(parts) >= 2:
            joined = "".join(parts)
            stems = tuple(dict.fromkeys(normalize_token(p) for p in parts))
            groups.append(((token, *([joined] if joined in tokens else [])), stems))
            taken.update((token, joined, *stems))
    groups += [((token,), ()) for token in dict.fromkeys(tokens) if token not in taken]
    return groups


def relevance(rank: float, covered: float) -> float:
    """How strongly a hit answers, 0–2: its rank score plus COVERAGE_WEIGHT × its rare-word coverage, scaled."""
    return 2 * (rank + COVERAGE_WEIGHT * covered) / (1 + COVERAGE_WEIGHT)


def terms_found(asked: list[tuple[str, ...]], note_text: str) -> float:
    """Share of the proper terms a question names (each as any of its forms) that a note's text (normalized)
    has anywhere: a hit's relevance is scaled by it, so a section of a note about another event ("Over 2500
    people" at Coalesce for "How many attended LeadDev?") does not answer."""
    return sum(any(form in note_text for form in forms) for forms in asked) / len(asked)
