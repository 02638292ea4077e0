"""The public verbs: build an index from a notes folder (here), open it, ask and search (rag.index)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import models, store
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

# Bump when what is embedded or keyword-indexed changes (the parser, Chunk.search_text and embedded_text, the
# tokenizer, how slide lines are joined): old indexes rebuild.
TEXT_VERSION = 13
EMBED_SLICE = 32 * 128  # chunks embedded per call: whole batches, a few MB of vectors at a time


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
    started = time.perf_counter()
    files, skipped = read_notes(Path(notes_dir))
    unchanged = None if full else _unchanged_manifest(Path(index_dir), settings, files)
    if unchanged is not None:
        # Same bytes, same settings: nothing to parse or embed (what keeps a no-change reindex fast).
        store.remove_stale(Path(index_dir), keep={unchanged["generation"]})  # what killed builds left
        return BuildReport(
            index=Path(index_dir),
            notes=len(files),
            chunks=unchanged["chunks"],
            speakers=unchanged.get("speakers", 0),
            embedded=0,
            skipped=tuple(skipped),
            up_to_date=True,
            seconds={"total": time.perf_counter() - started},
        )
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
    store.check_writable(Path(index_dir))  # before minutes of OCR and embedding, not after
    parsed = time.perf_counter()
    chunks, slides = read_slides(
        [chunk for _, note in notes for chunk in note.chunks],
        Path(notes_dir),
        Path(settings.images_root) if settings.images_root else None,
        Path(index_dir) / CACHE_FOLDER,
        settings.chunk_chars,
        slide_progress,
    )
    slides_read = time.perf_counter()

    file_hashes = {file.path: file.sha256 for file, _ in notes}
    previous, rebuilt_because = (None, "--full") if full else _previous(Path(index_dir), settings)
    old_hashes = previous.manifest["files"] if previous else _previous_files(Path(index_dir))
    added = tuple(p for p in file_hashes if p not in old_hashes)
    changed = tuple(p for p in file_hashes if p in old_hashes and old_hashes[p] != file_hashes[p])
    removed = tuple(p for p in old_hashes if p not in file_hashes)
    speakers = len({c.speaker for c in chunks if c.speaker})
    report = BuildReport(
        index=Path(index_dir),
        notes=len(notes),
        chunks=len(chunks),
        speakers=speakers,
        embedded=0,
        added=added,
        changed=changed,
        removed=removed,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        rebuilt_because=rebuilt_because,
        slides=slides,
    )
    second = settings.second_model or None
    same_encoders = previous is not None and list(previous.extra_vectors) == ([second] if second else [])
    if previous and not (added or changed or removed) and previous.chunks == chunks and same_encoders:
        store.remove_stale(Path(index_dir), keep={previous.manifest["generation"]})  # what killed builds left
        return replace(report, up_to_date=True, seconds={"total": time.perf_counter() - started})

    reusable = _reusable_vectors(previous, file_hashes)
    reusable_second = _reusable_vectors(previous, file_hashes, second) if second else {}
    missing = [i for i, c in enumerate(chunks) if _key(c) not in reusable]
    missing_second = [i for i, c in enumerate(chunks) if _key(c) not in reusable_second] if second else []
    model_id = previous.manifest["model"] if previous else settings.model
    previous = None  # free the old index (its vectors, BM25 and chunks) before this one is built
    done, total = 0, len(missing) + len(missing_second)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if missing:
        embedder = embedder or models.load_model(settings)
        model_id = embedder.model_id
    vectors = _vectors(chunks, embedder, missing, reusable, advance)
    extra: dict[str, np.ndarray] = {}
    if second:
        second_embedder = models.load_second_model(second) if missing_second else None
        extra[second] = _vectors(chunks, second_embedder, missing_second, reusable_second, advance)
    del reusable, reusable_second
    embedded = time.perf_counter()

    tokenizer = Tokenizer(user_words(chunks))
    # Interned: a word occurs thousands of times, and one string each would take ~300 MB at 100k chunks.
    tokens = [[sys.intern(t) for t in tokenizer.tokens(c.search_text)] for c in chunks]
    manifest = {
        "model": model_id,
        "dim": int(vectors.shape[1]),
        "chunk_chars": settings.chunk_chars,
        "text_version": TEXT_VERSION,
        "speakers": speakers,
        "files": file_hashes,
        "images": _images_record(settings, slides),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    store.write_index(Path(index_dir), chunks, vectors, tokens, manifest, extra)
    pinyin_spellings({t for chunk_tokens in tokens for t in chunk_tokens})  # cached now, not at the first question
    written = time.perf_counter()
    return replace(
        report,
        embedded=max(len(missing), len(missing_second)),
        seconds={
            "parse": parsed - started,
            "read slides": slides_read - parsed,
            "embed": embedded - slides_read,
            "write": written - embedded,
            "total": written - started,
        },
    )


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
    if not same_settings or manifest["files"] != {f.path: f.sha256 for f in files}:
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


def _key(chunk: Chunk) -> tuple[str, str]:
    return (chunk.file, chunk.embedded_text)  # the vectors depend on nothing else


def _vectors(
    chunks: list[Chunk],
    embedder: Embedder | None,
    missing: list[int],
    reusable: dict[tuple[str, str], np.ndarray],
    advance: Callable[[int], None],
) -> np.ndarray:
    """One encoder's vectors of every chunk: the missing ones embedded, the others reused."""
    vectors = np.zeros((len(chunks), 0), dtype=np.float32)
    if missing and embedder is not None:
        # By length, so each batch of 32 holds texts of about one length: a batch is padded to its longest
        # text, and sorting embeds 2.3x faster (the vectors differ by < 1e-7). Longest first: growing
        # batches fragment memory (peak RSS 1.8 GB instead of 1.3 GB after 2,560 chunks). In slices written
        # into place, so the texts and vectors of 100k chunks are not held twice (~300 MB).
        by_length = sorted(missing, key=lambda i: len(chunks[i].embedded_text), reverse=True)
        for start in range(0, len(by_length), EMBED_SLICE):
            part = by_length[start : start + EMBED_SLICE]
            fresh = embedder.encode_passages([chunks[i].embedded_text for i in part], progress=advance)
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(chunks), fresh.shape[1]), dtype=np.float32)
            vectors[part] = fresh
    if reusable:
        dim = next(iter(reusable.values())).shape[0]
        if vectors.shape[1] == 0:
            vectors = np.zeros((len(chunks), dim), dtype=np.float32)
        for i, chunk in enumerate(chunks):
            if _key(chunk) in reusable:
                vectors[i] = reusable[_key(chunk)]
    return vectors


def _reusable_vectors(
    previous: store.StoredIndex | None, file_hashes: dict[str, str], model: str | None = None
) -> dict[tuple[str, str], np.ndarray]:
    """Vectors of chunks from notes whose bytes did not change, keyed by what was embedded: the first
    encoder's, or those of the further encoder `model` (none when the previous index lacks it)."""
    if previous is None or (model is not None and model not in previous.extra_vectors):
        return {}
    unchanged = {p for p, h in previous.manifest["files"].items() if file_hashes.get(p) == h}
    vectors = store.stored_vectors(previous.vectors if model is None else previous.extra_vectors[model])
    return {_key(c): vectors[i] for i, c in enumerate(previous.chunks) if c.file in unchanged}
