"""The public verbs: build an index from a notes folder (here), open it, ask and search (rag.index)."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import store, vectors
from .config import Settings
from .corpus import NoteFile, Skipped, read_notes
from .errors import IndexCorrupt, IndexNotFound, NotesError, RagError
from .glossary import pinyin_spellings
from .index import (  # noqa: F401  (the public verbs, re-exported)
    MAX_QUESTION_CHARS,
    Index,
    InvalidQuestion,
    final_answer,
    open_index,
    user_words,
)
from .models import Embedder, load_model, load_second_model  # noqa: F401  (re-exported)
from .notes import Note, parse_note
from .slides import CACHE_FOLDER, SlideReport, images_unchanged, read_slides
from .text import Tokenizer
from .types import Chunk

# Bump when what is embedded changes while Chunk.embedded_text does not (the model's input format): old indexes
# embed everything again. A change to the parser or the tokenizer needs no bump: code_fingerprint() sends the
# notes through the parser again, and only chunks whose text changed are embedded again.
TEXT_VERSION = 13


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, what changed since the previous index, what was skipped, timings."""

    index: Path
    notes: int
    chunks: int
    speakers: int
    embedded: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    rebuilt_because: str | None = None
    up_to_date: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    slides: SlideReport = field(default_factory=SlideReport)


