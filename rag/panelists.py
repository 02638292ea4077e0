"""Who sits on a panel, as a write-up lists them in one sentence after a word for the panel: "The panelists were
Jane Roe ([@jroe](url)), John Doe ([@jdoe](url)) and …", "…panelists: [Jane Roe](url), [John Doe](url)". Pure."""

from __future__ import annotations

import re

from .speakers import clean_name, is_clear_person

People = list[tuple[str, str | None]]

# "The panelists were …", "a smart group of panelists …:", "本期嘉宾是…": who sits on a panel or a show, listed after.
_PANEL_CUE = re.compile(
    r"\b(?:panell?ists?|the panel (?:was|were|consisted of|included)|guests (?:were|are))\b|嘉宾(?:是|有|为|為)",
    re.IGNORECASE,
)
# A name in such a list: linked ("[Jane Roe](url)") or followed by its handle ("Jane Roe ([@jroe](url))").
_LISTED_NAME = re.compile(
    r"\[(?P<link>[^\[\]\n]{3,40})\]\([^)\s]+\)"
    r"|(?P<plain>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){1,3})\s*\(\s*\[@\w+\]\([^)\s]+\)\s*\)"
)


def panelists(source_line: str) -> People:
    """The people a sentence says sit on a panel, two or more, each linked or with their handle: "The panelists
    were Jane Roe ([@jroe](url)), John Doe ([@jdoe](url)) and …", "…panelists: [Jane Roe](url), [John Doe](url)"."""
    cue = _PANEL_CUE.search(source_line)
    if not cue:
        return []
    names = [clean_name(m.group("link") or m.group("plain")) for m in _LISTED_NAME.finditer(source_line, cue.end())]
    names = list(dict.fromkeys(names))
    return [(name, None) for name in names] if len(names) >= 2 and all(map(is_clear_person, names)) else []
