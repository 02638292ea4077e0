"""Note and question text as inert HTML, with the question's words marked in snippets.

Everything the page shows that comes from a note or a question goes through esc() (html.escape): the page
never runs HTML or script found in a note.
"""

from __future__ import annotations

import html
import re

import rag

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#\-]*")
_CJK_RUN = re.compile(f"[{_CJK}]+")
# Question words to leave unhighlighted; highlighting is presentation only, retrieval has its own tokenizer.
_STOP_LATIN = frozenset(
    """a an the of to in on at for and or but is are was were be do does did what which who whom how why when
    where that this these those it its about say says said talk talked tell told mention mentioned explain
    discuss with from by as into not no can could would should will any some all me my we our you your i
    there here he she they his her their""".split()
)
_STOP_CJK = frozenset(
    "什么 哪些 哪个 怎么 如何 为什么 关于 有关 讲了 说了 谈到 提到 介绍 认为 一下 一些 他们 我们 你们".split()
)
_STOP_CJK_CHARS = frozenset("的了是在和与及或也都就而有对把被让给从到为以中上下这那其吗呢吧啊讲说谈他她它请问")


def esc(text: object) -> str:
    """Text as inert HTML (quotes too, so it is also safe inside attribute values)."""
    return html.escape(str(text), quote=True)


def question_terms(query: rag.Query) -> list[str]:
    """The words of a question worth highlighting in snippets: Latin terms and runs of Chinese characters.

    Chinese has no spaces, so every 2-4 character piece of the question's Chinese text is a candidate;
    only the pieces that occur in a snippet get highlighted.
    """
    terms: set[str] = set()
    text = query.topic + (f" {query.speaker}" if query.speaker else "")
    for word in _LATIN_WORD.findall(text):
        word = word.lower().strip("-")
        if len(word) < 2 or word in _STOP_LATIN:
            continue
        terms.add(word)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            terms.add(word[:-1])  # "shortcuts" → also "shortcut"
    for run in _CJK_RUN.findall(text):
        run = run[:60]
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                piece = run[start : start + size]
                if piece in _STOP_CJK or piece[0] in _STOP_CJK_CHARS or piece[-1] in _STOP_CJK_CHARS:
                    continue
                terms.add(piece)
    return sorted(terms, key=lambda t: (-len(t), t))


def highlight(text: str, terms: list[str]) -> str:
    """Escaped text with the terms (case-insensitive, longest first) wrapped in <mark>."""
    if not terms:
        return esc(text)
    # A Latin term starts at a word boundary ("ai" not inside "train"); it may end inside one ("shortcuts").
    pattern = "|".join(
        (r"(?<![A-Za-z0-9])" + re.escape(t)) if t[0].isascii() else re.escape(t)
        for t in sorted(terms, key=len, reverse=True)
    )
    out, last = [], 0
    for match in re.finditer(pattern, text, flags=re.IGNORECASE):
        out.append(esc(text[last : match.start()]))
        out.append(f"<mark>{esc(match.group(0))}</mark>")
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)
