"""English prose saying who gives a talk: "It was given by Jane Roe", "a talk by Jane Roe", "a tutorial from Jane
Roe and John Smith", "Jane Roe gave a talk", "Jane Roe's talk on …", 'Jane Roe's "Title" was…'. Pure;
rag.prose_speakers reads the other constructions, Chinese among them."""

from __future__ import annotations

import re

from .glossary import census_first_names
from .prose_names import LATIN_NAME, latin_name
from .speakers import is_clear_person, is_english_word

People = list[tuple[str, str | None]]

# "It was given by Percy Liang, a professor…", "**Title** given by Jane Roe from Acme": a verb of giving a talk,
# in a sentence about a talk ("the proof was given by Andrew Wiles" is not one).
_ABOUT_A_TALK = re.compile(
    r"\b(?:talks?|tutorials?|keynotes?|presentations?|lectures?|sessions?)\b|^(?:It|This|That)\s+(?:was|is)\s+\w+\s+by\b"
)
_GIVEN_BY = re.compile(
    rf"\b(?:given|presented|delivered|taught)\s+by\s+(?P<name>{LATIN_NAME})(?:\s*(?:,|and|&)\s*(?P<other>{LATIN_NAME}))?"
)
# "The first speaker was Jane Roe from Acme", "Our keynote speakers were Jane Roe and John Smith".
_SPEAKER_WAS = re.compile(
    rf"\bspeakers?\s+(?:was|is|were|are)\s+(?P<name>{LATIN_NAME})(?:\s*(?:,|and|&)\s*(?P<other>{LATIN_NAME}))?"
)
# "Another talk by Jane Roe covered…", "the keynote by Jane Roe and John Smith": a talk noun, then "by" people.
# "The final talk I went to on Saturday was by Jane Roe", "The first talk I attended was on search by Jane Roe":
# the talk, then who it was by (not the paper or book it was about).
_TALK_BY = re.compile(
    r"\b(?i:talk|tutorial|keynote|presentation|lecture|speech|remarks|address|demo|workshop|(?:welcome|opening) words?)s?"
    r"(?:(?:\s+[^.;!?,]{1,40}?)?\s+was(?:\s+(?:on|about)\s+(?:(?!paper|book|article|work|study|post)[^.;!?,]){1,60}?)?)?"
    rf"\s+by\s+(?P<name>{LATIN_NAME})"
    rf"(?:\s*(?:,|and|&)\s*(?P<other>{LATIN_NAME}))?"
)
# "Jane Roe gave a great talk on…", "Then John Smith delivered the keynote",
# "Jane Roe, who I had met the evening before, gave a talk on…".
_GAVE = re.compile(
    rf"(?P<name>{LATIN_NAME})(?:,?\s+who(?:\s+[^.;!?]{{1,80}}?)?,?)?\s+(?:gave|delivered|presented)\s+(?:a|an|the|her|his|their)\b[^.;!?]{{0,30}}?"
    r"\b(?:talk|keynote|tutorial|presentation|lecture)\b"
)
# "a two-parter on Structured Prediction from Jane Roe and John Smith": a talk noun, then "from" people.
_TALK_FROM = re.compile(
    r"\b(?i:talk|tutorial|keynote|presentation|lecture|two-parter)s?\b[^.;!?\"“”]{0,80}?\bfrom\s+"
    rf"(?P<name>{LATIN_NAME})(?:\s*(?:,|and|&)\s*(?P<other>{LATIN_NAME}))?"
)
# "Jane Roe's talk on…", "eclipsed by Jane Roe's keynote", 'Jane Roe's "Title" was…': a talk that is the
# person's, as what the sentence is about (opening it, or after "by", "was", "enjoyed"…), not a talk the text
# refers back to ("at lunch we discussed Jane Roe's talk", "building on Jane Roe's talk").
_POSSESSIVE_NAME = r"[A-Z][\w.\-]*(?:\s+(?:[A-Z][\w.\-]*|van|von|de|der|da|di|le|la))*"
_THEIR_TALK = r"(?:(?:invited|opening|closing|keynote|plenary)\s+)?(?:talk|keynote|presentation|tutorial|lecture)\b"
_POSSESSIVE = re.compile(
    r"(?:^|[,:;]\s*|\b(?:by|was|is|were|enjoyed|loved|liked|attended|saw|watched|heard)\s+)"
    rf"(?P<name>{_POSSESSIVE_NAME})['’]s\s+(?:{_THEIR_TALK}|[\"“])"
)
# "A summary of Andrew Ng's talk at the Deep Learning School": a note's description says whose talk it is.
_WHOSE_TALK = re.compile(rf"\b(?P<name>{_POSSESSIVE_NAME})['’]s\s+{_THEIR_TALK}")
# "Another great two-part talk was Jane Roe's about Boost.Text": the talk, then whose it was.
_TALK_WAS_THEIRS = re.compile(
    rf"\b(?i:talk|keynote|presentation|tutorial|lecture)\s+(?:was|is)\s+(?P<name>{_POSSESSIVE_NAME})['’]s\b"
)


