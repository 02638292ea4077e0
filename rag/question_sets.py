"""Labelled question sets: loading them, their tune/test halves, and the sections their line labels name.

Every question belongs to the tune or the test half, fixed by a seeded hash of its text, so a question
keeps its half when others are added.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .corpus import is_note_name
from .errors import RagError
from .types import Chunk

# Changing the seed reshuffles every question between the halves: never change it to improve a number.
SPLIT_SEED = "lecture-rag eval split 1"
SPLITS = ("tune", "test")

# (file, heading path, first line): one section of one note. The first line tells apart two sections
# with the same heading path in one note (a talk notes file with a `## Keynotes` under every talk); two
# such sections right after each other, with nothing between them, count as one.
SectionKey = tuple[str, tuple[str, ...], int]


@dataclass(frozen=True)
class Case:
    """One labelled question: where the answer is, or that there is none.

    The right sections are named by `sections` (last headings) or by `lines` (line numbers in the note
    as on disk); `lines` are turned into heading paths by `resolve_lines` against the parsed chunks.
    """

    question: str
    note: str | None
    sections: tuple[str, ...]
    speaker: str | None
    answerable: bool
    tags: tuple[str, ...]
    lines: tuple[int, ...] = ()
    split: str = "tune"
    set_name: str = ""
    targets: frozenset[SectionKey] = field(default=frozenset(), compare=False)

    def matches(self, section: SectionKey) -> bool:
        """Whether a hit in this section (see section_keys) is a right answer."""
        if self.lines:
            return section in self.targets
        file, headings, _ = section
        return file == self.note and (headings[-1] if headings else "") in self.sections


@dataclass(frozen=True)
class QuestionSet:
    """A question file: its cases and the note folders they are about (missing ones listed, not fatal)."""

    name: str
    path: Path
    folders: tuple[Path, ...]
    exclude: tuple[str, ...]
    cases: tuple[Case, ...]

    @property
    def missing(self) -> tuple[Path, ...]:
        return tuple(folder for folder in self.folders if not folder.is_dir())


def split_of(question: str) -> str:
    """The half ("tune" or "test") from a seeded hash of the question text: stable when other questions are added."""
    digest = hashlib.sha256(f"{SPLIT_SEED}\n{question.strip()}".encode()).digest()
    return SPLITS[digest[0] & 1]


def load_set(path: Path) -> QuestionSet:
    """A question set from a YAML file; note folders are relative to the file.

    Raises:
        RagError: the file is missing or malformed.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RagError(f"cannot read question set {path}: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise RagError(f"question set {path} needs `notes:` and a `questions:` list")
    name = str(data.get("name") or path.stem)
    folders = tuple((path.parent / folder).resolve() for folder in data.get("notes", []))
    cases = tuple(_case(item, n, path, name) for n, item in enumerate(data["questions"], start=1))
    return QuestionSet(name, path, folders, tuple(data.get("exclude", ())), cases)


def load_cases(path: Path) -> tuple[list[Path], list[Case]]:
    """(note folders, cases) of a question set (see load_set)."""
    question_set = load_set(path)
    return list(question_set.folders), list(question_set.cases)


def _case(item: object, n: int, path: Path, set_name: str) -> Case:
    if not isinstance(item, dict) or not item.get("q"):
        raise RagError(f"question set {path}: item {n} has no `q:`")
    answerable = item.get("answerable", True)
    sections = item.get("section", [])
    sections = (sections,) if isinstance(sections, str) else tuple(sections)
    lines = item.get("lines", [])
    lines = (lines,) if isinstance(lines, int) else tuple(lines)
    if not all(isinstance(line, int) and line > 0 for line in lines):
        raise RagError(f"question set {path}: item {n} ({item['q']!r}): `lines:` must be positive line numbers")
    if answerable and (not item.get("note") or not (sections or lines)):
        raise RagError(f"question set {path}: item {n} ({item['q']!r}) needs `note:` and `section:` or `lines:`")
    split = item.get("split", split_of(item["q"]))
    if split not in SPLITS:
        raise RagError(f"question set {path}: item {n} ({item['q']!r}): `split:` must be tune or test")
    return Case(
        question=item["q"],
        note=item.get("note"),
        sections=sections,
        speaker=item.get("speaker"),
        answerable=bool(answerable),
        tags=tuple(item.get("tags", ())),
        lines=lines,
        split=split,
        set_name=set_name,
    )


def stage_notes(folders: Iterable[Path], target: Path, exclude: Iterable[str] = ()) -> Path:
    """Copy the notes of several folders into one, so one index covers them all (names must not clash)."""
    skip = set(exclude)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for folder in folders:
        for note in sorted(folder.iterdir()):
            if not is_note_name(note.name) or note.name in skip or not note.is_file():
                continue
            if (target / note.name).exists():
                raise RagError(f"two evaluation notes are named {note.name}; rename one")
            shutil.copy2(note, target / note.name)
    return target


def section_keys(chunks: Iterable[Chunk]) -> dict[tuple[str, int], SectionKey]:
    """(file, chunk start) → the section the chunk is part of: consecutive chunks with one heading path."""
    keys: dict[tuple[str, int], SectionKey] = {}
    by_file: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_file[chunk.file].append(chunk)
    for file, note_chunks in by_file.items():
        current: SectionKey | None = None
        for chunk in sorted(note_chunks, key=lambda c: (c.start, c.end)):
            if current is None or current[1] != chunk.headings:
                current = (file, chunk.headings, chunk.start)
            keys[(file, chunk.start)] = current
    return keys


def resolve_lines(cases: Iterable[Case], chunks: Iterable[Chunk]) -> list[Case]:
    """Cases whose `lines` became the sections holding them, as the parser cuts the notes today.

    A line between chunks (a blank line, a dropped tag) belongs to the chunk before it.

    Raises:
        RagError: a labelled line lies before every chunk of its note, or the note was not indexed.
    """
    chunks = list(chunks)
    keys = section_keys(chunks)
    by_file: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in sorted(chunks, key=lambda c: (c.start, c.end)):
        by_file[chunk.file].append(chunk)
    resolved = []
    for case in cases:
        if case.lines:
            note_chunks = by_file.get(case.note or "", [])
            targets = frozenset(keys[(c.file, c.start)] for c in (_chunk_at(note_chunks, n, case) for n in case.lines))
            case = replace(case, targets=targets)
        resolved.append(case)
    return resolved


def _chunk_at(chunks: list[Chunk], line: int, case: Case) -> Chunk:
    holding = [c for c in chunks if c.start <= line <= c.end]
    before = [c for c in chunks if c.start <= line]
    if not holding and not before:
        raise RagError(f"question {case.question!r}: line {line} of {case.note} is in no indexed section")
    return holding[0] if holding else before[-1]
