"""OCR quality on slides transcribed by hand (eval/slides_ocr.yaml): the character error rate of the text
kept from each slide and the share of kept capture lines that are chrome (outside the slide, or overlays).

    .venv/bin/python eval/slides_ocr.py [eval/slides_ocr.yaml]

CER: for every transcribed line, the edit distance to its best-matching stretch of the kept text (so a
line lost counts in full, and text the transcription leaves out, figure labels, does not), summed over
the lines and divided by their length; spaces, bullet signs and full/half-width differences ignored.
Furniture is found as the build finds it, over all images of the slide's note.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag.notes import parse_note  # noqa: E402
from rag.ocr import read_image  # noqa: E402
from rag.slides import OcrCache, kept_lines, repeated_lines, resolve_image  # noqa: E402

_IGNORED = set(" \t\n•·▪□■➢>–-●")


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c not in _IGNORED).lower()


def best_match_distance(line: str, text: str) -> int:
    """Edit distance from `line` to the stretch of `text` closest to it (free start and end in text)."""
    previous = [0] * (len(text) + 1)
    for i, a in enumerate(line, start=1):
        current = [i] + [0] * len(text)
        for j, b in enumerate(text, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
        previous = current
    return min(previous)


def _note_images(note: Path, root: Path) -> list[Path]:
    chunks = parse_note(note.read_text(encoding="utf-8"), note.name, 400).chunks
    paths = {resolve_image(src, note.parent, root) for c in chunks for src in c.images}
    return sorted(p for p in paths if p is not None and p.exists())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcriptions", nargs="?", default=REPO / "eval" / "slides_ocr.yaml", type=Path)
    parser.add_argument(
        "--cache",
        type=Path,
        default=REPO / ".cache" / "eval-slides-on" / "slides",
        help="OCR cache to reuse (an index's slides/ folder; default: the one eval/slides_eval.py builds)",
    )
    args = parser.parse_args()
    cache = OcrCache(args.cache)

    def read(image: Path):
        digest = hashlib.sha256(image.read_bytes()).hexdigest()
        found = cache.get(digest)
        if found is None:
            found = read_image(image)
            cache.put(digest, found)
        return found

    data = yaml.safe_load(args.transcriptions.read_text(encoding="utf-8"))
    root = (args.transcriptions.parent / data["images"]).resolve()
    if not root.is_dir():
        print(f"slide images not found at {root}", file=sys.stderr)
        return 1
    notes = sorted((REPO / "data").glob("*.md"))
    image_note = {path: note for note in notes for path in _note_images(note, root)}
    reads: dict[Path, object] = {}
    furniture: dict[Path, set[str]] = {}
    errors = total = chrome = capture_lines = 0
    print(f"{'image':<28} {'CER':>6} {'lines kept':>10} {'chrome':>6}")
    for slide in data["slides"]:
        path = root / slide["image"]
        note = image_note[path]
        if note not in furniture:
            for image in (p for p, n in image_note.items() if n == note):
                reads[image] = read(image)
            furniture[note] = repeated_lines([reads[p] for p, n in image_note.items() if n == note])
        kept = kept_lines(reads[path], furniture[note])  # type: ignore[arg-type]
        text = _plain("".join(line.text for line in kept))
        truth = [_plain(line) for line in slide["text"].splitlines() if line.strip()]
        slide_errors = sum(best_match_distance(line, text) for line in truth)
        slide_total = sum(len(line) for line in truth)
        errors, total = errors + slide_errors, total + slide_total
        slide_chrome = 0
        if "slide" in slide:
            left, top, right, bottom = slide["slide"]
            for line in kept:
                x, y = (line.box[0] + line.box[2]) / 2, (line.box[1] + line.box[3]) / 2
                overlay = any(
                    difflib.SequenceMatcher(None, _plain(line.text), _plain(o)).ratio() > 0.7 for o in slide["overlays"]
                )
                slide_chrome += overlay or not (left <= x <= right and top <= y <= bottom)
            chrome, capture_lines = chrome + slide_chrome, capture_lines + len(kept)
        print(f"{slide['image']:<28} {slide_errors / slide_total:6.3f} {len(kept):>10} {slide_chrome:>6}")
    print(f"\ncharacter error rate {errors / total:.3f} over {total} characters of {len(data['slides'])} slides")
    print(
        f"chrome lines among those kept from captures: {chrome}/{capture_lines} = {chrome / max(1, capture_lines):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
