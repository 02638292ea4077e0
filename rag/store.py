"""The index on disk: FAISS vectors, BM25 arrays, chunks.jsonl and manifest.json. The only index I/O.

Layout: `INDEX/CURRENT` names a generation folder `INDEX/gen-*/` holding every file of one build.
The generation's name ends with the checksum of its manifest, which holds the checksums of the other
files, so every byte read is verified. A build writes a new generation, fsyncs it, then swaps CURRENT
in one rename, so a reader, or a build killed at any moment, always sees a whole index. No pickle anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import faiss
import numpy as np

from .errors import IndexCorrupt, IndexNotFound, RagError
from .types import Chunk

FORMAT_VERSION = 1
POINTER = "CURRENT"
CHUNKS = "chunks.jsonl"
VECTORS = "vectors.faiss"
BM25_DIR = "bm25"
MANIFEST = "manifest.json"
# Above this many chunks exact search gets slow enough to matter; HNSW keeps recall@10 ≥ 0.98.
APPROXIMATE_ABOVE = 50_000
# How widely HNSW searches: 128 gave recall@10 0.96-0.98 at 100k chunks, 512 gives 0.99 for ~2 ms a query
# (benchmarks/run.py). Applied when an index is opened, so indexes built before keep up.
HNSW_EF_SEARCH = 512
REBUILD_HINT = "run `rag index --full` to rebuild it"
_DIGEST_CHARS = 16
# What a manifest must hold, and of which type, for the index to be used at all.
_MANIFEST_FIELDS = {"model": str, "dim": int, "chunk_chars": int, "files": dict, "chunks": int, "checksums": dict}


@dataclass(frozen=True)
class StoredIndex:
    """Everything read back from an index folder."""

    chunks: list[Chunk]
    vectors: faiss.Index
    bm25: bm25s.BM25
    manifest: dict
    path: Path
    # One more FAISS index per further encoder, by model id (manifest["extra_encoders"]); empty in indexes
    # built before there was a second encoder, which still open.
    extra_vectors: dict[str, faiss.Index] = field(default_factory=dict)


def vector_index(vectors: np.ndarray, approximate: bool | None = None) -> faiss.Index:
    """Inner-product FAISS index over normalized vectors: exact when small, HNSW when large (or asked for)."""
    dim = vectors.shape[1]
    index: faiss.Index
    if approximate is None:
        approximate = len(vectors) > APPROXIMATE_ABOVE
    if approximate:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def stored_vectors(index: faiss.Index) -> np.ndarray:
    """The vectors an index holds (Flat and HNSWFlat both keep them exactly), for reuse on reindex."""
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_n(0, index.ntotal)


def write_index(
    folder: Path,
    chunks: list[Chunk],
    vectors: np.ndarray,
    tokens: list[list[str]],
    manifest: dict,
    extra_vectors: dict[str, np.ndarray] | None = None,
) -> Path:
    """Write a new generation and make it current atomically; returns the generation folder.

    `extra_vectors` holds the vectors of further encoders by model id, one FAISS file each.

    Raises:
        RagError: the index folder cannot be written (the previous index is left as it was).
    """
    folder = Path(folder)
    check_writable(folder)
    stamp = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    partial = folder / f".partial-{stamp}"
    previous = _pointed_name(folder)
    try:
        partial.mkdir()
        _write_files(partial, chunks, vectors, tokens, manifest, extra_vectors or {})
        generation = folder / f"{stamp}-{_sha256(partial / MANIFEST)[:_DIGEST_CHARS]}"
        partial.rename(generation)
        _fsync_dir(folder)
        pointer_tmp = folder / f".{POINTER}.{uuid.uuid4().hex[:8]}"
        with open(pointer_tmp, "w", encoding="utf-8") as handle:
            handle.write(generation.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, folder / POINTER)
        _fsync_dir(folder)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise RagError(f"cannot write the index in {folder}: {error.strerror or error}") from None
    # The generation that was current until now stays one more build: a reader that read CURRENT just
    # before the swap can still open it.
    remove_stale(folder, keep={generation.name, *([previous] if previous else [])})
    return generation


def check_writable(folder: Path) -> None:
    """Fail early, before any embedding, when the index folder cannot be created or written.

    Raises:
        RagError: folder is a file, or cannot be created or written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise RagError(f"cannot write the index: {folder} is a file, not a folder")
    probe = folder / f".probe-{uuid.uuid4().hex[:8]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise RagError(f"cannot write the index in {folder}: {error.strerror or error}") from None


