"""Markdown and HTML inline markup → plain text. Pure."""

from __future__ import annotations

import html
import re

IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
IMAGE_HTML = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.IGNORECASE)
# Two spaces or a backslash closing a line: a Markdown hard line break (two backslashes are an escaped one,
# as LaTeX ends its rows).
HARD_BREAK = re.compile(r"(?: {2,}|(?<!\\)(?:\\\\)*\\)$")
# "[Rob Carter] (https://…)": a careless space before the URL still makes a link.
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\s\((?:https?://|/)[^)\s]*\))")
# A reference-style link, "[Jane Roe][3]" or "[Jane Roe][]", its URL given elsewhere: its text (not code's
# "a[i][j]", nor a footnote's "[^1]").
_REFERENCE_LINK = re.compile(r"(?<![\w\]])\[([^\[\]^][^\[\]]*[^\W\d_][^\[\]]*)\]\[[^\[\]]{0,40}\]")
# Obsidian / wiki links: [[people/Jane Roe]] → Jane Roe, [[page|shown text]] → shown text.
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*/)?(?P<page>[^\]|/]+)(?:\|(?P<shown>[^\]]+))?\]\]")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
# Removed markup leaves this mark; between two Latin letters or digits it becomes a space, so that
# `a<br>b` or `x**y**` do not glue into one word the note never had.
MARK = "\x00"
# "&mdash;", "&nbsp;", "&#8217;": an entity reads as its character; "&lt;" and "&gt;" stay, as markup would.
_ENTITY = re.compile(r"&(?!lt;|gt;)(?:#\d{1,6}|#x[0-9a-fA-F]{1,5}|[A-Za-z]{2,8});")
_GLUED = re.compile(r"(?<=[A-Za-z0-9])\x00+(?=[A-Za-z0-9])")


_HEADING_ID = re.compile(r"\s*\{#[^{}\s]*\}\s*$")  # kramdown's and pandoc's "## Title {#anchor}"


def heading_text(raw: str) -> str:
    """A heading's text: clean(), without the anchor some Markdown dialects end it with."""
    return clean(_HEADING_ID.sub("", raw))


def clean(raw: str) -> str:
    """Markdown/HTML inline markup → plain text (images removed; link texts kept)."""
    text = IMAGE_MD.sub(MARK, raw)
    text = IMAGE_HTML.sub(MARK, text)
    text = _WIKI_LINK.sub(lambda m: MARK + (m.group("shown") or m.group("page")) + MARK, text)
    text = _LINK.sub(f"{MARK}\\1{MARK}", text)
    text = _REFERENCE_LINK.sub(f"{MARK}\\1{MARK}", text)
    text = _TAG.sub(MARK, text)
    text = _EMPHASIS.sub(MARK, text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return " ".join(_GLUED.sub(" ", text).replace(MARK, "").split())
