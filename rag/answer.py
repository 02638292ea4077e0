"""Compose the cited extractive answer from ranked hits, or abstain. Pure: no model, no disk."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

from .question_kinds import gives
from .slide_text import is_citation, runs_on, slide_units
from .text import is_chinese, split_sentences
from .types import Answer, Chunk, Citation, Hit, Query

MAX_SOURCES = 3
MAX_SENTENCES = 5
SNIPPET_CHARS = 160
MAX_RUN_ON = 2  # slide lines that finish a chosen one cut off mid-sentence
# Relevance runs from 0 to 2 (see rag.fusion): a hit 0.3 above the threshold scores 0.86, 0.5 above 0.95.
MATCH_SCALE = 6.0

Tokenize = Callable[[str], list[str]]


def match(relevance: float, min_relevance: float) -> float:
    """A hit's relevance as a 0–1 score for people: 0.5 at the abstention threshold, near 1 well above it."""
    margin = max(-50.0, min(50.0, MATCH_SCALE * (relevance - min_relevance)))  # exp overflows past ±700
    return 1.0 / (1.0 + math.exp(-margin))


def is_talk_overview(query: Query, topic_tokens: list[str]) -> bool:
    """The question asks for a talk (or note) itself, "what did 冯佳时 say?": every hit of it counts."""
    return query.overview or (query.speaker is not None and not topic_tokens)


def hit_scores(query: Query, hits: list[Hit], topic_tokens: list[str], min_relevance: float) -> list[float]:
    """Each hit's score as people see it, in Sources and in the retrieval details: its match (0–1, 0.5 at
    the abstention threshold), or 1 for every section of a talk the question asks for, since the talk
    itself is the answer and its sections are not ranked by relevance."""
    if not query.unknown_person and is_talk_overview(query, topic_tokens):
        return [1.0] * len(hits)
    return [match(hit.relevance, min_relevance) for hit in hits]


def covering_hits(
    query: Query, hits: list[Hit], topic_tokens: list[str], tokenize: Tokenize, min_relevance: float
) -> list[tuple[Hit, float]]:
    """The hits that cover the question, with their match score, in rank order; empty means abstain.

    Shared by the extractive answer and the generated one, so both abstain on the same questions.
    """
    if query.named_nowhere:
        return []
    scored = list(zip(hits, hit_scores(query, hits, topic_tokens, min_relevance), strict=True))
    if is_talk_overview(query, topic_tokens):
        return scored
    # Only the hits an answer could cite judge: a strong hit far down the list is no answer to show.
    covering = [hit for hit, _ in scored[:MAX_SOURCES] if hit.relevance >= min_relevance]
    if lacks_asked_fact(query, covering):
        covering = _giving_siblings(query, covering, [hit for hit, _ in scored])[:MAX_SOURCES]
        if not covering:
            return []  # "门票多少钱？": sections about the event, but none gives a price
    return [(hit, match(hit.relevance, min_relevance)) for hit in strongest_slides(covering, hits)]


def _giving_siblings(query: Query, covering: list[Hit], candidates: list[Hit]) -> list[Hit]:
    """The candidates that give the asked fact from a section a covering hit is part of, wherever they rank:
    "25+ people" in the paragraph after the one about the workshop (a section's chunks rank by their own
    words, and the one with the number may share few of the question's)."""
    sections = {(hit.chunk.file, hit.chunk.headings) for hit in covering}
    return [
        hit
        for hit in candidates
        if (hit.chunk.file, hit.chunk.headings) in sections
        and query.asks_for
        and gives(query.asks_for, hit.chunk.text, query.text)
    ]


def lacks_asked_fact(query: Query, hits: Collection[Hit]) -> bool:
    """The question asks for a price, a date or a headcount (Query.asks_for) and none of the hits gives one."""
    return query.asks_for is not None and not any(gives(query.asks_for, hit.chunk.text, query.text) for hit in hits)


def strongest_slides(covering: list[Hit], hits: list[Hit]) -> list[Hit]:
    """The covering hits with each slide swapped for the strongest slide of its section among all the
    hits, strongest first: the ranking chooses the sections, but a section's slides rank close together
    by its title and speaker, and the one whose text answers (relevance counts the question's rare words
    it has) may rank below a sibling that merely shares them."""
    result: list[Hit] = []
    for hit in covering:
        if hit.chunk.slide:
            siblings = [h for h in hits if h.chunk.slide and _same_section(h, hit) and h not in result]
            hit = max(siblings, key=lambda h: h.relevance)
        result.append(hit)
    return result


