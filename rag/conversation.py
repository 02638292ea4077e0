"""Follow-up questions: "他还讲了什么？", "what else did he say?", "and about ConvBERT?".

A follow-up that names no speaker reuses the previous turn's speaker (or, without one, its topic), by
deterministic rules over pronouns, "what else" and elliptical questions. With a language model
configured, the question may also be rewritten into a standalone one using the last turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from .generate import LLMError, llm_configured, rewrite_question
from .index import final_answer
from .types import Answer, Chunk, Query

if TYPE_CHECKING:
    from .index import Index

# Who: a person pronoun points at the previous speaker. 其他 ("other") and 吉他 are no pronouns.
_PERSON_ZH = re.compile(r"(?<![其吉])[他她]们?|这位|那位|该讲者|讲者|报告人|演讲者")
_PERSON_EN = re.compile(
    r"\b(?:he|she|they|him|her|his|hers|their|them|the speaker|this speaker|that speaker)\b", re.IGNORECASE
)
# What: a thing pronoun points at the previous topic ("why is it faster?").
_THING_ZH = re.compile(r"它们?|(?:这个|这种|该|这项|那个)(?:方法|模型|工作|结构|网络|模块)")
_THING_EN = re.compile(
    r"\b(?:it|its|(?:this|that|the same)\s+(?:method|model|approach|work|idea|network|architecture|module))\b",
    re.IGNORECASE,
)
# More of the same: "他还讲了什么", "其他", "what else", "tell me more".
_MORE_ZH = re.compile(r"还(?:讲|说|谈|提|介绍|讨论|有)|其[他它]|别的|另外|此外|更多|再(?:讲|说|介绍)")
_MORE_EN = re.compile(
    r"\b(?:what|anything|something|who|where)\s+else\b|\bwhat\s+other\b|\bother\s+(?:things|points|topics|ideas)\b"
    r"|\btell me more\b|\bmore\s+(?:about|on)\b|^\s*(?:and\s+)?(?:anything\s+)?more\s*[?？.!]*\s*$|\bbesides\b",
    re.IGNORECASE,
)
# A question with its subject left out: "讲了 ConvBERT 吗？", "anything about latency?".
_MISSING_SUBJECT = re.compile(
    r"^\s*(?:那|那么)?\s*(?:还|又|也)?\s*(?:讲|说|谈|提)(?:了|过|到)|^\s*(?:and\s+)?any(?:thing)?\b", re.IGNORECASE
)
# Elliptical questions: "and about ConvBERT?", "what about the results?", "那 ConvBERT 呢？", "and ConvBERT?".
_ABOUT_EN = re.compile(
    r"^\s*(?:and|but|so|ok(?:ay)?|what|how)?[\s,]*(?:about|regarding)\s+(?P<x>.+?)\s*[?？.!]*\s*$", re.IGNORECASE
)
_AND_EN = re.compile(
    r"^\s*and\s+(?!(?:what|how|why|who|when|where|which|did|does|do|is|are|was|were|can|could)\b)"
    r"(?P<x>[^?？]+?)\s*[?？]+\s*$",
    re.IGNORECASE,
)
_ABOUT_ZH = re.compile(r"^\s*(?:那么?|还有|而)?\s*(?:关于)?\s*(?P<x>.+?)\s*(?:呢|怎么样)\s*[?？]*\s*$")
_PARTICLES = re.compile(r"[呢吗吧啊]")
_FILLER = re.compile(r"^\s*(?:and|so|but|ok(?:ay)?|那么?|还有|而)[\s,，]+", re.IGNORECASE)


def wants_more(question: str) -> bool:
    """True for "what else …" questions: sections cited before should give way to others."""
    return bool(_MORE_ZH.search(question) or _MORE_EN.search(question))


def previous_speaker(previous: Answer) -> str | None:
    """The speaker a follow-up to this answer means: the one the question named, else the one the
    answer is from ("who presented HRNet?" → "what else did he say?" means 王井东)."""
    if previous.query.speaker:
        return previous.query.speaker
    if previous.abstained or not previous.citations:
        return None
    return previous.citations[0].chunk.speaker


def resolve_followup(query: Query, previous: Answer | None) -> Query:
    """The question as retrieval should see it, given the previous turn of the conversation.

    A question that names a speaker (or an unknown person), or has no follow-up marker, stands alone
    and is returned as it is. A follow-up (a pronoun, "what else", an elliptical "and about X?" or a
    left-out subject) keeps the previous turn's speaker; without one, it continues the previous topic.
    A thing pronoun ("why is it faster?") also adds the previous topic to the question's own.
    The result has `carried_over=True` when anything was carried over.

    Args:
        query: the new question as Index.understand() read it.
        previous: the previous turn's answer, or None for the first question.
    """
    if previous is None or query.speaker or query.unknown_person:
        return query
    text = query.text
    about = _elliptical_topic(text)
    more = wants_more(text)
    person = bool(_PERSON_ZH.search(text) or _PERSON_EN.search(text) or _MISSING_SUBJECT.search(text))
    thing = bool(_THING_ZH.search(text) or _THING_EN.search(text))
    if about is None and not (more or person or thing):
        return query
    before = previous.query
    if before.unknown_person and (person or more):
        # "What did Hinton say?" → "what else did he say?": still nobody in the notes.
        return replace(query, unknown_person=before.unknown_person, carried_over=True)
    topic = about if about is not None else _strip_followup_words(text)
    if thing and about is None:
        topic = f"{before.topic} {topic}".strip()
    speaker = previous_speaker(previous)
    if speaker:
        return replace(query, topic=topic, speaker=speaker, carried_over=True)
    if about is not None:
        return replace(query, topic=topic)  # "and about X?" with no speaker to keep: a question about X
    if not thing:
        topic = f"{before.topic} {topic}".strip()
    return replace(query, topic=topic, carried_over=True)


def _elliptical_topic(text: str) -> str | None:
    """X of "and about X?" / "那 X 呢？", or None when the question is not elliptical."""
    for pattern in (_ABOUT_EN, _AND_EN, _ABOUT_ZH):
        match = pattern.match(text)
        if match:
            topic = _strip_followup_words(match.group("x"))
            if topic and re.search(r"\w", topic):
                return topic
    return None


def _strip_followup_words(text: str) -> str:
    """The question without its pronouns and "what else" words, which say nothing about the topic."""
    for pattern in (_PERSON_ZH, _PERSON_EN, _THING_ZH, _THING_EN, _MORE_ZH, _MORE_EN, _FILLER, _PARTICLES):
        text = pattern.sub(" ", text)
    text = " ".join(text.split()).strip(" ,，")
    return text if re.search(r"\w", text) else ""


def understood(query: Query) -> str | None:
    """How a follow-up was understood, for the UI ("about 冯佳时's talk"); None for a standalone question."""
    if not query.carried_over:
        return None
    zh = query.language == "zh"
    if query.unknown_person:
        return f"关于 {query.unknown_person}" if zh else f"about {query.unknown_person}"
    if query.speaker:
        said = f"关于{query.speaker}的报告" if zh else f"about {query.speaker}'s talk"
        if query.rewritten:
            said += f"：“{query.rewritten}”" if zh else f": “{query.rewritten}”"
        return said
    if query.rewritten:
        return f"理解为：“{query.rewritten}”" if zh else f"read as “{query.rewritten}”"
    return f"接着问：“{query.topic}”" if zh else f"continuing “{query.topic}”"


class Conversation:
    """A chat over an index: follow-up questions reuse the previous turn's speaker or topic.

    >>> chat = Conversation(rag.open_index("index"))
    >>> chat.ask("冯佳时讲了什么？").text
    >>> answer = chat.ask("他还讲了什么？")        # 冯佳时 again, other sections first
    >>> understood(answer.query)
    '关于冯佳时的报告'

    Args:
        index: an opened Index.
        rewrite: also let the language model rewrite follow-ups with the last turns. Defaults to True
            when a model is configured in the index's settings.
    """

    def __init__(self, index: Index, rewrite: bool | None = None) -> None:
        self.index = index
        self.rewrite = llm_configured(index.settings) if rewrite is None else rewrite
        self.turns: list[Answer] = []
        self._seen: set[Chunk] = set()

    def understand(self, question: str, speaker: str | None = None) -> Query:
        """How the next question will be read, given the conversation so far.

        Args:
            question: the next question.
            speaker: a speaker filter (as in Index.ask); it wins over the previous turn's speaker.

        Raises:
            InvalidQuestion: the question is empty or too long.
        """
        query = self.index.understand(question, speaker)
        previous = self.turns[-1] if self.turns else None
        resolved = resolve_followup(query, previous)
        if not (self.rewrite and previous and not query.speaker and not query.unknown_person):
            return resolved
        try:
            rewritten = rewrite_question(self.index.settings, self.turns, query.text)
        except LLMError:
            return resolved  # the rules' reading stands; the answer's own call reports a dead server
        if not rewritten or rewritten == query.text or len(rewritten) > 1000:
            return resolved
        if resolved.carried_over:
            # The rules caught the follow-up and keep steering retrieval ("besides MobileNeXt" is no topic);
            # the model is asked the standalone question.
            return replace(resolved, rewritten=rewritten)
        standalone = self.index.understand(rewritten)
        if standalone.unknown_person:
            return resolved  # a name the model made up
        return replace(
            resolved, topic=standalone.topic, speaker=standalone.speaker, carried_over=True, rewritten=rewritten
        )

    def ask(
        self,
        question: str,
        k: int | None = None,
        speaker: str | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        generate: bool = False,
    ) -> Answer:
        """Answer the next question of the conversation (see Index.ask); generated with generate=True."""
        return final_answer(self.ask_stream(question, k, speaker, note, mode, generate))

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        speaker: str | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        generate: bool = True,
    ) -> Iterator[str | Answer]:
        """Stream the answer to the next question (see Index.ask_stream); the final Answer is recorded
        as a turn once the stream is consumed.

        Raises:
            InvalidQuestion: at once, before the stream starts.
        """
        return self.answer_stream(self.understand(question, speaker), k, note, mode, generate)

    def answer_stream(
        self, query: Query, k: int | None = None, note: str | None = None, mode: str = "hybrid", generate: bool = True
    ) -> Iterator[str | Answer]:
        """ask_stream() for a question already read by understand(), so a UI can show how it was
        understood before the answer streams."""
        previous = self.turns[-1].query if self.turns else None
        # Same talk as the previous turn: carried over, or the same speaker named (or filtered) again.
        continuing = query.carried_over or bool(previous and query.speaker and query.speaker == previous.speaker)
        seen = frozenset(self._seen) if continuing and wants_more(query.text) else frozenset()
        events = self.index.answer_stream(query, k, note, mode, generate, seen)
        if query.carried_over and query.speaker and self.index.understand(query.text).speaker is None:
            events = self._elsewhere(events, query, k, note, mode, generate)
        return self._record(events, continuing)

    def _elsewhere(
        self, events: Iterator[str | Answer], query: Query, k: int | None, note: str | None, mode: str, generate: bool
    ) -> Iterator[str | Answer]:
        """A follow-up whose carried-over speaker never covered its topic ("and about ConvBERT?" after a
        turn on 王井东): when another talk covers it, answer from there and say so."""
        for event in events:
            if not (isinstance(event, Answer) and event.abstained):
                yield event
                continue
            anywhere = replace(query, speaker=None, carried_over=False)
            other = final_answer(self.index.answer_stream(anywhere, k, note, mode, generate=False))
            speaker = other.citations[0].chunk.speaker if other.citations else None
            if other.abstained or speaker in (None, query.speaker):
                yield event
                continue
            notice = (
                f"{query.speaker} 的报告没有讲到这个问题；以下来自 {speaker} 的报告。"
                if query.language == "zh"
                else f"{query.speaker}'s talk does not cover this; this is from {speaker}'s talk."
            )
            # Extractive; the next follow-up continues with the talk that answered.
            yield replace(other, notice=notice, query=replace(other.query, speaker=speaker, carried_over=True))

    def _record(self, events: Iterator[str | Answer], continuing: bool) -> Iterator[str | Answer]:
        for event in events:
            if isinstance(event, Answer):
                if not continuing:
                    self._seen = set()
                if not event.abstained:
                    self._seen.update(c.chunk for c in event.citations)
                self.turns.append(event)
            yield event
