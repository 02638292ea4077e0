"""Read the text of one slide image: find the slide's rectangle, OCR only that, order its lines.

The OCR engines (rapidocr with its bundled PP-OCRv6 models, onnxruntime) are created once per process on
first use; everything else here is plain numpy/OpenCV on arrays.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import usable_cores

# Measured on the sample slides: the default box margin (1.6) garbled lines that 1.4 read right.
UNCLIP_RATIO = 1.4
# A slide's lines are recognized by THREADS threads at once, each model run on one core: onnxruntime's
# own threads (intra_op 2) spin while they wait and, on a busy machine, made a slide 1.7x slower than one
# thread (benchmarks/slides.py). A build reads its images in WORKERS processes of one thread each.
THREADS = 2
WORKERS = 2
# Lines are recognized one at a time, each as wide as it is: in a batch every line is padded to the
# widest one's width (and to at least 320 px), and the recognizer's time grows with the padded width.
REC_BATCH = 1
REC_MIN_WIDTH = 96
COLUMN_SHARE = 0.25  # lines of a text column are at least this share of the slide's width on average
MIN_SCORE = 0.6  # recognizer confidence below which a fragment is noise (icons, blurred video, emoji)
# A slide region is a third to a half of a screen capture: smaller rectangles are figures, tables or the
# video; larger ones the browser's page. Without one the whole image is read (and furniture dropped).
MIN_SLIDE_AREA = 0.34
# Screens are at least this wide; a narrower image is a cropped slide (whose figures and tables make
# rectangles too), read whole.
MIN_SCREEN_WIDTH = 1280
MAX_SLIDE_AREA = 0.5
SLIDE_ASPECT = (1.2, 2.0)  # width / height of a 4:3 … 16:9 slide
SIDE_SHOWN = 0.6  # how much of its sides must be a visible edge (one side may show half as much)
MAX_EDGES = 20  # the longest straight edges each way considered as a slide's sides


@dataclass(frozen=True)
class OcrLine:
    """One recognized text line; box is (left, top, right, bottom) in the image's pixels."""

    text: str
    box: tuple[int, int, int, int]
    score: float

    def to_dict(self) -> dict:
        return {"text": self.text, "box": list(self.box), "score": round(self.score, 4)}

    @classmethod
    def from_dict(cls, data: dict) -> OcrLine:
        left, top, right, bottom = (int(v) for v in data["box"])
        return cls(str(data["text"]), (left, top, right, bottom), float(data["score"]))


@dataclass(frozen=True)
class SlideRead:
    """What OCR found in one image: its size, the slide's rectangle (the whole image when it is a
    cropped slide) and the lines inside it, in reading order."""

    width: int
    height: int
    region: tuple[int, int, int, int]
    lines: tuple[OcrLine, ...]

    @property
    def is_capture(self) -> bool:
        return self.region != (0, 0, self.width, self.height)


def engine_version() -> str:
    """Recorded with every cached result: a different engine or setting reads the images again."""
    from importlib.metadata import version

    return (
        f"rapidocr-{version('rapidocr')}/PP-OCRv6-small/unclip-{UNCLIP_RATIO}/min-score-{MIN_SCORE}"
        f"/rec-{REC_BATCH}x{REC_MIN_WIDTH}"
    )


def slide_region(gray: np.ndarray) -> tuple[int, int, int, int]:
    """The slide's rectangle in a screen capture; the whole image for a cropped slide or when none is found.

    The slide is the largest slide-shaped rectangle whose sides are long straight edges that end at its
    corners (a side may be partly hidden, e.g. by the speaker's video). The browser's own lines run the
    whole width or height of the screen, so they do not end at a slide's corners.

    Args:
        gray: the image as a 2-D uint8 array.
    """
    height, width = gray.shape
    if width < MIN_SCREEN_WIDTH:
        return (0, 0, width, height)
    rows, columns = _long_edges(gray, horizontal=True), _long_edges(gray, horizontal=False)
    # First a rectangle all of whose sides end at its corners; else one sharing two sides with neighbours.
    for ending_sides in (4, 2):
        region = _largest_rectangle(rows, columns, width, height, ending_sides)
        if region is not None:
            return region
    return (0, 0, width, height)