def _write_files(
    target: Path,
    chunks: list[Chunk],
    vectors: np.ndarray,
    tokens: list[list[str]],
    manifest: dict,
    extra_vectors: dict[str, np.ndarray],
) -> None:
    with open(target / CHUNKS, "w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    faiss.write_index(vector_index(vectors), str(target / VECTORS))
    encoders: list[dict] = []
    for n, (model, extra) in enumerate(extra_vectors.items(), start=2):
        file = f"vectors-{n}.faiss"
        faiss.write_index(vector_index(extra), str(target / file))
        encoders.append({"model": model, "dim": int(extra.shape[1]), "file": file})
    bm25 = bm25s.BM25()
    # bm25s needs at least one document; an empty token list becomes its "" placeholder.
    bm25.index([t or [""] for t in tokens] or [[""]], show_progress=False)
    bm25.save(str(target / BM25_DIR), show_progress=False)
    files = [
        CHUNKS,
        VECTORS,
        *(e["file"] for e in encoders),
        *(f"{BM25_DIR}/{p.name}" for p in sorted((target / BM25_DIR).iterdir())),
    ]
    for name in files:
        _fsync_file(target / name)
    full_manifest = {
        **manifest,
        "format_version": FORMAT_VERSION,
        "chunks": len(chunks),
        "vector_index": "hnsw" if len(chunks) > APPROXIMATE_ABOVE else "flat",
        "extra_encoders": encoders,
        "checksums": {name: _sha256(target / name) for name in files},
    }
    with open(target / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(full_manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_dir(target / BM25_DIR)
    _fsync_dir(target)


def read_manifest(folder: Path) -> dict:
    """The current generation's manifest (cheap: used to decide what a reindex must redo).

    Raises:
        IndexNotFound: there is no index in folder.
        IndexCorrupt: the manifest is unreadable or of another format version.
    """
    generation = _current_generation(Path(folder))
    damaged = IndexCorrupt(f"index manifest in {generation} is missing or damaged; {REBUILD_HINT}")
    try:
        raw = (generation / MANIFEST).read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError):
        raise damaged from None
    # gen-DATE-TIME-RANDOM-DIGEST; generations written before the digest was added have no fifth part.
    parts = generation.name.split("-")
    if len(parts) == 5 and hashlib.sha256(raw).hexdigest()[:_DIGEST_CHARS] != parts[4]:
        raise damaged
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(f"index in {folder} has another format version; {REBUILD_HINT}")
    if any(not isinstance(manifest.get(key), kind) for key, kind in _MANIFEST_FIELDS.items()):
        raise damaged
    manifest["generation"] = generation.name
    return manifest


def verified_manifest(folder: Path) -> dict:
    """The current generation's manifest, once every file it lists matches its checksum.

    Raises:
        IndexNotFound: there is no index in folder.
        IndexCorrupt: a file is missing, truncated or altered.
    """
    manifest = read_manifest(folder)
    generation = Path(folder) / manifest["generation"]
    checksums = manifest["checksums"]
    if not {CHUNKS, VECTORS} <= checksums.keys() or not any(n.startswith(f"{BM25_DIR}/") for n in checksums):
        raise IndexCorrupt(f"index manifest in {generation} is missing or damaged; {REBUILD_HINT}")
    for name, expected in checksums.items():
        path = generation / name
        if not path.is_file() or _sha256(path) != expected:
            raise IndexCorrupt(f"index file {path} is missing or damaged; {REBUILD_HINT}")
    return manifest


def read_index(folder: Path) -> StoredIndex:
    """Load the current generation, verifying every file against the manifest's checksums.

    Raises:
        IndexNotFound: there is no index in folder.
        IndexCorrupt: a file is missing, truncated or altered.
    """
    folder = Path(folder)
    manifest = verified_manifest(folder)
    generation = folder / manifest["generation"]
    try:
        with open(generation / CHUNKS, encoding="utf-8") as handle:
            chunks = [Chunk.from_dict(json.loads(line)) for line in handle if line.strip()]
        vectors = faiss.read_index(str(generation / VECTORS))
        extra = {e["model"]: faiss.read_index(str(generation / e["file"])) for e in extra_encoders(manifest)}
        bm25 = bm25s.BM25.load(str(generation / BM25_DIR), show_progress=False)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorrupt(f"index in {generation} cannot be read ({type(error).__name__}); {REBUILD_HINT}") from None
    if len(chunks) != manifest["chunks"] or vectors.ntotal != len(chunks) or vectors.d != manifest["dim"]:
        raise IndexCorrupt(f"index in {generation} is inconsistent; {REBUILD_HINT}")
    dims = {e["model"]: e["dim"] for e in extra_encoders(manifest)}
    if any(index.ntotal != len(chunks) or index.d != dims[model] for model, index in extra.items()):
        raise IndexCorrupt(f"index in {generation} is inconsistent; {REBUILD_HINT}")
    for index in (vectors, *extra.values()):
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
    return StoredIndex(
        chunks=chunks, vectors=vectors, bm25=bm25, manifest=manifest, path=generation, extra_vectors=extra
    )


def extra_encoders(manifest: dict) -> list[dict]:
    """The further encoders an index was built with: [{"model", "dim", "file"}] (none in older indexes).

    Raises:
        IndexCorrupt: the manifest's list is malformed.
    """
    entries = manifest.get("extra_encoders", [])
    well_formed = isinstance(entries, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("model"), str)
        and isinstance(e.get("dim"), int)
        and isinstance(e.get("file"), str)
        and e["file"].startswith("vectors-")
        and "/" not in e["file"]
        for e in entries
    )
    if not well_formed:
        raise IndexCorrupt(f"index manifest of {manifest.get('generation')} is damaged; {REBUILD_HINT}")
    return entries


def _current_generation(folder: Path) -> Path:
    pointer = folder / POINTER
    if not pointer.exists():
        raise IndexNotFound(f"no index in {folder}; run `rag index` first")
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise IndexCorrupt(f"{pointer} is unreadable or damaged; {REBUILD_HINT}") from None
    generation = folder / name
    if not name.startswith("gen-") or "/" in name or not generation.is_dir():
        raise IndexCorrupt(f"{pointer} points to a missing index generation; {REBUILD_HINT}")
    return generation


def _pointed_name(folder: Path) -> str | None:
    try:
        return (folder / POINTER).read_text(encoding="utf-8").strip() or None
    except (OSError, ValueError):  # missing, unreadable or not text: nothing to keep
        return None


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Delete generations not in keep and leftovers of killed builds (readers hold their data in memory)."""
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep and (path.name.startswith(("gen-", ".partial-"))):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith((f".{POINTER}.", ".probe-")):
            path.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
