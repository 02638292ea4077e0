"""Markdown pipe tables that say who speaks: a Speaker/讲者 column beside the talks' titles, or a
`| 讲者 | Name |` row of a talk's details. Pure: a note's lines in, rows out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPEAKER_HEADER = re.compile(
    r"^(?:speakers?|speaker\(s\)|presenters?|presenter\(s\)|presented by|lecturers?|who|讲者|演讲者|演讲人|报告人|主讲人|主讲|讲师|嘉宾|分享人"
    r"|分享者|分享嘉宾|演讲嘉宾|报告嘉宾)$",
    re.IGNORECASE,
)
_TITLE_HEADER = re.compile(
    r"^(?:title|talk|talks|talk title|topic|session|presentation|subject|报告|报告题目|报告主题|题目|主题|演讲主题"
    r"|分享主题|议题|内容|讲座|论文题目|论文|paper|paper title)$",
    re.IGNORECASE,
)
# "| 论文题目 | 姓名 |", "| Title | Author(s) |": a column of names is the speakers' only beside the talks' titles (not
# a list of attendees).
_NAME_HEADER = re.compile(r"^(?:name|names|authors?|author\(s\)|by|姓名|名字|汇报人|报告者|作者)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$|^\s*\|\s*:?-{2,}:?\s*\|\s*$")
_MARKUP = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class SpeakerRow:
    """One row naming who speaks: the talk's title ("" in a details table) and the speaker cell's text."""

    line: int  # 1-based, in the file as it is on disk
    title: str
    speakers: str


def speaker_rows(lines: list[str], first: int, last: int) -> list[SpeakerRow]:
    """The rows of the pipe tables within lines first..last (1-based, inclusive) that name speakers: a
    header row, the `---|---` row under it, then rows with pipes (leading and trailing pipes optional)."""
    rows: list[SpeakerRow] = []
    n = first
    while n < last:
        header = _cells(lines[n - 1])
        if header is None or not _SEPARATOR.match(lines[n]):
            n += 1
            continue
        end = n + 2
        while end <= last and _cells(lines[end - 1]) is not None:
            end += 1
        rows += _named(header, [(k, _cells(lines[k - 1]) or []) for k in range(n + 2, end)], n)
        n = end
    return rows


def is_table(lines: list[str]) -> bool:
    """A paragraph that is a pipe table: a header row, then the `---|---` row."""
    return len(lines) >= 2 and _cells(lines[0]) is not None and bool(_SEPARATOR.match(lines[1]))


def is_row(line: str) -> bool:
    """A line that is a pipe table's row (its text is the table's, not prose)."""
    return _cells(line) is not None


def _named(header: list[str], body: list[tuple[int, list[str]]], header_line: int) -> list[SpeakerRow]:
    """A table's rows that name speakers: by its Speaker column, or rows labelled 讲者/Speaker."""
    who = next((i for i, cell in enumerate(header) if _names(_SPEAKER_HEADER, cell)), None)
    details = who == 0 and len(header) >= 2 and not _is_column_name(header[1])  # "| 讲者 | 刘洋 |" heads it
    title = next((i for i, cell in enumerate(header) if _names(_TITLE_HEADER, cell)), None)
    if who is None and title is not None:
        who = next((i for i, cell in enumerate(header) if _names(_NAME_HEADER, cell)), None)
    if who is not None and body and not details:
        return [
            SpeakerRow(line, cells[title] if title is not None and title < len(cells) else "", cells[who])
            for line, cells in body
            if who < len(cells) and cells[who]
        ]
    labelled = [(header_line, header), *body]
    return [
        SpeakerRow(line, "", cells[1])
        for line, cells in labelled
        if len(cells) >= 2 and _SPEAKER_HEADER.match(cells[0].rstrip(":：")) and cells[1]
    ]


_OTHER_COLUMNS = re.compile(
    r"^(?:time|date|when|day|room|track|affiliation|organi[sz]ation|company|org|slides|video|links?|notes|时间|日期"
    r"|地点|单位|机构|公司|所属|幻灯片|视频|链接|备注)$",
    re.IGNORECASE,
)


def _is_column_name(cell: str) -> bool:
    return any(_names(p, cell) for p in (_SPEAKER_HEADER, _TITLE_HEADER, _OTHER_COLUMNS))


def _names(column: re.Pattern[str], cell: str) -> bool:
    """A header cell names the column, also in two languages: "报告人/Speaker", "时间 / Time"."""
    return any(column.match(part) for part in re.split(r"\s*[/／]\s*", cell.strip()))


def _cells(line: str) -> list[str] | None:
    """A pipe-table row's cells without markup, or None for a line that is no table row."""
    text = line.strip()
    if "|" not in text.strip("|") or _SEPARATOR.match(text):
        return None
    return [_MARKUP.sub(lambda m: m.group(1) or "", cell).strip() for cell in text.strip("|").split("|")]


def same_title(heading: str, title: str) -> bool:
    """A section's heading is a table row's talk title: equal, or one holds the other ("报告一：机器翻译")."""
    a, b = _key(heading), _key(title)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and short in long)


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())