def whose_talk(description: str) -> People:
    """The person whose talk a note's front-matter title or description says it is about, or []."""
    match = _WHOSE_TALK.search(description)
    name = match and latin_name(match.group("name"))
    return [(name, None)] if name else []


def english_giver(sentence: str) -> People:
    """The people an English sentence says give a talk: "given by Name", "a talk by Name", "the next speaker was
    Name", "a tutorial from A and B", "Name gave a talk", "Name's talk"; after "talk by/from" (an organisation
    may follow), "speaker was" and before "'s" one of the names must be a clear one."""
    rules = (
        (_GIVEN_BY, False),
        (_TALK_BY, True),
        (_SPEAKER_WAS, True),
        (_TALK_FROM, True),
        (_GAVE, False),
        (_POSSESSIVE, True),
        (_TALK_WAS_THEIRS, True),
    )
    for pattern, clear in rules:
        if pattern is _GIVEN_BY and not _ABOUT_A_TALK.search(sentence):
            continue
        # "a talk on data from PDFs … a talk from Jane Roe": a later match may name who the first did not.
        for match in pattern.finditer(sentence):
            # "a talk by Jane Roe, CTO of Acme": what follows the comma may be who she is, not a second speaker.
            first = latin_name(match.group("name"))
            other = latin_name(match.group("other")) if match.groupdict().get("other") else None
            names = [name for name in (first, other) if name]
            if first and (not clear or any(is_clear_person(n) for n in names)):
                return [(n, None) for n in names]
            if not first and (alone := _first_name_alone(pattern, match.group("name"))):
                return [(alone, None)]
    return []


def _first_name_alone(pattern: re.Pattern, text: str) -> str | None:
    """ "…titled "Title", presented by Rafael.": after "given by" or "a talk by", a census first name alone
    (no English word: not "by Grace") is what the writer calls the speaker."""
    word = text.split()[0].rstrip(".")
    known = word.lower() in census_first_names() and not is_english_word(word.lower())
    return word if pattern in (_GIVEN_BY, _TALK_BY) and known and word[1:].islower() else None


# "Kristina Bennett is a software engineer who…", "Jane Roe is the founder of Acme": a talk's text opening on
# who its speaker is.
_BIO_OPENING = re.compile(
    rf"^(?P<name>{LATIN_NAME})\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:engineer|developer|scientist|researcher|professor|founder|co-founder|director|manager|architect|lead"
    r"|head|lecturer|consultant|designer|advocate|evangelist|analyst|maintainer|cto|ceo|vp|phd)\b",
    re.IGNORECASE,
)


def bio_opening(first_sentence: str) -> People:
    """The speaker a talk's text opens on by saying who they are: a clear name, then a role."""
    match = _BIO_OPENING.match(first_sentence.strip())
    name = latin_name(match.group("name")) if match else None
    return [(name, None)] if name and is_clear_person(name) else []
