"""The "read slides" build stage: a section's slide images become chunks of their text.

Image paths resolve under the images root (`/images/x.png`) or beside the note (`img/x.png`); remote
URLs are never fetched. Each image is read once: its OCR result is cached by the sha256 of its bytes as
plain JSON in `INDEX/slides/`, so rebuilds and other notes showing the same image reuse it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from .ocr import MIN_SCORE, OcrLine, SlideRead, engine_version, read_images, reading_order
from .types import Chunk

CACHE_FOLDER = "slides"
# Text on this share of a note's images (and on at least FURNITURE_MIN_IMAGES of them) is the page's
# furniture: the conference banner, the browser's tabs, a "screen sharing" label, not what one slide says.
# A slide title shown on two or three slides in a row stays.
FURNITURE_SHARE = 0.1
FURNITURE_MIN_IMAGES = 4
FURNITURE_LIKENESS = 0.8  # OCR reads a banner slightly differently on some images: near matches count
# A wrapped line ends where the next line's first word would not have fitted before its column's right end,
# give or take this many line heights.
WRAP_SLACK = 0.5
_FIRST_WORD = re.compile(r"[\u4e00-\u9fff]|\S+")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_MEANINGFUL = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]+|[^\sA-Za-z0-9\u4e00-\u9fff]")
_NOT_WORD = re.compile(r"[\W_]+")
_BULLET = re.compile(r"^\s*(?:[•·▪■□◆◇●○✓✔➢►\-–—*]|\d+[.)、]|[(（]\d+[)）])")


@dataclass(frozen=True)
class SlideReport:
    """What the stage did: images read by OCR, taken from the cache, missing, remote, unreadable; and
    each local image's identity (size and mtime), so a no-change rebuild can tell an image changed."""

    read: int = 0
    cached: int = 0
    missing: tuple[str, ...] = ()
    remote: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    images: dict[str, str] = field(default_factory=dict)


def resolve_image(src: str, note_folder: Path, images_root: Path) -> Path | None:
    """The file a note's image path names, or None for a remote URL.

    `/images/x.png` is relative to the images root (a site root, never the filesystem root); any other
    path is relative to the note's folder. Query strings and fragments are dropped, %-escapes decoded.
    """
    if _REMOTE.match(src):
        return None
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    return images_root / path.lstrip("/") if path.startswith("/") else note_folder / path


def image_identity(path: Path) -> str:
    """Size and modification time, or "missing": cheap enough to check every image on a no-change build."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def images_unchanged(recorded: dict[str, str]) -> bool:
    """True when every image a previous build saw still has the identity it had then."""
    return all(image_identity(Path(path)) == identity for path, identity in recorded.items())


class OcrCache:
    """OCR results by image sha256, one JSON file each, written atomically (a kill loses at most the
    image in flight). An entry that cannot be read or comes from another engine is read again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = engine_version()

    def get(self, sha256: str) -> SlideRead | None:
        try:
            data = json.loads((self.folder / f"{sha256}.json").read_text(encoding="utf-8"))
            if data["engine"] != self.version:
                return None
            return SlideRead(
                int(data["width"]),
                int(data["height"]),
                tuple(int(v) for v in data["region"]),  # type: ignore[arg-type]
                # In the current reading order, whatever order an older engine release cached them in.
                tuple(reading_order([OcrLine.from_dict(line) for line in data["lines"]])),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, sha256: str, read: SlideRead) -> None:
        data = {
            "engine": self.version,
            "width": read.width,
            "height": read.height,
            "region": list(read.region),
            "lines": [line.to_dict() for line in read.lines],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{sha256}.{uuid.uuid4().hex[:8]}"
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.folder / f"{sha256}.json")


