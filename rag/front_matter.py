"""A note's front matter: Jekyll's YAML between `---` lines, Hugo's TOML between `+++` lines, Hexo's YAML
closed by `---` with no opening line; and the note's title from it. Pure: lines in, mapping out."""

from __future__ import annotations

import re
import tomllib
from pathlib import PurePath

import yaml

MAX_FRONT_MATTER_LINES = 200
# `date: 2014-18-19` is a ValueError in PyYAML; tomllib's TOMLDecodeError is one too.
_PARSE_ERRORS = (yaml.YAMLError, RecursionError, ValueError, OverflowError)


def read(lines: list[str]) -> tuple[dict, int, list[str]]:
    """(front matter, index of the first body line, warnings); Jekyll's YAML between `---` lines, Hugo's
    TOML between `+++` lines, or Hexo's YAML closed by `---` alone.

    A block that is not a mapping is read as Markdown: a note may open with a `---` rule, and dropping its
    text would be worse than indexing a broken front matter's lines.
    """
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return _unopened(lines)
    ends = range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 2))
    closers = ("---", "...") if fence == "---" else ("+++",)
    closing = next((i for i in ends if lines[i].strip() in closers), None)
    if closing is None:
        return {}, 0, ["front matter is never closed; read as Markdown"]
    block, language = "\n".join(lines[1:closing]), "YAML" if fence == "---" else "TOML"
    try:
        data = _yaml_tabs_as_spaces(block) if fence == "---" else tomllib.loads(block)
    except _PARSE_ERRORS as error:
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        return {}, 0, [f"front matter is not valid {language} ({first_line}); read as Markdown"]
    if data is None:
        return {}, closing + 1, []
    if not isinstance(data, dict):
        return {}, 0, ["front matter is not a mapping; read as Markdown"]
    return data, closing + 1, []


def _yaml_tabs_as_spaces(block: str) -> object:
    """The YAML, or, where a tab breaks it (`tags: [` over tab-indented items, which Hugo reads), the YAML with
    tabs as spaces."""
    try:
        return yaml.safe_load(block)
    except yaml.YAMLError:
        if "\t" not in block:
            raise
        return yaml.safe_load(block.replace("\t", "  "))


_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*:(?:\s|$)")


def _unopened(lines: list[str]) -> tuple[dict, int, list[str]]:
    """Hexo's front matter without its opening `---` ("title: …" lines, then `---`): a mapping with a title
    or a date. Anything else (a note opening on `Speaker: Jane Roe` over a rule) stays Markdown."""
    if not lines or not _KEY_LINE.match(lines[0]):
        return {}, 0, []
    ends = range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 1))
    closing = next((i for i in ends if lines[i].strip() == "---"), None)
    if closing is None:
        return {}, 0, []
    try:
        data = yaml.safe_load("\n".join(lines[:closing]))
    except _PARSE_ERRORS:
        return {}, 0, []
    if isinstance(data, dict) and ("title" in data or "date" in data):
        return data, closing + 1, []
    return {}, 0, []


def title(front: dict, file: str) -> str:
    """The front matter's title when it is text (or a number, a date, a list of those), else the file name.

    Mappings and nested lists are not titles, and str() of YAML aliases nested in them can explode.
    """
    title = front.get("title")
    if isinstance(title, (list, tuple)):
        title = " ".join(str(t) for t in title if _is_scalar(t))
    title = " ".join(str(title).split()) if _is_scalar(title) else ""
    return title or PurePath(file).stem


def _is_scalar(value: object) -> bool:
    return value is not None and not isinstance(value, (dict, list, tuple, set))


# The writer's own summary of the note, which a question may ask about ("when and where was it held?").
_SUMMARY_LINE = re.compile(r"^(?P<key>description|excerpt|summary|abstract)\s*[:=]")
MIN_SUMMARY_CHARS = 20  # shorter is a label, not a summary


def summary(front: dict, lines: list[str], body_start: int) -> tuple[int, str] | None:
    """(1-based line, text) of the front matter's description, excerpt or summary written on its own line
    (the value as read, without quotes or a `# comment`); None without one."""
    for n, line in enumerate(lines[:body_start], start=1):
        match = _SUMMARY_LINE.match(line)
        value = front.get(match.group("key")) if match else None
        text = " ".join(value.split()) if isinstance(value, str) else ""
        if len(text) >= MIN_SUMMARY_CHARS and text in " ".join(line.split()):
            return n, text
    return None