def _same_section(a: Hit, b: Hit) -> bool:
    return (a.chunk.file, a.chunk.headings) == (b.chunk.file, b.chunk.headings)


def snippet(chunk: Chunk, topic_tokens: list[str], tokenize: Tokenize) -> str:
    """The chunk's sentence that best matches the topic, shortened for a source list."""
    return _snippet(_best_sentence(chunk, topic_tokens, tokenize))


def compose(
    query: Query,
    hits: list[Hit],
    topic_tokens: list[str],
    tokenize: Tokenize,
    min_relevance: float,
    k: int = MAX_SOURCES,
) -> Answer:
    """A short answer of the most relevant sentences, each followed by its citation marker `[n]`.

    Abstains, listing the closest sections, when the question names a person who is not a speaker in
    the notes or when no hit reaches min_relevance. With a named speaker and no topic left ("what did
    冯佳时 say?"), every hit counts: the question is about the talk itself.
    """
    zh = query.language == "zh"
    # A person or term named nowhere in the notes: nothing can answer, whatever the scores say.
    for missing, zh_text, en_text in (
        (query.unknown_person, "笔记中没有 {} 的报告", "The notes have no talk by {}"),
        (query.unknown_term, "笔记中没有提到 {}", "The notes never mention {}"),
    ):
        if missing:
            message = (
                f"{zh_text.format(missing)}，无法回答。以下是最接近的部分。"
                if zh
                else f"{en_text.format(missing)}, so they cannot answer this. Closest sections below."
            )
            return _abstain(query, hits, message, topic_tokens, tokenize, min_relevance)
    covering = covering_hits(query, hits, topic_tokens, tokenize, min_relevance)
    if not covering:
        if query.asks_for and any(hit.relevance >= min_relevance for hit in hits[:MAX_SOURCES]):
            kind = {
                "price": ("价格", "price"),
                "date": ("日期", "date"),
                "headcount": ("人数", "number of people"),
                "count": ("数目", "number"),
            }[query.asks_for]
            message = (
                f"笔记中相关的部分没有给出{kind[0]}。以下是最接近的部分。"
                if zh
                else f"The notes' closest sections give no {kind[1]} for this. Closest sections below."
            )
        elif query.speaker:
            message = (
                f"笔记中 {query.speaker} 的报告没有讲到这个问题。以下是最接近的部分。"
                if zh
                else f"In the notes, {query.speaker} said nothing about this. Closest sections below."
            )
        else:
            message = (
                "笔记中没有涉及这个问题的内容。以下是最接近的部分。"
                if zh
                else "The notes don't cover this question. Closest sections below."
            )
        return _abstain(query, hits, message, topic_tokens, tokenize, min_relevance)

    lines: list[str] = []
    citations: list[Citation] = []
    overview = not topic_tokens
    quoted: set[str] = set()  # a slide repeated on the next one (a build, an animation) is quoted once
    for hit, score in covering[: max(1, min(k, MAX_SENTENCES if overview else MAX_SOURCES))]:
        budget = MAX_SENTENCES - len(lines)
        first = not citations or overview
        limit = 1 if overview else 3 if not citations else 2
        sentences = _pick_sentences(hit.chunk, topic_tokens, tokenize, first, min(budget, limit), zh, quoted)
        quoted.update(sentences)
        if not sentences:
            continue
        n = len(citations) + 1
        citations.append(Citation(n, hit.chunk, _snippet(sentences[0]), score))
        lines.extend(f"- {sentence} [{n}]" for sentence in _on_slide(hit.chunk, sentences, zh))
        if len(lines) >= MAX_SENTENCES:
            break
    lead = _lead(citations[0].chunk, zh)
    return Answer(query.text, "\n".join([lead, *lines]), False, tuple(citations), query, tuple(hits))


def _abstain(
    query: Query, hits: list[Hit], message: str, topic_tokens: list[str], tokenize: Tokenize, min_relevance: float
) -> Answer:
    """The message and the hits that could have answered, closest (highest score) first."""
    candidates = hits[:MAX_SOURCES]
    scored = zip(candidates, hit_scores(query, candidates, topic_tokens, min_relevance), strict=True)
    closest = sorted(scored, key=lambda pair: -pair[1])
    citations = tuple(
        Citation(n, hit.chunk, snippet(hit.chunk, topic_tokens, tokenize), score)
        for n, (hit, score) in enumerate(closest, start=1)
    )
    return Answer(query.text, message, True, citations, query, tuple(hits))