def read_slides(
    chunks: list[Chunk],
    notes_dir: Path,
    images_root: Path | None,
    cache_dir: Path,
    chunk_chars: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Chunk], SlideReport]:
    """The chunks with each section's slide text added after the chunk showing the slide; a section
    that is only a heading and slides is replaced by its slides' chunks. Without an images root the
    chunks come back as they are.

    Args:
        chunks: the parsed notes' chunks, in note order.
        notes_dir: the notes folder (relative image paths resolve beside their note).
        images_root: the folder `/images/…` paths are relative to; None reads no slides.
        cache_dir: where OCR results are cached by image hash.
        chunk_chars: the longest piece of slide text in one chunk.
        progress: called as progress(done, total) while images are read by OCR.
    """
    if images_root is None:
        return chunks, SlideReport()
    paths: dict[tuple[str, str], Path | None] = {
        (c.file, src): resolve_image(src, (notes_dir / c.file).parent, images_root) for c in chunks for src in c.images
    }
    local = sorted({path for path in paths.values() if path is not None})
    reads, report = _read_all(local, OcrCache(cache_dir), progress)
    remote = tuple(sorted({src for (_, src), path in paths.items() if path is None}))
    report = replace(report, remote=remote)
    furniture = _furniture(paths, reads)
    result: list[Chunk] = []
    for chunk in chunks:
        slides: list[Chunk] = []
        for src in dict.fromkeys(chunk.images):
            path = paths[(chunk.file, src)]
            read = reads.get(path) if path is not None else None
            lines = slide_lines(read, furniture.get(chunk.file, set())) if read else []
            slides.extend(replace(chunk, text=piece, slide=src) for piece in _pieces(lines, chunk_chars))
        heading_only = bool(chunk.headings) and chunk.text == chunk.headings[-1]
        result.extend(slides if slides and heading_only else [chunk, *slides])
    return result, report


def _read_all(
    paths: list[Path], cache: OcrCache, progress: Callable[[int, int], None] | None
) -> tuple[dict[Path, SlideRead], SlideReport]:
    """Each image's OCR result, from the cache by content hash or read now (and cached at once); files
    with the same bytes are read once."""
    reads: dict[Path, SlideRead] = {}
    identities = {str(path): image_identity(path) for path in paths}
    missing: list[str] = []
    unreadable: list[str] = []
    pending: dict[str, list[Path]] = {}  # digest → the files with those bytes
    for path in paths:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            missing.append(str(path))
            continue
        cached = None if digest in pending else cache.get(digest)
        if cached is not None:
            reads[path] = cached
        else:
            pending.setdefault(digest, []).append(path)
    digest_of = {same[0]: digest for digest, same in pending.items()}
    read_now = 0
    for done, (path, read) in enumerate(read_images(list(digest_of)), start=1):
        same = pending[digest_of[path]]
        if read is None:
            unreadable.extend(str(p) for p in same)
        else:
            cache.put(digest_of[path], read)  # at once: a kill loses only the images being read
            reads.update((p, read) for p in same)
            read_now += 1  # one OCR; the other files with these bytes count as from the cache
        if progress:
            progress(done, len(digest_of))
    report = SlideReport(
        read=read_now,
        cached=len(reads) - read_now,
        missing=tuple(missing),
        unreadable=tuple(unreadable),
        images=identities,
    )
    return reads, report


def _normalized(text: str) -> str:
    return _NOT_WORD.sub("", text).lower()


def _furniture(paths: dict[tuple[str, str], Path | None], reads: dict[Path, SlideRead]) -> dict[str, set[str]]:
    """Per note, the lines that recur on many of its images (banners, tabs, footers)."""
    by_note: dict[str, set[Path]] = {}
    for (file, _), path in paths.items():
        if path is not None and path in reads:
            by_note.setdefault(file, set()).add(path)
    return {file: repeated_lines([reads[path] for path in images]) for file, images in by_note.items()}


def repeated_lines(reads: list[SlideRead]) -> set[str]:
    """The lines (normalized) that recur on many of one note's images: its furniture."""
    counts = Counter(key for read in reads for key in {_normalized(line.text) for line in read.lines})
    least = max(FURNITURE_MIN_IMAGES, FURNITURE_SHARE * len(reads))
    return {key for key, n in counts.items() if n >= least}


