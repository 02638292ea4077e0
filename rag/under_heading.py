"""The speaker written on the lines right under a talk's heading: a dash line, a byline, a bare name bullet,
"by Name", "Name (Org)", a name over a link to the slides. Pure."""

from __future__ import annotations

import re

from . import handles, labels, name_lines
from .markup import HARD_BREAK, clean
from .outline import Section, Unit
from .speakers import clean_name, first_name_first, is_clear_person

_ONLY_LINK = re.compile(r"^\s*(?:[-*+]\s+)?!?\[[^\]]*\]\([^)\s]*\)\s*$")  # "[Slides](https://…)" alone
_TRAILING_LINKS = re.compile(r"(?:\s+\[[^\]\n]{0,40}\]\([^)\s]*\))+\s*$")
_EMPHASIZED_LINE = re.compile(r"^([*_]{1,2})[^*_\s].*[^*_\s]\1\s*$")  # "*Jane Roe, Acme*" as a whole line


def name_under_heading(section: Section, lines: list[str], explicit_only: bool = False) -> list[tuple[str, str | None]]:
    """A speaker on a line of its own right under a talk's heading: '—Name Org', or a bullet that is a name.
    Inside a talk only an explicit line ("by Name", "由…主讲") names a sub-section's own speaker."""
    if explicit_only:
        return name_lines.from_opening_line(section.units[0].text, explicit_only=True) if section.units else []
    if found := _signed_abstract(section, lines):
        return found
    under = [line for line in lines[section.start : section.end] if not line.lstrip().startswith("#")]
    found = name_lines.from_affiliation_lines(under)
    first, *rest = [line for line in under if line.strip()] or [""]
    found = found or handles.from_speaker_url(first) or handles.from_handle_line(first)
    found = found or handles.from_name_over_contact(first, rest[0] if rest else "")
    if found:
        return found
    if found := _byline_under_link(section, lines):
        return found
    # The talk's first paragraph, past lines that are only a link ("[Seminars](#)", "[<- Back](README.md)").
    opening = next((u for u in section.units if u.start > len(lines) or not _ONLY_LINK.match(lines[u.start - 1])), None)
    for unit in section.units[:6]:
        source = lines[unit.start - 1].lstrip() if unit.start <= len(lines) else ""
        above = next((lines[i].lstrip() for i in range(unit.start - 2, section.start - 1, -1) if lines[i].strip()), "")
        if above.startswith(">"):
            continue  # "—Author" closing a quotation is a credit, not the talk's speaker
        if source[:1] in "—–":
            found = name_lines.from_dash_line(unit.text)
            if found:
                return found
        # The write-up opening on its speaker's page or handle, maybe under a line such as "rating: ★★★".
        if unit in section.units[:2] and (found := handles.from_linked_opening(source)):
            return found
        if labels.LIST_MARKER.match(source) and (found := name_lines.bare_name(unit.text)):
            return found + _names_listed_after(section, unit, lines)
        if unit is opening and source.startswith(">") and (found := _quoted_byline(unit, source)):
            return found
        if unit is opening and (titled := _TITLE_BY_NAME.match(source)) and _named(titled.group("who")):
            return [(clean_name(titled.group("who")), titled.group("org"))]
        if unit is opening and not source.startswith((">", "|")):
            # "_Jane Roe_ [:video_camera:](https://…)": the byline may end in links to the talk's video or slides.
            byline_text = _TRAILING_LINKS.sub("", source)
            byline = _EMPHASIZED_LINE.match(byline_text) and unit.start == unit.end
            found = (byline and name_lines.from_byline(clean(byline_text))) or name_lines.from_opening_line(unit.text)
            found = found or name_lines.from_field_line(clean(source))  # the line: a field may end a sentence
            # A paragraph of one line that is only names ("Jane Roe" or "Jane Roe, John Doe" under the title).
            # Several names opening a paragraph ("罗正烨、方潇仪，倪栩生。他们都是…") are who speak, too.
            alone = unit.start == unit.end and sum(u.block == unit.block for u in section.units) == 1
            listed = [] if found else name_lines.bare_names(unit.text)
            found = found or (listed if alone or len(listed) >= 2 else [])
            # A line of its own by a hard break ("Jane Roe (Acme)  " over comments on the talk) naming who speaks.
            line = clean(HARD_BREAK.sub("", source)) if HARD_BREAK.search(source) and not found else ""
            found = found or (line and (name_lines.from_opening_line(line) or name_lines.bare_names(line))) or []
            if found:
                return found
    return _one_byline_item(under)


def _byline_under_link(section: Section, lines: list[str]) -> list[tuple[str, str | None]]:
    """ "*Jane Roe / Acme*" under a line that is only a link to the talk's slides."""
    if len(section.units) < 2 or section.units[1].start > len(lines):
        return []
    link, byline = lines[section.units[0].start - 1], lines[section.units[1].start - 1].lstrip()
    if _ONLY_LINK.match(link) and _EMPHASIZED_LINE.match(byline):
        return name_lines.from_byline(section.units[1].text)
    return []


# "'Drawing Blanks: Title' by Jane Roe (Acme)": the talk's title in quotes, then who gives it, the whole line.
_TITLE_BY_NAME = re.compile(
    r"^\s*(?:['‘\"“]|\*{1,2}|_)[^\n]{4,160}?(?:['’\"”]|\*{1,2}|_)\s*,?\s+by\s+(?P<who>[^()（）,]{3,60}?)"
    r"\s*(?:[(（](?P<org>[^()（）]{1,60})[)）])?\s*$"
)


