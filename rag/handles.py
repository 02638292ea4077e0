"""A speaker known by a link or a handle: a profile or speaker-page link, a handle under a heading or closing it,
a write-up opening on a linked name; and the person of the note a handle is. Pure.

"## https://twitter.com/IanMulvany" heads Ian Mulvany's talk; "## https://twitter.com/rachaelevelyn" heads the
talk of the one person the note names whose first name the handle starts with (Rachael Ainsworth, listed among
the speakers). A question names the person, not the handle.
"""

from __future__ import annotations

import re

from . import labels
from .markup import clean
from .name_forms import fold_accents, two_scripts
from .name_lines import loose_name
from .outline import Section
from .speakers import (
    PROFILE_SITES,
    clean_name,
    first_name_first,
    is_clear_person,
    is_english_word,
    is_name_shaped,
    is_name_word,
    is_person,
    name_words,
)
from .text import simplified

People = list[tuple[str, str | None]]

# A link to a person's profile, alone: "https://twitter.com/jroe", "<https://github.com/jroe>".
_PROFILE_URL = re.compile(
    rf"^<?https?://(?:www\.)?(?:{PROFILE_SITES}|mastodon\.\w+/@?)/?(?P<handle>"
    r"[A-Za-z][\w.\-]{1,38})/?>?$",
    re.IGNORECASE,
)
_MIN_NAME_LETTERS = 4  # "Ian" is in too many handles to tell a person by; "Rachael", "Sian" are not


def from_profile_heading(heading: str) -> People:
    """The person a heading that is only a link to their profile names: the handle's words when they are a
    clear name ("IanMulvany" → Ian Mulvany), else the handle ("@rachaelevelyn", see resolve)."""
    match = _PROFILE_URL.match(heading.strip())
    if not match:
        return []
    handle = match.group("handle")
    words = " ".join(slug_words(handle))
    return [(words, None)] if " " in words and is_clear_person(words) else [(f"@{handle}", None)]


def resolve(sections: list[Section]) -> None:
    """Give each speaker known only by a handle the name of the one person of the note (named in full
    anywhere in it) whose first name or surname the handle holds."""
    names = {name for s in sections for name, _ in s.people if " " in name and not name.startswith("@")}
    for section in sections:
        section.people = [(_owner(name, names) or name, org) for name, org in section.people]


def _owner(handle: str, names: set[str]) -> str | None:
    """The one name whose first name or surname (four letters or more) the handle holds."""
    if not handle.startswith("@"):
        return None
    held = fold_accents(handle[1:]).lower()

    def holds(name: str) -> bool:
        words = fold_accents(name).lower().split()
        return any(len(w) >= _MIN_NAME_LETTERS and w in held for w in (words[0], words[-1]))

    owners = [name for name in names if holds(name)]
    return owners[0] if len(owners) == 1 else None


# "http://conf.example.com/speaker/DanNorth", "…/speakers/jane-roe/": a conference's page of the speaker.
_SPEAKER_URL = re.compile(
    r"^<?https?://\S+?/(?:speakers?|presenters?|people|profiles?)/(?P<slug>[A-Za-z][A-Za-z\-_.]{3,40}?)/?"
    r"(?:\.html?)?>?$",
    re.IGNORECASE,
)


def slug_words(slug: str) -> list[str]:
    """The words a URL's last part or a handle runs together: "jane-roe", "DanNorth", "jane_roe"."""
    return [w for w in re.split(r"[-_.]+|(?<=[a-z])(?=[A-Z])", slug) if w]


def from_speaker_url(line: str) -> list[tuple[str, str | None]]:
    """The person a line that is only the link to a speaker's page names by its last part ("DanNorth",
    "jane-roe"), when that spells a clear name."""
    match = _SPEAKER_URL.match(line.strip())
    if not match:
        return []
    words = slug_words(match.group("slug"))
    name = " ".join(w.capitalize() if w.islower() else w for w in words)
    # The page is a speaker's: a known first name is enough ("Dan North", though "north" is a word).
    first_name = 2 <= len(words) <= 3 and all(map(is_name_word, words)) and words[0].lower() in name_words()
    return [(name, None)] if first_name or is_clear_person(name) else []


# A talk's write-up opening on who gives it, as a link to their page or with their handle, then a comma:
# "[Jane Roe](https://twitter.com/jroe), a great talk on…", "Jane Roe [@jroe](…), resource loading is…",
# "Jane Roe, [@jroe](…) started with…".
_LINKED_NAME_OPENING = re.compile(r"^\[(?P<name>[^\[\]]{3,40})\]\([^()\s]+\)\s*[,，:：]")
_LINKED_NAME = re.compile(r"\[(?P<name>[^\[\]]{2,40})\]\([^()\s]+\)")
_HANDLED_NAME_OPENING = re.compile(
    r"^(?P<name>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){1,3})\s*,?\s*\[@\w+\]\([^()\s]+\)\s*[,，)]?"
)


_TRAILING_BRACKETS = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_INITIALS_NAME = re.compile(r"(?:[A-Z]\.\s?){1,2}[A-Z]?\s*[A-Z][a-z]+")  # "A.B Chen", "J. R. Doe"