def no_talk(query: Query, hits: list[Hit], tokenize: Tokenize, min_relevance: float) -> Answer:
    """ "What did X talk about?" of a person the notes name but never as giving a talk: an abstention that
    says so and shows where they are named."""
    who = query.mentioned
    if query.language == "zh":
        message = f"笔记中没有 {who} 的报告，只在以下部分提到 {who}。"
    else:
        message = f"The notes have no talk by {who}; they only mention {who} in the sections below."
    return _abstain(query, hits, message, [], tokenize, min_relevance)


def nothing_more(query: Query, hits: list[Hit]) -> Answer:
    """The answer to "what else did he say?" once every section that answers was cited earlier in the
    conversation: it says so, rather than repeating those sections."""
    if query.language == "zh":
        talk = f" {query.speaker} 的报告" if query.speaker else ""
        text = f"笔记中{talk}没有更多内容了：相关的部分上面都已引用。"
    else:
        talk = f" from {query.speaker}'s talk" if query.speaker else ""
        text = f"The notes have nothing more{talk}: every part that answers was cited above."
    return Answer(query.text, text, False, (), query, tuple(hits))


def outside_note(query: Query, note: str, talk_notes: list[str]) -> Answer:
    """An abstention for a question about a speaker whose talk the note filter leaves out: the filter is
    why nothing answers, not the talk."""
    if query.language == "zh":
        where = "、".join(f"「{title}」" for title in talk_notes)
        text = f"笔记筛选「{note}」不包含 {query.speaker} 的报告（它在{where}中）；取消笔记筛选后再问。"
    else:
        where = ", ".join(f"“{title}”" for title in talk_notes)
        text = (
            f"The note filter “{note}” leaves out {query.speaker}'s talk (it is in {where}); "
            "clear the filter to ask about it."
        )
    return Answer(query.text, text, True, (), query, ())


def _sentences(chunk: Chunk) -> list[str]:
    return [s for line in chunk.text.split("\n") for s in split_sentences(line)]


def _overlap(sentence: str, topic_tokens: list[str], tokenize: Tokenize) -> int:
    """How many topic words a sentence has; a Chinese word also inside a longer one (分辨率 in 高分辨率)."""
    return len(_topic_words_in(sentence, topic_tokens, tokenize))


def _topic_words_in(sentence: str, topic_tokens: list[str], tokenize: Tokenize) -> set[str]:
    words = set(tokenize(sentence))
    return {t for t in set(topic_tokens) if t in words or (len(t) >= 2 and is_chinese(t) and t in sentence)}


def _pick_sentences(
    chunk: Chunk,
    topic_tokens: list[str],
    tokenize: Tokenize,
    first: bool,
    limit: int,
    zh: bool,
    quoted: Collection[str] = (),
) -> list[str]:
    """The chunk's sentences that share words with the topic, in note order. With `first` (the top
    source, or every source of a talk overview) it falls back to its opening sentences, since a
    cross-lingual match shares no words; other sources contribute only matching sentences. A slide's
    lines already `quoted` from another source are left for the ones it adds."""
    if limit <= 0:
        return []
    if _is_heading_only(chunk):
        return [_slides_only(chunk, zh)] if first else []
    if chunk.slide:
        return _slide_passage(chunk, topic_tokens, tokenize, first, limit, quoted)
    sentences = _sentences(chunk)
    scored = [(i, _overlap(s, topic_tokens, tokenize)) for i, s in enumerate(sentences)]
    matching = sorted(sorted(scored, key=lambda x: -x[1])[:limit])
    chosen = [sentences[i] for i, score in matching if score > 0]
    if not chosen and first:
        chosen = sentences[:limit]
    return chosen