def _named(who: str) -> bool:
    return is_clear_person(who) or first_name_first(who)  # "James Raven": a census first name after "by"


_FOOTER = re.compile(r"^\s*<footer\b[^>]*>\s*$", re.IGNORECASE)
_LEADING_DASHES = re.compile(r"^[-—–\s]+")


def _signed_abstract(section: Section, lines: list[str]) -> list[tuple[str, str | None]]:
    """A talk's abstract quoted under its heading and signed in a `<footer>` ("--- Jane Roe, Acme"), where the
    write-up below calls the signer by name ("Jane showed us…"): its speaker, not a quotation's author."""
    first_blocks = sorted({unit.block for unit in section.units})[:2]
    for unit in (u for u in section.units if u.block in first_blocks and 2 <= u.start <= len(lines)):
        if not _FOOTER.match(lines[unit.start - 2]):
            continue
        found = name_lines.from_byline(_LEADING_DASHES.sub("", unit.text))
        below = " ".join(u.text for u in section.units if u.block > unit.block)
        if len(found) == 1 and re.search(rf"\b{re.escape(found[0][0].split()[0])}\b", below):
            return found
    return []


_BOLD_NAME_OPENING = re.compile(r"^(?:\*\*|__)[^*_]{2,40}(?:\*\*|__)\s*[，,、:：/／|｜]")


def _quoted_byline(unit: Unit, source: str) -> list[tuple[str, str | None]]:
    """A byline set as a quotation under the talk's title: "> Jane Roe, Acme", "> 张三／某公司 研究员" (one short
    line, a name then where they work), or "> **张三**，某公司…" opening a quoted bio."""
    text = source.lstrip("> ").strip()
    if _BOLD_NAME_OPENING.match(text):
        return name_lines.from_opening_line(clean(text), labelled=True)
    found = name_lines.from_byline(clean(text)) if unit.start == unit.end else []
    return found if len(found) == 1 and found[0][1] else []


_BYLINE_ITEM = re.compile(r"(?:(?:talk|keynote|presentation|session|lecture|tutorial)\s+)?by\s", re.IGNORECASE)


def _one_byline_item(under: list[str]) -> list[tuple[str, str | None]]:
    """The one list item of a talk's notes (the lines `under` its heading) that says who gives it ("- Talk by
    Jane Roe"); several such items are a list of talks to watch, no byline."""
    texts = [clean(labels.LIST_MARKER.sub("", item).strip()) for item in under if labels.LIST_MARKER.match(item)]
    found = [
        people
        for text in texts
        if _BYLINE_ITEM.match(text) and (people := name_lines.from_opening_line(text, explicit_only=True))
    ]
    return found[0] if len(found) == 1 else []


def _names_listed_after(section: Section, first: Unit, lines: list[str]) -> list[tuple[str, str | None]]:
    """The co-speakers listed right after a name bullet under a talk's heading ("- Jane Roe", "- John Doe")."""
    found: list[tuple[str, str | None]] = []
    for unit in section.units[section.units.index(first) + 1 :]:
        source = lines[unit.start - 1] if unit.start <= len(lines) else ""
        person = name_lines.bare_name(unit.text) if labels.LIST_MARKER.match(source) else []
        if not person or unit.start > first.start + len(found) + 1:
            break
        found += [p for p in person if p not in found]
    return found


# "Opening Keynote - Kaz": a talk label, then one word that may be what people call the speaker.
_LABEL_THEN_WORD = re.compile(
    r"^(?i:(?:opening |closing |invited )?(?:keynote|talk|lecture|session|tutorial))\s*[-–—:：]\s*(?P<who>[A-Z][a-z]{2,15})$"
)
_SAYS_AFTER = r"\s+(?:said|says|joked|jokes|told|talked|explained|showed|began|started|asked|noted|argued|thinks)\b"


def nickname_in_label_heading(section: Section, lines: list[str]) -> list[tuple[str, str | None]]:
    """The one word after a talk label in a heading ("Opening Keynote - Kaz") that the talk's text uses as who
    speaks ("Kaz said…", "Kaz joked…"); "Keynote - Kubernetes" over text about Kubernetes names no one."""
    match = _LABEL_THEN_WORD.match(section.headings[-1].strip())
    if not match:
        return []
    who = match.group("who")
    text = "\n".join(lines[section.start : section.end])
    return [(who, None)] if re.search(rf"\b{who}{_SAYS_AFTER}", text) else []


_ROLE_LINES_BLOCKS = 4  # a session's write-up names its presenters within its first paragraphs


def presenters_with_roles(section: Section, lines: list[str]) -> list[tuple[str, str | None]]:
    """A paragraph among the section's first that is only people and their roles, a line each ("Ken Kettle -
    General Manager, Acme" over "Jane Roe - Solutions Architect, Acme"), under the session's title and abstract."""
    for block in sorted({unit.block for unit in section.units})[:_ROLE_LINES_BLOCKS]:
        units = [unit for unit in section.units if unit.block == block]
        if found := name_lines.from_role_lines(lines[units[0].start - 1 : units[-1].end]):
            return found
    return []