def _largest_rectangle(
    rows: list[tuple[int, np.ndarray]],
    columns: list[tuple[int, np.ndarray]],
    width: int,
    height: int,
    ending_sides: int,
) -> tuple[int, int, int, int] | None:
    """The largest slide-shaped rectangle of long edges with at least `ending_sides` sides ending at
    their corners, or None."""
    best, best_area = None, 0
    for i, (top, top_cover) in enumerate(rows):
        for bottom, bottom_cover in rows[i + 1 :]:
            for j, (left, left_cover) in enumerate(columns):
                for right, right_cover in columns[j + 1 :]:
                    area = (right - left) * (bottom - top)
                    if area <= best_area or not MIN_SLIDE_AREA <= area / (width * height) <= MAX_SLIDE_AREA:
                        continue
                    if not SLIDE_ASPECT[0] <= (right - left) / (bottom - top) <= SLIDE_ASPECT[1]:
                        continue
                    sides = [_side(top_cover, left, right), _side(bottom_cover, left, right)]
                    sides += [_side(left_cover, top, bottom), _side(right_cover, top, bottom)]
                    shown = sorted(cover for cover, _ in sides)
                    ending = sum(ends for _, ends in sides)
                    if shown[0] >= SIDE_SHOWN / 2 and shown[1] >= SIDE_SHOWN and ending >= ending_sides:
                        best, best_area = (left, top, right, bottom), area
    return best


