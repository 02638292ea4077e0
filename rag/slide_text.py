"""What a slide's OCR lines are: statements (what the slide says) or labels (a figure's names and numbers,
a table's cells). Pure: text in, text out."""

from __future__ import annotations

import re

STATEMENT_WORDS = 4  # a slide line of fewer words is a label, not something said
LABELS_CHARS = 80  # labels next to each other are read together, up to about this long
LABEL_SEPARATOR = " · "
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'.][A-Za-z0-9]+)*")
_CHINESE_CHAR = re.compile(r"[\u4e00-\u9fff]")


def is_statement(line: str) -> bool:
    """A line of at least STATEMENT_WORDS words (a Latin word, or two Chinese characters, each)."""
    latin = len(_LATIN_WORD.findall(line))
    chinese = len(_CHINESE_CHAR.findall(line))
    return latin + (chinese + 1) // 2 >= STATEMENT_WORDS


def slide_units(text: str) -> list[tuple[str, bool]]:
    """A slide's lines, runs of labels each joined into one line ("ANN · SNN · Theano · SpiNNaker") up to
    about LABELS_CHARS; the first line (the title) alone. Each with whether it is a statement."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    units = [(line, True) for line in lines[:1]]
    run: list[str] = []
    for line in lines[1:]:
        statement = is_statement(line)
        if run and (statement or len(LABEL_SEPARATOR.join([*run, line])) > LABELS_CHARS):
            units.append((LABEL_SEPARATOR.join(run), False))
            run = []
        if statement:
            units.append((line, True))
        else:
            run.append(line)
    if run:
        units.append((LABEL_SEPARATOR.join(run), False))
    return units


def statements(text: str) -> str:
    """A slide's title and statements, one a line: what a sentence encoder should read of it (its labels,
    names and numbers out of their figure, say little and dilute the rest)."""
    return "\n".join(unit for unit, statement in slide_units(text) if statement)


_AUTHOR = r"(?:[A-Z]\.?\s?){1,2}[A-Z][a-z]+\*?"  # Y. Wu, G Li, L. Deng*
_CITATION = re.compile(
    rf"\bet\.?\s?al\b|^\s*\[\d+\]\s|^{_AUTHOR}\s?,\s?{_AUTHOR}\b"
    r"|,\s*(?:\S+\s+){0,3}(?:19|20)\d\d\.?$"  # a reference's tail: "Networks, 121, 294-307, 2019"
)


def is_citation(line: str) -> bool:
    """A paper reference ("Y. Wu, G. Li et al, …, 2020", "[1] Jun Shu, …"): it names where a claim comes
    from, never what the slide says, so an answer quotes it only when nothing else on the slide matches."""
    return bool(_CITATION.search(line))


_RUNS_ON = re.compile(
    r"(?:\b(?:by|of|the|a|an|and|or|to|in|on|with|for|from|as|is|are|that|which|into)|[,:：，、])\s*$", re.I
)


def runs_on(line: str) -> bool:
    """A line that stops mid-sentence ("… edges are dominated by"): the next line finishes it."""
    return bool(_RUNS_ON.search(line))