def from_linked_opening(source_line: str) -> list[tuple[str, str | None]]:
    """The person whose page or handle opens a talk's first paragraph (its Markdown source), then a comma, or
    after the word for speaker ("講者 [Jane Roe](url) 介紹了…")."""
    linked = _LINKED_NAME_OPENING.match(source_line.strip())
    if linked and is_person(linked.group("name")):
        return [(clean_name(linked.group("name")), None)]
    labelled = labels.SPEAKER_WORD.match(simplified(source_line.strip()))
    after = source_line.strip()[labelled.end() :] if labelled else ""
    if labelled and (linked := _LINKED_NAME.match(after)):
        name = clean_name(_TRAILING_BRACKETS.sub("", linked.group("name")))  # "Sam Hsu (SkyDev)"
        if is_person(name) or loose_name(name) or two_scripts(name) or _INITIALS_NAME.fullmatch(name):
            return [(name, None)]
    handled = _HANDLED_NAME_OPENING.match(source_line.strip())
    return [(clean_name(handled.group("name")), None)] if handled and is_name_shaped(handled.group("name")) else []


_HANDLE_LINE = re.compile(r"^@[A-Za-z][\w.]{1,29}$")


def from_handle_line(line: str) -> list[tuple[str, str | None]]:
    """ "@amaltson" alone on the line under a talk's heading: all the notes give of who speaks."""
    handle = line.strip()
    return [(handle, None)] if _HANDLE_LINE.match(handle) else []


# A contact or role line under a speaker's name: "[@calvinhp](https://twitter.com/calvinhp)", "CTO at Acme".
_CONTACT_LINE = re.compile(r"^\s*(?:\[?@\w|https?://|\[[^\]]+\]\(https?://)")
_ROLE_LINE_CHARS = 60


def from_name_over_contact(line: str, next_line: str) -> list[tuple[str, str | None]]:
    """ "Calvin Hendryx-Parker" (a bracketed note allowed) alone on the first line under a talk's heading, over
    a handle, a link or a short role line: the talk's speaker, however the lines run on as one paragraph."""
    name = _TRAILING_BRACKETS.sub("", clean(line).strip())
    below = next_line.strip()
    role = 0 < len(below) <= _ROLE_LINE_CHARS and not below.endswith((".", "。", ":", "：", ",", "，"))
    if not name or not (_CONTACT_LINE.match(below) or role) or not is_clear_person(name):
        return []
    return [(clean_name(name), None)]


_NAME_BEFORE_HANDLE = re.compile(r"(?P<words>(?:[A-Z][\w’'\-]*\s+){1,3}[A-Z][\w’'\-]*)\s*[(（]?\s*@(?P<handle>\w+)")


def name_spelled_by_handle(plain: str, text: str) -> tuple[list[tuple[str, str | None]], str] | None:
    """ "Title by Ken Wheeler @ken_wheeler": a first name and a surname right before a handle that spells them
    are a person's, even when both are dictionary words ("Wheeler") that is_person() would not take alone."""
    for match in _NAME_BEFORE_HANDLE.finditer(plain):
        words = match.group("words").split()
        for size in (3, 2):
            name = " ".join(words[-size:])
            if len(words) >= size and first_name_first(name) and _spells(match.group("handle"), name):
                title = text.replace(name, " ").strip()
                title = re.sub(r"(?:\s+by|\s*[-–—:：,，|｜])\s*$", "", title).strip()
                return [(name, None)], title
    return None


def _spells(handle: str, name: str) -> bool:
    """The handle is made of the name: the first name or its initial, and the surname or its first four letters
    ("gwenshap" for Gwen Shapira, "ken_wheeler"); an organisation's handle spells no first name."""
    letters = re.sub(r"[^a-z]", "", handle.lower())
    words = [re.sub(r"[^a-z]", "", w.lower()) for w in name.split()]
    first, last = words[0], words[-1]
    return len(last) >= 3 and last[:4] in letters and (first in letters or letters.startswith(first[:1]))


# "understanding the interface @francesc": a talk's title, then its speaker's handle alone.
_CLOSING_HANDLE = re.compile(r"^(?P<title>\S.*?\S)\s+@(?P<handle>[a-z][a-z\d_.]{2,30})$")


def handle_closing(plain: str) -> tuple[list[tuple[str, str | None]], str] | None:
    """The speaker a heading names by the lower-case handle closing it, after a title of two words or more;
    "Kafka @scale" (an English word), "Betting on React Native @reactnative" (the title's project) and "Notes
    by Jane Doe @acme_team" (a name that is not the handle's) name no one."""
    match = _CLOSING_HANDLE.match(plain)
    title = match.group("title") if match else ""
    if not match or len(title.split()) < 2 or " by " in title or is_english_word(match.group("handle")):
        return None
    letters = re.sub(r"[^a-z]", "", match.group("handle"))
    if letters in re.sub(r"[^a-z]", "", title.lower()):
        return None
    return [(match.group("handle"), None)], title


# "# @NavalRavikant @podcastJoeRogan": a heading of handles only, the first a person's name run together.
_HANDLES_ONLY = re.compile(r"^@(?P<first>[A-Za-z][A-Za-z\d_]{2,30})(?:\s+@[A-Za-z\d_]{2,30})*$")


def camel_case_handle(plain: str) -> tuple[list[tuple[str, str | None]], str] | None:
    """The person a heading of handles opens on, read from the capitals of the first ("Naval Ravikant"); the
    handles after it are where they spoke (a podcast's, a meetup's). "@ME", "@pydata" name no one."""
    match = _HANDLES_ONLY.match(plain.strip())
    words = re.findall(r"[A-Z][a-z]+", match.group("first")) if match else []
    name = " ".join(words)
    whole = match is not None and "".join(words) == match.group("first") and 2 <= len(words) <= 3
    # "KubeCon" and "PyCon" run short syllables together: a name has no word under four letters.
    if whole and (first_name_first(name) or (is_clear_person(name) and all(len(w) >= 4 for w in words))):
        return [(name, None)], ""
    return None
