"""A speaker known by a profile link or a handle, and the person of the note that handle is. Pure.

"## https://twitter.com/IanMulvany" heads Ian Mulvany's talk; "## https://twitter.com/rachaelevelyn" heads the
talk of the one person the note names whose first name the handle starts with (Rachael Ainsworth, listed among
the speakers). A question names the person, not the handle.
"""

from __future__ import annotations

import re

from .name_lines import slug_words
from .outline import Section
from .speakers import PROFILE_SITES, is_clear_person
from .text import fold_accents

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