def _slide_passage(
    chunk: Chunk, topic_tokens: list[str], tokenize: Tokenize, first: bool, limit: int, quoted: Collection[str] = ()
) -> list[str]:
    """From a slide, in the slide's order: the line that best matches the topic; then lines with topic words
    it lacks (a slide often names the thing in its title and gives the asked detail in another line); then
    the statements after it (a slide names a thing in one line and says what it is in the next ones, in
    words the question rarely shares); then other lines with topic words. Labels next to each other are
    quoted together; paper references only when no other line has topic words (see rag.slide_text). Lines
    in `quoted` are skipped."""
    units = slide_units(chunk.text)
    cited = [is_citation(text) for text, _ in units]
    found = [_topic_words_in(text, topic_tokens, tokenize) for text, _ in units]
    said = [set() if citation else words for citation, words in zip(cited, found, strict=True)]
    found = said if any(said) else found  # a paper reference is quoted only when nothing else matches
    fresh = [i for i, (text, _) in enumerate(units) if text not in quoted]
    best = max(fresh, key=lambda i: (len(found[i]), -i)) if fresh else 0
    if not fresh or (not found[best] and not first):
        return []
    chosen, covered = [best], set(found[best])
    while len(chosen) < limit:
        others = [i for i in fresh if i not in chosen]
        adds = max(others, key=lambda i: (len(found[i] - covered), len(found[i]), -i), default=None)
        if adds is None or not found[adds] - covered:
            break
        chosen.append(adds)
        covered |= found[adds]
    statements = [i for i in fresh if i > best and i not in chosen and units[i][1] and not cited[i]]
    chosen += statements[: limit - len(chosen)]
    matching = sorted((i for i in fresh if found[i] and i not in chosen), key=lambda i: -len(found[i]))
    chosen += matching[: limit - len(chosen)]
    return [units[i][0] for i in sorted(_finished_sentences(units, chosen)) if units[i][0] not in quoted]


def _finished_sentences(units: list[tuple[str, bool]], chosen: list[int]) -> set[int]:
    """The chosen slide lines, each one that stops mid-sentence ("… edges are dominated by") with the
    statements that finish it (figure labels that OCR read between them skipped), at most MAX_RUN_ON more."""
    kept = set(chosen)
    for i in chosen:
        for _ in range(MAX_RUN_ON):
            nxt = next((k for k in range(i + 1, len(units)) if units[k][1]), None)
            if not runs_on(units[i][0]) or nxt is None or nxt in kept:
                break
            kept.add(nxt)
            i = nxt
    return kept


def _on_slide(chunk: Chunk, sentences: list[str], zh: bool) -> list[str]:
    """Text read from a slide is quoted as the slide's: “slide 3 of 2.5 Once-For-All: …”."""
    if not chunk.slide or not sentences:
        return sentences
    section = chunk.headings[-1] if chunk.headings else chunk.title
    where = f"幻灯片 {chunk.slide_number}（「{section}」）：" if zh else f"slide {chunk.slide_number} of “{section}”: "
    return [where + f"“{sentences[0]}”", *(f"“{sentence}”" for sentence in sentences[1:])]


def _slides_only(chunk: Chunk, zh: bool) -> str:
    """What a section of only a heading and slides says, in the answer's language."""
    slides = len(chunk.images)
    if not slides:  # a heading with nothing under it: "(0 slides, …)" would say nothing a person would say
        return (
            f"「{chunk.text}」（笔记只记下了这个标题）"
            if zh
            else f"“{chunk.text}” (the notes record only this heading)"
        )
    if zh:
        return f"「{chunk.text}」（{slides} 张幻灯片，没有文字笔记）"
    return f"“{chunk.text}” ({slides} slide{'s' if slides != 1 else ''}, no written notes)"


def _is_heading_only(chunk: Chunk) -> bool:
    return bool(chunk.headings) and chunk.text == chunk.headings[-1]


def _best_sentence(chunk: Chunk, topic_tokens: list[str], tokenize: Tokenize) -> str:
    sentences = _sentences(chunk) or [chunk.text]
    return max(sentences, key=lambda s: _overlap(s, topic_tokens, tokenize))


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _lead(chunk: Chunk, zh: bool) -> str:
    """Who said it and where: the claims that follow are quoted from this section."""
    section = chunk.headings[-1] if chunk.headings else chunk.title
    if chunk.speaker:
        who = f"{chunk.speaker}（{chunk.affiliation}）" if zh and chunk.affiliation else chunk.speaker
        if zh:
            return f"{who}在「{section}」中讲到："
        affiliation = f" ({chunk.affiliation})" if chunk.affiliation else ""
        return f"From {who}'s talk{affiliation}, “{section}”:"
    return f"笔记「{section}」提到：" if zh else f"From the notes, “{section}”:"
