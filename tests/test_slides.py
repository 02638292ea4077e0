"""Slides: the slide region of a screen capture, OCR of drawn slides, the cache, slide chunks and answers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

import rag
from rag import cli
from rag.ocr import OcrLine, SlideRead, read_image, reading_order, slide_region
from rag.slides import OcrCache, resolve_image, slide_lines
from tests.fakes import FakeEmbedder

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SITE = Path(__file__).resolve().parent.parent.parent / "shared" / "site"
SLIDE_LINES = ["Sparse Expert Routing", "Each token visits two experts", "The gate costs one matrix product"]
FRAME_WORDS = ["Weekly Seminar Stream", "viewer joined the room", "Bookmarks Toolbar"]
FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def draw_slide(lines: list[str], size: tuple[int, int] = (960, 540)) -> Image.Image:
    """A white slide: a big title, then bullets."""
    slide = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(slide)
    draw.text((60, 40), lines[0], fill=(20, 20, 120), font=_font(48))
    for i, line in enumerate(lines[1:]):
        draw.text((80, 160 + 70 * i), f"• {line}", fill="black", font=_font(34))
    return slide


def draw_capture(slide: Image.Image) -> Image.Image:
    """A fake 1920×1030 browser playing a stream: tab bar, bookmarks, banner, chat column, slide inside."""
    screen = Image.new("RGB", (1920, 1030), (60, 70, 200))
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, 0, 1920, 90), fill=(235, 235, 235))
    draw.text((30, 10), FRAME_WORDS[2], fill="black", font=_font(22))
    draw.text((400, 150), FRAME_WORDS[0], fill="white", font=_font(56))
    draw.rectangle((1560, 90, 1920, 1030), fill="white")
    for i in range(8):
        draw.text((1580, 140 + 90 * i), f"user{i} {FRAME_WORDS[1]}", fill=(90, 90, 90), font=_font(20))
    screen.paste(slide.resize((1152, 648)), (340, 300))
    return screen


@pytest.fixture(scope="module")
def capture_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("images") / "capture.png"
    draw_capture(draw_slide(SLIDE_LINES)).save(path)
    return path


def test_slide_region_of_a_capture_is_the_slide_and_a_cropped_slide_is_whole(capture_file):
    import cv2

    gray = cv2.imread(str(capture_file), cv2.IMREAD_GRAYSCALE)
    left, top, right, bottom = slide_region(gray)
    assert abs(left - 340) <= 4 and abs(top - 300) <= 4 and abs(right - 1492) <= 4 and abs(bottom - 948) <= 4
    crop = cv2.cvtColor(cv2.imread(str(capture_file))[300:948, 340:1492], cv2.COLOR_BGR2GRAY)
    assert slide_region(crop) == (0, 0, 1152, 648)


def test_ocr_of_a_capture_keeps_the_slide_in_order_and_drops_the_frame(capture_file):
    read = read_image(capture_file)
    assert read.is_capture
    text = slide_lines(read, furniture=set())
    assert [line.lstrip("•· ") for line in text] == SLIDE_LINES
    joined = " ".join(line.text for line in read.lines)
    assert not any(word.split()[0] in joined for word in FRAME_WORDS)


def test_reading_order_title_then_left_column_then_right_column():
    def line(text, left, top, right):
        return OcrLine(text, (left, top, right, top + 30), 0.99)

    lines = [
        line("right two", 600, 200, 900),
        line("left one", 100, 150, 400),
        line("Title across the slide", 100, 40, 900),
        line("right one", 600, 150, 900),
        line("left two", 100, 200, 400),
        line("left three", 100, 250, 400),
    ]
    ordered = [ln.text for ln in reading_order(lines)]
    assert ordered == ["Title across the slide", "left one", "left two", "left three", "right one", "right two"]
    table = [line("Model", 100, 150, 200), line("75.1", 600, 150, 680), line("Proxyless", 100, 200, 220)]
    assert [ln.text for ln in reading_order([*table, line("74.6", 600, 200, 680), line("x" * 40, 100, 20, 900)])][
        1:
    ] == [
        "Model",
        "75.1",
        "Proxyless",
        "74.6",
    ]


def _dense_list_beside_sparse_diagram() -> list[OcrLine]:
    """Six short bullets on the left, every 40 px; a diagram's three boxes on the right, every 80 px, each
    on a row of a bullet by chance (as a slide of challenges beside a chart of trends)."""

    def line(text, left, top, right):
        return OcrLine(text, (left, top, right, top + 30), 0.99)

    bullets = [line(f"challenge {n}", 100, 150 + 40 * n, 280) for n in range(6)]
    boxes = [line(f"trend {n}", 620, 150 + 80 * n, 720) for n in range(3)]
    return [*boxes, *bullets, line("Title across the slide", 100, 40, 900)]


def test_reading_order_a_sparse_column_beside_a_dense_one_is_a_column_not_a_table():
    ordered = [ln.text for ln in reading_order(_dense_list_beside_sparse_diagram())]
    assert ordered == ["Title across the slide", *(f"challenge {n}" for n in range(6)), "trend 0", "trend 1", "trend 2"]


def test_slide_lines_follow_the_current_reading_order_for_a_cached_read(tmp_path):
    # A read cached by an older reading order (row by row here) comes back in the current one.
    rows = sorted(_dense_list_beside_sparse_diagram(), key=lambda ln: (ln.box[1], ln.box[0]))
    cache = OcrCache(tmp_path)
    cache.put("a" * 64, SlideRead(1000, 700, (0, 0, 1000, 700), tuple(rows)))
    read = cache.get("a" * 64)
    assert read is not None
    assert slide_lines(read, set())[-4:] == ["challenge 5", "trend 0", "trend 1", "trend 2"]


def test_a_wrapped_bullet_is_joined_and_bullets_whose_signs_were_not_read_are_not():
    def line(text, left, top, right, height=30):
        return OcrLine(text, (left, top, right, top + height), 0.99)

    read = SlideRead(
        1000,
        700,
        (0, 0, 1000, 700),
        (
            line("Slide title", 100, 20, 500, height=60),
            line("Different scales make different kernels", 100, 120, 560),
            line("Progressive expansion of each kernel gives the final", 100, 152, 800),
            line("detections", 100, 184, 260),
            line("It solves dense and curved text", 100, 216, 580),
            line("渐进式尺度扩展得到最终检", 100, 260, 800),
            line("测结果", 100, 292, 200),
        ),
    )
    assert slide_lines(read, set()) == [
        "Slide title",
        "Different scales make different kernels",
        "Progressive expansion of each kernel gives the final detections",
        "It solves dense and curved text",
        "渐进式尺度扩展得到最终检测结果",
    ]


def test_resolve_image_site_root_relative_and_remote(tmp_path):
    root, folder = tmp_path / "site", tmp_path / "notes" / "talks"
    assert resolve_image("/images/a b.png?v=2", folder, root) == root / "images" / "a b.png"
    assert resolve_image("/images/a%20b.png", folder, root) == root / "images" / "a b.png"
    assert resolve_image("img/x.png", folder, root) == folder / "img" / "x.png"
    assert resolve_image("https://example.org/x.png", folder, root) is None
    assert resolve_image("//cdn.example.org/x.png", folder, root) is None


def _slide_notes(tmp_path: Path, capture_file: Path) -> tuple[Path, Path]:
    notes, site = tmp_path / "notes", tmp_path / "site"
    (site / "images").mkdir(parents=True)
    (notes / "img").mkdir(parents=True)
    draw_slide(["Cache Warmup Plan", "Prefetch the hottest keys first"]).save(notes / "img" / "warmup.png")
    (site / "images" / "capture.png").write_bytes(capture_file.read_bytes())
    (notes / "talk.md").write_text(
        "# Systems seminar\n\n## Routing\n\n![](/images/capture.png)\n\n"
        '## Caches\n\nWe discussed caches.\n\n<img src="img/warmup.png" style="zoom:50%">\n\n'
        "![](/images/gone.png)\n\n![](https://example.org/remote.png)\n",
        encoding="utf-8",
    )
    return notes, site


def test_build_reads_slides_once_caches_by_content_and_rereads_a_corrupt_entry(tmp_path, capture_file):
    notes, site = _slide_notes(tmp_path, capture_file)
    settings = FAKE.with_overrides(images_root=str(site))
    index = tmp_path / "index"
    first = rag.build_index(notes, index, settings, embedder=FakeEmbedder())
    assert (first.slides.read, first.slides.cached) == (2, 0)
    assert [Path(p).name for p in first.slides.missing] == ["gone.png"]
    assert first.slides.remote == ("https://example.org/remote.png",)
    chunks = rag.open_index(index, settings, FakeEmbedder()).chunks
    slide_chunks = [c for c in chunks if c.slide]
    assert [c.slide for c in slide_chunks] == ["/images/capture.png", "img/warmup.png"]
    # "Routing" was only a heading and a slide: its slide's chunk stands for it.
    assert not any(c.headings[-1] == "Routing" and not c.slide for c in chunks)
    assert "Each token visits two experts" in slide_chunks[0].text
    assert "Weekly Seminar" not in slide_chunks[0].text

    again = rag.build_index(notes, index, settings, embedder=FakeEmbedder())
    assert again.up_to_date and again.slides.read == 0

    cache_files = sorted((index / "slides").glob("*.json"))
    assert len(cache_files) == 2
    cache_files[0].write_text("{not json", encoding="utf-8")
    (notes / "img" / "warmup.png").write_bytes((notes / "img" / "warmup.png").read_bytes())  # new mtime
    rebuilt = rag.build_index(notes, index, settings, embedder=FakeEmbedder(), full=True)
    assert (rebuilt.slides.read, rebuilt.slides.cached) == (1, 1)
    assert OcrCache(index / "slides").get(cache_files[0].stem) is not None


def test_a_changed_image_alone_is_read_again_and_without_images_root_nothing_changes(tmp_path, capture_file):
    notes, site = _slide_notes(tmp_path, capture_file)
    settings = FAKE.with_overrides(images_root=str(site))
    index = tmp_path / "index"
    rag.build_index(notes, index, settings, embedder=FakeEmbedder())
    draw_slide(["Cache Eviction Plan", "Evict the coldest keys first"]).save(notes / "img" / "warmup.png")
    changed = rag.build_index(notes, index, settings, embedder=FakeEmbedder())
    assert not changed.up_to_date and (changed.slides.read, changed.slides.cached) == (1, 1)
    texts = [c.text for c in rag.open_index(index, settings, FakeEmbedder()).chunks if c.slide]
    assert any("Evict the coldest keys first" in t for t in texts)
    plain = rag.build_index(notes, tmp_path / "plain", FAKE, embedder=FakeEmbedder())
    assert plain.slides.read == 0 and not any(c.slide for c in rag.open_index(tmp_path / "plain", FAKE).chunks)


def test_the_same_image_under_two_names_is_read_once(tmp_path):
    notes, site = tmp_path / "notes", tmp_path / "site"
    (site / "images").mkdir(parents=True)
    notes.mkdir()
    slide = draw_slide(["Sharded Checkpoints", "Write each shard in parallel"])
    for name in ("a.png", "b.png"):
        slide.save(site / "images" / name)
    for note, name in (("one.md", "a.png"), ("two.md", "b.png")):
        (notes / note).write_text(f"# {note}\n\n## Saving\n\n![](/images/{name})\n", encoding="utf-8")
    settings = FAKE.with_overrides(images_root=str(site))
    report = rag.build_index(notes, tmp_path / "index", settings, embedder=FakeEmbedder())
    assert (report.slides.read, report.slides.cached) == (1, 1)
    chunks = rag.open_index(tmp_path / "index", settings, FakeEmbedder()).chunks
    texts = {c.slide: c.text for c in chunks if c.slide}
    assert set(texts) == {"/images/a.png", "/images/b.png"}
    assert all("Write each shard in parallel" in text for text in texts.values())


def test_answer_quotes_the_slide_and_json_carries_it(tmp_path, capture_file, monkeypatch, capsys):
    notes, site = _slide_notes(tmp_path, capture_file)
    settings = FAKE.with_overrides(images_root=str(site))
    embedder = FakeEmbedder()
    rag.build_index(notes, tmp_path / "index", settings, embedder=embedder)
    answer = rag.open_index(tmp_path / "index", settings, embedder).ask("how many experts does each token visit")
    assert not answer.abstained and answer.citations[0].chunk.slide == "/images/capture.png"
    assert "slide 1 of “Routing”: “" in answer.text and "two experts" in answer.text
    monkeypatch.setattr(rag.models, "load_model", lambda settings, model=None: embedder)
    config = tmp_path / "rag.yaml"
    config.write_text("model: fake-bigrams\nmin_relevance: 0.2\n", encoding="utf-8")
    question = "prefetch the hottest keys"
    assert cli.main(["--config", str(config), "ask", "--index", str(tmp_path / "index"), "--json", question]) == 0
    citation = json.loads(capsys.readouterr().out)["citations"][0]
    assert citation["slide"] == "img/warmup.png" and citation["section"].endswith("Caches")
    assert cli.main(["--config", str(config), "ask", "--index", str(tmp_path / "index"), question]) == 0
    assert "slide 1: img/warmup.png" in capsys.readouterr().out


def test_a_slide_answer_quotes_the_best_line_the_lines_with_the_words_it_lacks_and_labels_read_together():
    from rag.answer import compose
    from rag.text import Tokenizer
    from rag.types import Chunk, Hit, Query

    slide = ["Challenge 4: Programming Platform", "Spiking nets", "SpiNNaker", "BindsNET", "PyNN", "2017"]
    slide += ["Currently no suitable one supports training them", "Reference: a survey of training tools, 2019"]
    chunk = Chunk("talk.md", "Talk", ("Challenges",), 1, 3, "\n".join(slide), images=("/s.png",), slide="/s.png")
    tokenize = Tokenizer().tokens
    question = "which programming platforms exist for spiking nets"
    words = tokenize(question)
    query = Query(question, question, language="en")
    answer = compose(query, [Hit(chunk, 1.0, 1.0, relevance=2.0)], words, tokenize, 0.5)
    assert answer.text.split("\n")[1:] == [
        "- slide 1 of “Challenges”: “Challenge 4: Programming Platform” [1]",
        "- “Spiking nets · SpiNNaker · BindsNET · PyNN · 2017” [1]",  # the words the title lacks; labels together
        "- “Currently no suitable one supports training them” [1]",  # what the slide says after the title
    ]


def test_a_slide_answer_quotes_what_the_slide_says_not_the_papers_it_cites():
    from rag.answer import compose
    from rag.text import Tokenizer
    from rag.types import Chunk, Hit, Query

    slide = ["Learning with biased data", "sample weighting net for noisy labels and class imbalance"]
    slide += ["Meta-weight-net [Shu, et al. NeurIPS, 2019]", "Meta-weight-net learns explicit mapping, Shu et al. 2019"]
    slide += ["J. Shu, Q. Xie, Meta-weight-net: Learning an explicit mapping for sample weighting, NeurIPS 2019"]
    chunk = Chunk("talk.md", "Talk", ("Meta",), 1, 3, "\n".join(slide), images=("/s.png",), slide="/s.png")
    tokenize = Tokenizer().tokens
    question = "what is the meta-weight-net"
    query = Query(question, question, language="en")
    answer = compose(query, [Hit(chunk, 1.0, 1.0, relevance=2.0)], tokenize(question), tokenize, 0.5)
    assert answer.text.split("\n")[1:] == [
        "- slide 1 of “Meta”: “sample weighting net for noisy labels and class imbalance” [1]"
    ], answer.text
    cited_only = replace(chunk, text="Further reading\nY. Wu, G. Li et al, Direct training of spiking nets, 2019")
    answer = compose(query, [Hit(cited_only, 1.0, 1.0, relevance=2.0)], tokenize("spiking nets"), tokenize, 0.5)
    assert "Direct training of spiking nets" in answer.text  # nothing else matches: the reference answers


def test_paper_references_are_told_from_statements():
    from rag.slide_text import is_citation

    references = ["Y Wu, L Deng, G Li, Direct training for spiking neural networks, AAAI 2019", "[1] Jun Shu, Qi Xie"]
    references += [
        "Meta Label Corrector [Wu et al., 2020]",
        "X. Wang, et.al, Arbitrary Shape",
        "Networks, 121, 294-307, 2019",
    ]
    statements = ["Large-scale SNN training is expected to be resolved in two years", "submitted to ICLR 2020"]
    statements += ["In 2019, SNNs reached 67.35% top-1 accuracy on ImageNet", "Meta Label Corrector for noisy labels"]
    assert all(map(is_citation, references)) and not any(map(is_citation, statements))


def test_the_encoders_read_a_slides_title_and_statements_and_bm25_its_labels_too():
    from rag.types import Chunk

    text = "Accuracy vs Latency\n80.0%\nOnce-for-all (ours)\nEach device gets its own specialized sub-network"
    slide = Chunk("talk.md", "Talk", ("Results",), 1, 3, text, images=("/s.png",), slide="/s.png")
    assert "80.0%" in slide.search_text and "Once-for-all (ours)" in slide.search_text
    assert "80.0%" not in slide.embedded_text and "Once-for-all (ours)" not in slide.embedded_text
    assert "Accuracy vs Latency\nEach device gets its own specialized sub-network" in slide.embedded_text
    written = replace(slide, slide=None, images=())
    assert written.embedded_text == written.search_text  # the note's own text is read whole


@pytest.mark.skipif(not SITE.is_dir(), reason="the sample notes' slide images (../shared/site) are not here")
def test_real_capture_and_crop_of_the_sample_notes():
    capture = read_image(SITE / "images" / "VALSE" / "2020_48.png")
    lines = slide_lines(capture, set())  # without the note's other images, overlays ("recording") stay
    assert "Solution: Progressive Shrinking" in lines[:2]
    text = "\n".join(lines)
    assert "different sub-networks" in text and "live.bilibili" not in text and "进入直播间" not in text
    crop = read_image(SITE / "images" / "VALSE" / "2020" / "3.png")
    assert not crop.is_capture
    assert slide_lines(crop, set())[:2] == ["NLP Model Compression", "Compact Design"]


def test_app_shows_the_cited_slide_larger_with_its_number(tmp_path):
    from rag.web.render import render_source

    (tmp_path / "images").mkdir()
    draw_slide(["Title", "A bullet"]).save(tmp_path / "images" / "s2.png")
    chunk = rag.Chunk("n.md", "Note", ("Talk",), 1, 4, "A bullet", images=("/images/s1.png", "/images/s2.png"))
    chunk = replace(chunk, slide="/images/s2.png")
    html = render_source(rag.Citation(1, chunk, "A bullet", 0.9), [], tmp_path)
    assert 'class="rag-images rag-cited-slide"' in html and "slide 2: /images/s2.png" in html
    assert html.count("<img ") == 1 and "s2.png" in html.split("<img ")[1]
    missing = render_source(rag.Citation(1, chunk, "A bullet", 0.9), [], None)
    assert "<img " not in missing and "slide 2: /images/s2.png" in missing
