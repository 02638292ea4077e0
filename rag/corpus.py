"""Reading a notes folder: which files are notes, and their text decoded right (I/O at the edge)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import NotesError

NOTE_SUFFIXES = (".md", ".markdown")


def is_note_name(name: str) -> bool:
    """A file name the index reads as a note: a Markdown suffix in any case, not hidden."""
    return name.lower().endswith(NOTE_SUFFIXES) and not name.startswith(".")


# Notes up to this size are indexed whole (20 MB of text takes about a minute before any embedding, most of
# it word segmentation); a bigger "note" is a dump or a mistake, skipped without being read into memory.
MAX_NOTE_BYTES = 64 * 1024 * 1024
# Non-UTF-8 notes are tried in these encodings; the most plausible decoding wins (see _plausibility).
CJK_ENCODINGS = ("gb18030", "big5", "cp950")
PLAUSIBLE = 0.8
# A UTF-8 note with a few damaged bytes stays UTF-8 (they become �) rather than being misread as another
# encoding: it needs this many valid non-ASCII characters per damaged spot.
VALID_PER_DAMAGED = 10
DAMAGED_UTF8 = "utf-8 (damaged)"
_SAMPLE_CHARS = 1 << 16
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


@dataclass(frozen=True)
class NoteFile:
    """A note's path relative to the notes folder, its decoded text and the hash of its bytes."""

    path: str
    text: str
    sha256: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def read_notes(folder: Path) -> tuple[list[NoteFile], list[Skipped]]:
    """Every Markdown note under folder (sorted), and the files that were skipped with a reason."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotesError(f"notes folder {folder} does not exist or is not a folder")
    notes: list[NoteFile] = []
    skipped: list[Skipped] = []
    for path in _walk(folder, skipped):
        rel = path.relative_to(folder).as_posix()
        data = None
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                # A FIFO named x.md would block the read forever; devices and sockets are no notes either.
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            if info.st_size <= MAX_NOTE_BYTES:
                with open(path, "rb") as handle:
                    data = handle.read(MAX_NOTE_BYTES + 1)  # capped: the file may grow meanwhile
        except OSError as error:
            skipped.append(Skipped(rel, f"unreadable: {error.strerror or error}"))
            continue
        if data is None or len(data) > MAX_NOTE_BYTES:
            skipped.append(Skipped(rel, f"larger than {MAX_NOTE_BYTES // 2**20} MB, too big to be a note"))
            continue
        decoded = decode(data)
        if isinstance(decoded, str):
            skipped.append(Skipped(rel, decoded))
            continue
        text, encoding = decoded
        warnings = ("some bytes are not valid UTF-8; they were replaced by �",) if encoding == DAMAGED_UTF8 else ()
        notes.append(NoteFile(rel, text, hashlib.sha256(data).hexdigest(), encoding, warnings))
    return notes, skipped


def _walk(folder: Path, skipped: list[Skipped]) -> list[Path]:
    """Note files under folder, following symlinked folders once (loops are skipped, not followed)."""
    found: list[Path] = []
    seen: set[str] = set()

    def unreadable(error: OSError) -> None:
        rel = Path(error.filename).relative_to(folder).as_posix()
        skipped.append(Skipped(rel, f"unreadable folder: {error.strerror or error}"))

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable):
        real = os.path.realpath(root)
        if real in seen:
            skipped.append(Skipped(Path(root).relative_to(folder).as_posix(), "symlink loop: folder already read"))
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_note_name(name):
                path = Path(root) / name
                if path.is_symlink() and not path.exists():
                    skipped.append(Skipped(path.relative_to(folder).as_posix(), "broken symlink (or a symlink loop)"))
                    continue
                found.append(path)
    return sorted(found)


def decode(data: bytes) -> tuple[str, str] | str:
    """(text, encoding) for note bytes, or a one-line reason why they are not a text note.

    UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312) and Big5, keeping
    the decoding whose characters are most plausible for Chinese text, then a general detector.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        return "empty file"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return "not text: a UTF-16 byte order mark followed by invalid UTF-16"
    if b"\x00" in data[:8192]:
        return "binary file (NUL bytes), not a text note"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    if len(_ASCII_RUN.sub("", text)) - damaged >= VALID_PER_DAMAGED * damaged:
        return text, DAMAGED_UTF8
    candidates = []
    for encoding in CJK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), text, encoding))
    if candidates:
        score, text, encoding = max(candidates, key=lambda c: c[0])  # ties keep the earlier encoding
        if score >= PLAUSIBLE:
            return text, encoding
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "shift_jis", "cp1252"]).best()
    if best is None or best.encoding is None:
        return "not text in any known encoding"
    text = str(best)
    if _control_ratio(text) > 0.01:
        return "binary file, not a text note"
    return text, best.encoding


def _plausibility(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or punctuation.

    Bytes of one CJK encoding usually decode in another too, into rare characters, kana or box drawing:
    GB2312 (for GB18030) and Big5 level 1 (for Big5) hold what real notes are written with.
    """
    common = _common_gb if encoding == "gb18030" else _common_big5
    counts = Counter(_ASCII_RUN.sub("", text)[:_SAMPLE_CHARS])
    total = sum(counts.values())
    return sum(n for ch, n in counts.items() if common(ch)) / total if total else 1.0


def _common_gb(ch: str) -> bool:
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    # Rows 1–3: punctuation, numbers, full-width forms; rows 16–87: the 6763 hanzi.
    return lead in (0xA1, 0xA2, 0xA3) or 0xB0 <= lead <= 0xF7


def _common_big5(ch: str) -> bool:
    try:
        code = int.from_bytes(ch.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    # Punctuation and symbols, then the 5401 frequent characters of level 1.
    return 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)
