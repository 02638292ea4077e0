"""Talk overviews: "王井东的报告讲了什么", "summarize Song Han's talk", or a filter and no topic.

The answer is the talk itself, in note order: its title, speaker, affiliation and time, then each of its
sections with one or two of its sentences, every line cited. Pure: hits in, Answer out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .text import split_sentences
from .types import Answer, Chunk, Citation, Hit, Query

MAX_PARTS = 8
KEY_SENTENCES = 2
MIN_KEY_CHARS = 6  # shorter lines ("Q&A", "Results") say nothing about the section
MAX_KEY_CHARS = 200
# "Abstract: html", "Slides: pdf", "视频：link": a label whose value was a link, the link's word all that is left.
_LINK_LABEL = re.compile(r"[^:：]{1,30}[:：]\s*[A-Za-z]{0,8}")
# Where and when, and where the slides are: the talk's facts, not what it said.
_META_LINE = re.compile(
    r"(?:time|date|when|venue|location|place|room|track|slides|video|links?|时间|日期|地点|会场|场地|幻灯片|视频|链接|ppt|录像)"
    r"\s*[:：]",
    re.IGNORECASE,
)
_NOT_WORDS = re.compile(r"[\W_]+")


def compose_overview(query: Query, hits: list[Hit]) -> Answer:
    """The sections of the talk (or note) the hits belong to, one cited line each, in note order.

    `hits` are the talk's chunks in note order; the first section is the talk's own heading when it has
    text of its own. A section with only slides says so; its slides travel with its citation.
    """
    zh = query.language == "zh"
    sections: dict[tuple[str, tuple[str, ...]], list[Chunk]] = {}
    for hit in hits:
        sections.setdefault((hit.chunk.file, hit.chunk.headings), []).append(hit.chunk)
    root = _root_heading([c for parts in sections.values() for c in parts])
    lines: list[str] = []
    citations: list[Citation] = []
    visited = 0  # sections looked at: one with nothing to say is no part, one past MAX_PARTS is "more"
    for (_, headings), chunks in sections.items():
        if len(citations) == MAX_PARTS:
            break
        visited += 1
        line = _section_line(headings, chunks, root, zh)
        if line is None:
            continue
        n = len(citations) + 1
        sentence = line[1] or (headings[-1] if headings else chunks[0].title)
        citations.append(Citation(n, chunks[0], _short(sentence), 1.0))
        lines.append(f"- {line[0]} [{n}]")
    more = len(sections) - visited
    if more > 0:
        lines.append(f"- ……另有 {more} 个部分" if zh else f"- … and {more} more section{'s' if more > 1 else ''}")
    if not citations and hits:
        # A talk the notes give only its heading ("# Title" and "演讲者：…"): its title is the answer.
        title = hits[0].chunk.headings[-1] if hits[0].chunk.headings else hits[0].chunk.title
        citations.append(Citation(1, hits[0].chunk, _short(title), 1.0))
        lines.append(f"- {title}：笔记只记下了题目 [1]" if zh else f"- {title}: the notes record only its title [1]")
        more = 0
    if not citations:
        return Answer(query.text, _empty(zh), True, (), query, tuple(hits))
    parts = len(citations) + more
    talks = _talks_under(root, list(sections))
    lead = _several_talks_lead(query, root, talks, parts, zh) if talks else None
    text = "\n".join([lead or _lead(query, citations[0].chunk, root, parts, zh), *lines])
    return Answer(query.text, text, False, tuple(citations), query, tuple(hits))


def _root_heading(chunks: list[Chunk]) -> tuple[str, ...]:
    """The heading path every chunk of the talk shares (the talk's title), () when they share none."""
    paths = [c.headings for c in chunks if c.headings]
    if not paths:
        return ()
    shortest = min(paths, key=len)
    common = 0
    while common < len(shortest) and all(p[common] == shortest[common] for p in paths):
        common += 1
    return shortest[:common]


def _section_line(
    headings: tuple[str, ...], chunks: list[Chunk], root: tuple[str, ...], zh: bool
) -> tuple[str, str | None] | None:
    """(the line, its quoted sentence) for one section; None for the talk's own heading with nothing under it."""
    name = headings[-1] if headings else chunks[0].title
    written = [c for c in chunks if not c.slide]
    sentences = _key_sentences(written, name)
    slides = sum(len(c.images) for c in written)
    is_root = headings == root
    read = _key_sentences([c for c in chunks if c.slide], name)[:1]
    if not sentences and read:
        # Slides that were read: their first line says what the part is about.
        if zh:
            return f"{name}：这一部分只有幻灯片（{slides} 张），幻灯片上写着“{read[0]}”", read[0]
        return f"{name}: this part is on slides only ({slides}); a slide reads “{read[0]}”", read[0]
    if sentences:
        joined = " ".join(sentences)
        return (f"{joined}" if is_root else f"{name}：{joined}" if zh else f"{name}: {joined}"), sentences[0]
    if slides and is_root:
        return (f"开场幻灯片 {slides} 张" if zh else f"opening slide{'s' if slides > 1 else ''} ({slides})"), None
    if slides:
        if zh:
            return f"{name}：这一部分只有幻灯片（{slides} 张），没有文字笔记", None
        return (
            f"{name}: this part is on slides only ({slides} slide{'s' if slides > 1 else ''}), no written notes",
            None,
        )
    if is_root:
        return None
    return name, None


def _key_sentences(chunks: list[Chunk], name: str) -> list[str]:
    """The section's first sentences that say something: not its own heading repeated, not a fragment, not
    the speaker's byline ("—Jane Roe, Acme Labs"), a label with only a link's word ("Abstract: html") or a
    line of where and when ("地点：富悦厅", "Slides: …")."""
    found = []
    for chunk in chunks:
        for line in chunk.text.split("\n"):
            for sentence in split_sentences(line):
                sentence = sentence.strip()
                if len(sentence) < MIN_KEY_CHARS or sentence == name or sentence in chunk.headings:
                    continue
                if _is_byline(sentence, chunk) or _LINK_LABEL.fullmatch(sentence) or _META_LINE.match(sentence):
                    continue
                found.append(_short(sentence, MAX_KEY_CHARS))
                if len(found) == KEY_SENTENCES:
                    return found
    return found


def _is_byline(sentence: str, chunk: Chunk) -> bool:
    """Whether a sentence only names who gives the section (and where from): the lead line says that."""
    rest = sentence
    for said in (chunk.speaker, *chunk.people, chunk.affiliation):
        if said:
            rest = rest.replace(said, "")
    return rest != sentence and len(_NOT_WORDS.sub("", rest)) < MIN_KEY_CHARS


def _lead(query: Query, chunk: Chunk, root: tuple[str, ...], parts: int, zh: bool) -> str:
    title = root[-1] if root else chunk.title
    if query.mentioned and not query.speaker:
        return f"笔记中提到 {query.mentioned} 的部分：" if zh else f"Where the notes mention {query.mentioned}:"
    who = query.speaker if query.speaker in (chunk.speaker, *chunk.people) else chunk.speaker
    if who:
        extra = [x for x in (chunk.affiliation if who == chunk.speaker else None, chunk.time) if x]
        if zh:
            detail = f"（{'，'.join(extra)}）" if extra else ""
            return f"{who}{detail}的报告「{title}」共 {parts} 部分："
        detail = f" ({', '.join(extra)})" if extra else ""
        return f"{who}'s talk{detail}, “{title}”, in {parts} part{'s' if parts > 1 else ''}:"
    return f"「{title}」共 {parts} 部分：" if zh else f"“{title}” in {parts} part{'s' if parts > 1 else ''}:"


def _talks_under(root: tuple[str, ...], sections: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """The talks of a speaker who gave several in one note: the headings under the shared one (a programme's,
    "JavaDays 2022") when the sections sit under two or more of them and none is the shared heading itself."""
    if any(headings == root for _, headings in sections):
        return []
    talks = list(dict.fromkeys(headings[len(root)] for _, headings in sections if len(headings) > len(root)))
    return talks if len(talks) > 1 else []


def _several_talks_lead(query: Query, root: tuple[str, ...], talks: list[str], parts: int, zh: bool) -> str | None:
    """ "Jane Roe gave 3 talks in “Conf 2022” (A; B; C), in 9 parts:" for a speaker's overview."""
    if not query.speaker:
        return None
    where = f"在「{root[-1]}」中" if zh and root else f" in “{root[-1]}”" if root else ""
    if zh:
        return f"{query.speaker}{where}有 {len(talks)} 场报告（{'、'.join(talks)}），共 {parts} 部分："
    return f"{query.speaker} gave {len(talks)} talks{where} ({'; '.join(talks)}), in {parts} parts:"


def _empty(zh: bool) -> str:
    return "笔记中这部分没有内容。" if zh else "The notes have nothing written for this."


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_texts(chunks: Sequence[Chunk], talk: Iterable[int]) -> set[str]:
    """The note titles and headings around a speaker's talk that hold other people's talks too ("ECCV 2022
    预会议", "Session 1"): in "what did Jane present at the ECCV pre-conference?" they place the talk, and are
    no topic to find in it. A heading or title over this speaker's talks alone is the talk's own title."""
    talk_chunks = [chunks[i] for i in talk]
    files = {c.file for c in talk_chunks}
    givers: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for chunk in chunks:
        if chunk.file in files and chunk.speaker:
            for depth in range(len(chunk.headings) + 1):
                givers[(chunk.file, *chunk.headings[:depth])].add(chunk.speaker)
    texts: set[str] = set()
    for chunk in talk_chunks:
        if len(givers[(chunk.file,)]) >= 2 and chunk.title:
            texts.add(chunk.title)
        texts.update(
            heading
            for depth, heading in enumerate(chunk.headings, start=1)
            if len(givers[(chunk.file, *chunk.headings[:depth])]) >= 2
        )
    return texts