def build_index(
    notes_dir: str | Path = "data",
    index_dir: str | Path = "index",
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
    slide_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Index a folder of Markdown notes; only notes whose content changed are embedded again.

    Args:
        notes_dir: folder of notes (searched recursively for *.md). Defaults to "data".
        index_dir: where the index is written. Defaults to "index".
        settings: model and chunking settings. Defaults to Settings().
        embedder: a loaded model; loaded from settings when None and something needs embedding.
        full: rebuild everything even when the previous index could be reused. Defaults to False.
        progress: called as progress(done, total) while chunks are embedded.
        slide_progress: called as slide_progress(done, total) while slide images are read by OCR
            (only with settings.images_root; results are cached by image hash in INDEX/slides/).

    Raises:
        NotesError: the folder is missing or no note in it could be indexed.
        ModelUnavailable: the model cannot be loaded offline.
        RagError: the index folder cannot be written (the previous index stays as it was).
    """
    settings = settings or Settings()
    index, laps = Path(index_dir), _Laps()
    files, skipped = read_notes(Path(notes_dir))  # scan
    unchanged = None if full else _unchanged_manifest(index, settings, files)
    if unchanged is not None:
        # Same bytes, same settings, same code: nothing to parse or embed (what keeps a no-change reindex fast).
        store.remove_stale(index, keep={unchanged["generation"]})  # what killed builds left
        counts = {"notes": len(files), "chunks": unchanged["chunks"], "speakers": unchanged.get("speakers", 0)}
        return BuildReport(index, **counts, embedded=0, skipped=tuple(skipped), up_to_date=True, seconds=laps.seconds())
    notes, warnings = _parse(files, settings, skipped, notes_dir)  # parse
    store.check_writable(index)  # before minutes of OCR and embedding, not after
    laps.lap("parse")
    images_root = Path(settings.images_root) if settings.images_root else None
    chunks, slides = read_slides(  # read slides
        [chunk for _, note in notes for chunk in note.chunks],
        Path(notes_dir),
        images_root,
        index / CACHE_FOLDER,
        settings.chunk_chars,
        slide_progress,
    )
    laps.lap("read slides")
    previous, rebuilt_because = (None, "--full") if full else _previous(index, settings)
    file_hashes = {file.path: file.sha256 for file, _ in notes}
    report = replace(
        _report(index, file_hashes, chunks, previous, skipped, warnings, slides), rebuilt_because=rebuilt_because
    )
    if previous and _nothing_changed(previous, report, chunks, settings):
        store.remove_stale(index, keep={previous.manifest["generation"]})  # what killed builds left
        return replace(report, up_to_date=True, seconds=laps.seconds())
    reuse = vectors.reusable(previous, file_hashes, settings.second_model or None)
    previous = None  # free the old index (its vectors, BM25 and chunks) before this one is built
    embedded = vectors.embed_chunks(chunks, reuse, settings, embedder, progress)  # embed
    del reuse
    laps.lap("embed")
    _write(index, chunks, embedded, settings, file_hashes, report)  # write
    laps.lap("write")
    return replace(report, embedded=embedded.count, seconds=laps.seconds())


class _Laps:
    """The seconds of each stage of a build, and the total."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage], self.last = now - self.last, now

    def seconds(self) -> dict[str, float]:
        return {**self.laps, "total": time.perf_counter() - self.started}


def _parse(
    files: list[NoteFile], settings: Settings, skipped: list[Skipped], notes_dir: str | Path
) -> tuple[list[tuple[NoteFile, Note]], list[str]]:
    """Each note's chunks (notes with none are skipped, with the reason) and the parser's warnings.

    Raises:
        NotesError: no note could be indexed.
    """
    notes: list[tuple[NoteFile, Note]] = []
    warnings: list[str] = []
    for file in files:
        note = parse_note(file.text, file.path, settings.chunk_chars)
        warnings.extend(f"{file.path}: {w}" for w in (*file.warnings, *note.warnings))
        if note.chunks:
            notes.append((file, note))
        else:
            skipped.append(Skipped(file.path, "no text or headings to index"))
    if not notes:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
        raise NotesError(f"no note in {notes_dir} could be indexed" + (f" ({reasons})" if reasons else ""))
    return notes, warnings


def _report(
    index: Path,
    file_hashes: dict[str, str],
    chunks: list[Chunk],
    previous: store.StoredIndex | None,
    skipped: list[Skipped],
    warnings: list[str],
    slides: SlideReport,
) -> BuildReport:
    """What this build holds and what changed since the previous index."""
    old_hashes = previous.manifest["files"] if previous else _previous_files(index)
    return BuildReport(
        index=index,
        notes=len(file_hashes),
        chunks=len(chunks),
        speakers=len({c.speaker for c in chunks if c.speaker}),
        embedded=0,
        added=tuple(p for p in file_hashes if p not in old_hashes),
        changed=tuple(p for p in file_hashes if p in old_hashes and old_hashes[p] != file_hashes[p]),
        removed=tuple(p for p in old_hashes if p not in file_hashes),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        slides=slides,
    )


def _nothing_changed(previous: store.StoredIndex, report: BuildReport, chunks: list[Chunk], settings: Settings) -> bool:
    """The previous index already holds these chunks, with these encoders, tokenized by this code."""
    second = settings.second_model or None
    return (
        not (report.added or report.changed or report.removed)
        and previous.chunks == chunks
        and list(previous.extra_vectors) == ([second] if second else [])
        and previous.manifest.get("code") == code_fingerprint()
    )


def _write(
    index: Path,
    chunks: list[Chunk],
    embedded: vectors.Embedded,
    settings: Settings,
    file_hashes: dict[str, str],
    report: BuildReport,
) -> None:
    """The write stage: keyword tokens, the manifest, and the index files as one new generation."""
    tokenizer = Tokenizer(user_words(chunks))
    # Interned: a word occurs thousands of times, and one string each would take ~300 MB at 100k chunks.
    tokens = [[sys.intern(t) for t in tokenizer.tokens(c.search_text)] for c in chunks]
    manifest = {
        "model": embedded.model_id,
        "dim": int(embedded.vectors.shape[1]),
        "chunk_chars": settings.chunk_chars,
        "text_version": TEXT_VERSION,
        "code": code_fingerprint(),
        "speakers": report.speakers,
        "files": file_hashes,
        "images": _images_record(settings, report.slides),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    store.write_index(index, chunks, embedded.vectors, tokens, manifest, embedded.extra)
    pinyin_spellings({t for chunk_tokens in tokens for t in chunk_tokens})  # cached now, not at the first question


def _previous(index_dir: Path, settings: Settings) -> tuple[store.StoredIndex | None, str | None]:
    """The previous index when its vectors can be reused, else (None, why everything is rebuilt)."""
    try:
        manifest = store.read_manifest(index_dir)
    except IndexNotFound:
        return None, None
    except IndexCorrupt:
        return None, "previous index unreadable"
    if manifest.get("model") != settings.model:
        return None, f"model changed ({manifest.get('model')} → {settings.model})"
    if manifest.get("text_version") != TEXT_VERSION:
        return None, "indexing rules changed since the previous index"
    if manifest.get("chunk_chars") != settings.chunk_chars:
        return None, f"chunk size changed ({manifest.get('chunk_chars')} → {settings.chunk_chars})"
    try:
        return store.read_index(index_dir), None
    except RagError:
        return None, "previous index damaged"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this package's code, which turns notes into chunks and tokens: an index built by other code
    (an upgrade, a fix to the parser) is not taken as up to date, however unchanged the notes are."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _unchanged_manifest(index_dir: Path, settings: Settings, files: list[NoteFile]) -> dict | None:
    """The current manifest when it was built from exactly these note bytes with these settings and its
    files are intact, else None (and the full path decides what to rebuild, and says why)."""
    try:
        manifest = store.verified_manifest(index_dir)
    except RagError:
        return None
    same_settings = (manifest.get("model"), manifest.get("text_version"), manifest.get("chunk_chars")) == (
        settings.model,
        TEXT_VERSION,
        settings.chunk_chars,
    ) and [e["model"] for e in store.extra_encoders(manifest)] == [m for m in (settings.second_model,) if m]
    if not same_settings or manifest.get("code") != code_fingerprint():
        return None
    if manifest["files"] != {f.path: f.sha256 for f in files}:
        return None
    # The slides too: the same images root, and every image it read (or found missing) as it was.
    recorded = manifest.get("images") or {"root": None, "identities": {}}
    if recorded["root"] != _images_root(settings) or not images_unchanged(recorded["identities"]):
        return None
    return manifest


def _images_root(settings: Settings) -> str | None:
    return str(Path(settings.images_root).resolve()) if settings.images_root else None


def _images_record(settings: Settings, slides: SlideReport) -> dict:
    """What the no-change fast path compares: the images root and each image's size and mtime."""
    return {"root": _images_root(settings), "identities": slides.images}


def _previous_files(index_dir: Path) -> dict[str, str]:
    """Hashes of the notes the previous index was built from, so a full rebuild still reports what changed."""
    try:
        return store.read_manifest(index_dir)["files"]
    except RagError:
        return {}
