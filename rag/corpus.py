"""Reading a notes folder: which files are notes, and their text decoded right (I/O at the edge)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import NotesError

NOTE_SUFFIXES = (".md", ".markdown")
MAX_NOTE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class NoteFile:
    """A note's path relative to the notes folder, its decoded text and the hash of its bytes."""

    path: str
    text: str
    sha256: str
    encoding: str


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def read_notes(folder: Path) -> tuple[list[NoteFile], list[Skipped]]:
    """Every Markdown note under folder (sorted), and the files that were skipped with a reason."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotesError(f"notes folder {folder} does not exist or is not a folder")
    notes, skipped = [], []
    for path in _walk(folder, skipped):
        rel = path.relative_to(folder).as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            skipped.append(Skipped(rel, f"unreadable: {error.strerror or error}"))
            continue
        if len(data) > MAX_NOTE_BYTES:
            skipped.append(Skipped(rel, f"larger than {MAX_NOTE_BYTES // 2**20} MB"))
            continue
        decoded = decode(data)
        if isinstance(decoded, str):
            skipped.append(Skipped(rel, decoded))
            continue
        text, encoding = decoded
        notes.append(NoteFile(rel, text, hashlib.sha256(data).hexdigest(), encoding))
    return notes, skipped


def _walk(folder: Path, skipped: list[Skipped]) -> list[Path]:
    """Note files under folder, following symlinked folders once (loops are skipped, not followed)."""
    found: list[Path] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=None):
        real = os.path.realpath(root)
        if real in seen:
            skipped.append(Skipped(Path(root).relative_to(folder).as_posix(), "symlink loop: folder already read"))
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(NOTE_SUFFIXES) and not name.startswith("."):
                path = Path(root) / name
                if path.is_symlink() and not path.exists():
                    skipped.append(Skipped(path.relative_to(folder).as_posix(), "broken symlink"))
                    continue
                found.append(path)
    return sorted(found)


def decode(data: bytes) -> tuple[str, str] | str:
    """(text, encoding) for note bytes, or a one-line reason why they are not a text note."""
    if not data.strip():
        return "empty file"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        return "binary file (NUL bytes), not a text note"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK/GB2312 and Big5 is checked by the detector; CJK notes are the usual case.
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "shift_jis", "cp1252"]).best()
    if best is None or best.encoding is None:
        return "not text in any known encoding"
    text = str(best)
    if _control_ratio(text) > 0.01:
        return "binary file, not a text note"
    return text, best.encoding


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)