def _long_edges(gray: np.ndarray, horizontal: bool) -> list[tuple[int, np.ndarray]]:
    """Straight edges at least a tenth of the image long, longest first: (position, cumulative cover)."""
    import cv2

    edges = cv2.Canny(gray if horizontal else np.ascontiguousarray(gray.T), 30, 100)
    length = edges.shape[1]
    edges = cv2.dilate(edges, np.ones((3, 1), np.uint8))  # a line drawn across two pixel rows stays one
    edges = cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones((1, length // 10), np.uint8))
    found = np.flatnonzero(edges.any(axis=1))
    groups = np.split(found, np.flatnonzero(np.diff(found) > 2) + 1) if found.size else []
    lines = []
    for group in groups:
        covered = edges[group].any(axis=0)
        lines.append((int(covered.sum()), int(group.mean()), np.concatenate([[0], np.cumsum(covered)])))
    lines.sort(key=lambda line: -line[0])
    return sorted(((position, cover) for _, position, cover in lines[:MAX_EDGES]), key=lambda line: line[0])


def _side(cover: np.ndarray, start: int, end: int) -> tuple[float, bool]:
    """How well a line makes the side [start, end) of a rectangle: the share it covers, and whether it
    ends at both corners (a line running on is one of the screen's, or shared with the video beside)."""
    span = max(1, end - start)
    margin = max(4, span // 20)
    first, last = max(0, start - margin), min(len(cover) - 1, end + margin)
    before = float(cover[start] - cover[first]) / max(1, start - first)
    after = float(cover[last] - cover[end]) / max(1, last - end)
    return float(cover[end] - cover[start]) / span, before <= 0.5 and after <= 0.5


_engines = None
_engine_lock = threading.Lock()


def _ocr_engines():
    """The detector and the recognizer of the process (their first calls cost seconds: the models load).

    Two engines, each loading only its own model: detection is one model run per slide and uses THREADS
    onnxruntime threads (0.4 → 0.24 s a slide with two, benchmarks/slides.py); recognition is many small
    runs, spread over THREADS Python threads of one-thread runs instead (see THREADS)."""
    global _engines
    with _engine_lock:
        if _engines is None:
            from rapidocr import RapidOCR

            def engine(threads: int):
                return RapidOCR(
                    params={
                        "Global.use_cls": False,  # slides are upright; the angle classifier helped once, hurt once
                        "Global.log_level": "error",
                        "Det.unclip_ratio": UNCLIP_RATIO,
                        "Rec.rec_batch_num": REC_BATCH,
                        "Rec.rec_img_shape": [3, 48, REC_MIN_WIDTH],
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    }
                )

            _engines = (engine(THREADS), engine(1))
        return _engines


def read_image(path: Path) -> SlideRead:
    """OCR the slide in an image file: the crop of its slide region, lines in reading order.

    Raises:
        OSError: the file cannot be read or is not an image.
    """
    import cv2

    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise OSError(f"not an image: {path}")
    height, width = image.shape[:2]
    region = slide_region(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    left, top, right, bottom = region
    lines = []
    for box, text, score in _recognize(image[top:bottom, left:right]):
        xs, ys = box[:, 0] + left, box[:, 1] + top
        lines.append(OcrLine(text.strip(), (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())), score))
    return SlideRead(width, height, region, tuple(reading_order([ln for ln in lines if ln.text])))


def _recognize(image: np.ndarray) -> list[tuple[np.ndarray, str, float]]:
    """(box, text, score) of each text line, as the library's pipeline gives them (below its confidence
    floor dropped): lines detected, then recognized by THREADS threads, each taking every THREADS-th
    line by width (so each gets as many characters)."""
    detector, engine = _ocr_engines()
    found = detector(image, use_det=True, use_cls=False, use_rec=False)
    if found.boxes is None or not len(found.boxes):
        return []
    crops = engine.crop_text_regions(image, found.boxes)
    by_width = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
    shares = [share for share in (by_width[k::THREADS] for k in range(THREADS)) if share]
    results = list(_rec_pool().map(lambda share: engine.recognize_txt([crops[i] for i in share]), shares))
    read = {
        i: (text, score)
        for share, result in zip(shares, results, strict=True)
        for i, text, score in zip(share, result.txts, result.scores, strict=True)
    }
    return [
        (found.boxes[i], str(read[i][0]), float(read[i][1]))
        for i in range(len(crops))  # in the detector's order, which reading_order() breaks ties by
        if read[i][1] >= engine.text_score
    ]


_pools: dict[int, ThreadPoolExecutor] = {}


def _rec_pool() -> ThreadPoolExecutor:
    """The threads that recognize a slide's lines (one set per thread count the process has used)."""
    with _engine_lock:
        if THREADS not in _pools:
            _pools[THREADS] = ThreadPoolExecutor(THREADS, thread_name_prefix="ocr")
        return _pools[THREADS]


def read_images(paths: list[Path], workers: int | None = None) -> Iterator[tuple[Path, SlideRead | None]]:
    """Each image's read_image() as soon as it is done (None: not an image), from worker processes that
    share the cores; their OCR engines and buffers are freed when the last image is read.

    Args:
        paths: the images to read.
        workers: at most this many processes. Defaults to WORKERS.
    """
    if not paths:
        return
    cores = usable_cores()
    count = max(1, min(workers or WORKERS, cores, len(paths)))
    pool = ProcessPoolExecutor(
        count,
        mp_context=multiprocessing.get_context("spawn"),  # a fork would copy the caller's threads and models
        initializer=_start_worker,
        initargs=(max(1, cores // count),),
    )
    try:
        futures = {pool.submit(_read_or_none, path): path for path in paths}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(cancel_futures=True)


def _start_worker(threads: int) -> None:
    global THREADS
    THREADS = threads


def _read_or_none(path: Path) -> SlideRead | None:
    try:
        return read_image(path)
    except OSError:
        return None
    finally:
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the buffers freed after an image back to the system: glibc keeps them, and a worker grew from
    0.2 to 0.7 GB over 40 slides (0.2 GB with this, for no measurable time). Nothing where libc lacks it."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines as a person reads a slide: top to bottom, and where the slide has two columns, the left
    column before the right one (a line belongs to the right column when it starts right of the slide's
    middle and nothing spans across it at that height)."""
    if not lines:
        return []
    left = min(line.box[0] for line in lines)
    right = max(line.box[2] for line in lines)
    middle = (left + right) / 2

    def spans(line: OcrLine) -> bool:
        return line.box[0] < middle < line.box[2]

    rows = sorted(lines, key=lambda line: (line.box[1] + line.box[3]) / 2)
    ordered: list[OcrLine] = []
    block: list[OcrLine] = []
    for line in rows:
        if spans(line):
            ordered.extend(_columns(block, middle, right - left))
            block = []
            ordered.append(line)
        else:
            block.append(line)
    ordered.extend(_columns(block, middle, right - left))
    return ordered


def _columns(block: list[OcrLine], middle: float, width: float) -> list[OcrLine]:
    """A run of lines none of which crosses the middle: the left column's, then the right column's; row by
    row when its lines are short and most lines of each side sit on a row of the other (a table's cells or
    a diagram's boxes beside their labels). A sparse column beside a dense one (a diagram's few boxes beside
    a list of bullets) shares rows with it by chance, yet is a column of its own."""
    left = [line for line in block if line.box[2] <= middle]
    right = [line for line in block if line.box[2] > middle]
    paired_right = sum(any(_same_row(r, ln) for ln in left) for r in right)
    paired_left = sum(any(_same_row(ln, r) for r in right) for ln in left)
    rows = paired_right * 2 > len(right) and paired_left * 2 > len(left)
    short = sum(line.box[2] - line.box[0] for line in block) < COLUMN_SHARE * width * max(1, len(block))
    return _rows(block) if short and rows else _rows(left) + _rows(right)


def _same_row(a: OcrLine, b: OcrLine) -> bool:
    return abs((a.box[1] + a.box[3]) - (b.box[1] + b.box[3])) / 2 < min(a.box[3] - a.box[1], b.box[3] - b.box[1]) / 2


def _rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom; lines on one row (vertical centres within half a line height) left to right."""
    ordered = sorted(lines, key=lambda line: (line.box[1] + line.box[3]) / 2)
    rows: list[list[OcrLine]] = []
    for line in ordered:
        if rows and _same_row(rows[-1][-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda x: x.box[0])]
