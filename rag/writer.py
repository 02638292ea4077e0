"""The writer's own talk: a trip report's "I gave a talk!" section, asked for as "作者自己讲了什么题目" or "Which
talk did the note's author give?". Such a section is the talk of WRITER, a speaker a question names only in
these words. Pure."""

from __future__ import annotations

import re

WRITER = "the writer"

_TALK_NOUNS = r"(?:talk|lightning talk|presentation|keynote|workshop|tutorial|session)"
# "I gave a talk!", "On Thursday, I gave my talk about sol2", "I did a lightning talk on serverless", "我自己的一个分享"
# (not "my talk notes", "I gave up").
_OWN_TALK = re.compile(
    rf"\bI (?:also )?(?:gave|did|presented|delivered|ran) (?:a|an|my|our)\b[^.!?]{{0,30}}?\b{_TALK_NOUNS}\b"
    rf"|\bI (?:spoke|talked) (?:about|on)\b"
    r"|我(?:自己)?的(?:一个|一场|一次)?(?:分享|演讲|报告|闪电演讲)|我(?:也)?(?:做了|作了|带来了)(?:一个|一场|一次)?(?:分享|演讲|报告|闪电演讲)",
    re.IGNORECASE,
)
# A question about that talk, and the words that say so.
_ASKS_OWN_TALK = re.compile(
    r"(?:the )?(?:notes?'?s? )?(?:author|writer)s?(?:['’]s?)? (?:own )?(?:talk|lightning talk|presentation)"
    r"|(?:did|does) the (?:notes?'?s? )?(?:author|writer)s? (?:give|present|do|deliver)"
    r"|(?:talk|presentation) (?:did|was) (?:given by )?the (?:notes?'?s? )?(?:author|writer)s?(?: give| present)?"
    r"|(?:talks?|presentations?) (?:that )?the (?:notes?'?s? )?(?:author|writer)s? (?:gave|give|presented|did)"
    r"|given by the (?:people|person) who wrote (?:these|the) notes?"
    r"|作者(?:自己|本人)|作者那场|作者的(?:分享|演讲|报告|闪电演讲)",
    re.IGNORECASE,
)


def gives_own_talk(text: str) -> bool:
    """Whether a heading or a paragraph says the writer gave a talk."""
    return bool(_OWN_TALK.search(text))


def own_talk_topic(question: str) -> str | None:
    """The question without the words asking for the writer's own talk, or None when it does not ask for it."""
    match = _ASKS_OWN_TALK.search(question)
    return " ".join((question[: match.start()] + " " + question[match.end() :]).split()) if match else None