def slide_lines(read: SlideRead, furniture: set[str]) -> list[str]:
    """The slide's own lines in reading order, a bullet wrapped over two lines joined again; no furniture,
    no low-confidence or one-sign fragments."""
    return [line.text for line in kept_lines(read, furniture)]


def kept_lines(read: SlideRead, furniture: set[str]) -> list[OcrLine]:
    """slide_lines() with their boxes (a joined line's box covers both)."""
    kept = [
        line
        for line in read.lines
        if line.score >= MIN_SCORE
        and len(_MEANINGFUL.findall(line.text)) >= 2
        and not _is_furniture(_normalized(line.text), furniture)
    ]
    joined: list[OcrLine] = []
    for previous, line in zip([None, *kept], kept, strict=False):
        if previous is not None and _continues(previous, line, _column_right(previous, kept)):
            head = joined[-1]
            space = " " if head.text[-1:].isascii() and line.text[:1].isascii() else ""
            box = (min(head.box[0], line.box[0]), head.box[1], max(head.box[2], line.box[2]), line.box[3])
            joined[-1] = OcrLine(head.text + space + line.text, box, min(head.score, line.score))
        else:
            joined.append(line)
    return joined


def _column_right(line: OcrLine, lines: list[OcrLine]) -> int:
    """How far right the text of a line's column reaches: the longest line starting where it starts, in
    its type size (a title above the bullets is larger, and does not count)."""
    height = line.box[3] - line.box[1]
    return max(
        other.box[2]
        for other in lines
        if abs(other.box[0] - line.box[0]) <= height and abs(other.box[3] - other.box[1] - height) < 0.25 * height
    )


def _is_furniture(key: str, furniture: set[str]) -> bool:
    if key in furniture:
        return True
    for known in furniture:
        matcher = difflib.SequenceMatcher(None, key, known, autojunk=False)
        if matcher.real_quick_ratio() >= FURNITURE_LIKENESS and matcher.ratio() >= FURNITURE_LIKENESS:
            return True
    return False


def _continues(previous: OcrLine, line: OcrLine, column_right: int) -> bool:
    """A line wraps the (physical) line above: right below it, in the same type size, not with a bullet or a
    number of its own, where the line above ran out of room (this line's first word would not have fitted
    before its column's right end: a shorter line is a bullet of its own whose sign OCR did not read), and
    starting where the line above starts (under its text, when the line above begins with a bullet sign)."""
    height = previous.box[3] - previous.box[1]
    own_height = line.box[3] - line.box[1]
    indent = 2 * height if _BULLET.match(previous.text) else 0.3 * height
    return (
        0 <= line.box[1] - previous.box[3] + height * 0.2 < height * 0.6
        and abs(own_height - height) < 0.25 * height
        and previous.box[0] - 0.3 * height <= line.box[0] <= previous.box[0] + indent
        and previous.box[2] + _first_word_width(line) >= column_right - WRAP_SLACK * height
        and not _BULLET.match(line.text)
        and not previous.text.rstrip().endswith((".", "。", ":", "：", "!", "?", "！", "？"))
    )


def _first_word_width(line: OcrLine) -> float:
    """About how wide the line's first word is (a Chinese character is a word): its share of the letters."""
    first = _FIRST_WORD.match(line.text)
    return (line.box[2] - line.box[0]) * len(first.group() if first else line.text) / max(1, len(line.text))


def _pieces(lines: list[str], chunk_chars: int) -> list[str]:
    """Slide lines grouped into pieces the model reads whole: at most about chunk_chars tokens (a Chinese
    character or a Latin word each), so an English slide stays one piece (a longer line is a piece of
    its own)."""
    pieces: list[list[str]] = []
    size = 0
    for line in lines:
        tokens = len(_TOKEN.findall(line)) + 1
        if pieces and size + tokens <= chunk_chars:
            pieces[-1].append(line)
            size += tokens
        else:
            pieces.append([line])
            size = tokens
    return ["\n".join(piece) for piece in pieces]
