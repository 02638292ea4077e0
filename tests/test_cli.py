"""`rag` through a subprocess, as a user runs it: exit codes, error lines and the texts it prints."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rag

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def setup(real_embedder, tmp_path_factory) -> tuple[Path, Path]:
    """A real index of data/ and a config pointing at the tests' model cache: (config, index)."""
    folder = tmp_path_factory.mktemp("cli")
    config = folder / "rag.yaml"
    config.write_text(f"cache_dir: {REPO / '.cache'}\n", encoding="utf-8")
    settings = rag.Settings(cache_dir=str(REPO / ".cache"))
    rag.build_index(REPO / "data", folder / "index", settings, embedder=real_embedder)
    return config, folder / "index"


def run(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", "--config", str(config), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_error_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and lines[0].startswith("rag: error: "), done.stderr
    return lines[0]


@pytest.mark.model
def test_empty_question_is_an_error(setup):
    config, index = setup
    assert "please type a question" in one_error_line(run(config, "ask", "--index", str(index), ""))
    done = run(config, "ask", "--index", str(index), "--json", "", "what did 冯佳时 say about shortcuts")
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert "please type a question" in first["error"] and second["citations"]


@pytest.mark.model
def test_unknown_filters_say_did_you_mean(setup):
    config, index = setup
    line = one_error_line(run(config, "ask", "--index", str(index), "--speaker", "Geoffrey Hinton", "capsules"))
    assert "no speaker 'Geoffrey Hinton'" in line and "冯佳时" in line
    line = one_error_line(run(config, "ask", "--index", str(index), "--note", "valse2020-network.md", "shortcuts"))
    assert "did you mean 'valse2020-network-architecture.md'" in line
    # A speaker written another way is the same filter.
    done = run(config, "ask", "--index", str(index), "--speaker", "Jiashi Feng", "shortcut")
    assert done.returncode == 0 and "MobileNeXt" in done.stdout


@pytest.mark.model
def test_missing_index_names_the_folder_given(setup, tmp_path):
    config, _ = setup
    line = one_error_line(run(config, "ask", "--index", str(tmp_path / "nowhere"), "q"))
    assert f"run `rag index NOTES_DIR --index {tmp_path / 'nowhere'}` first" in line


def test_files_not_read_are_summarized_by_kind(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("slides.pdf", "notes.txt", "img.png"):
        (notes / name).write_bytes(b"x")
    config = tmp_path / "rag.yaml"
    config.write_text("{}\n", encoding="utf-8")
    done = run(config, "index", str(notes), "--index", str(tmp_path / "index"))
    line = one_error_line(done)
    assert "3 files not read: 1 .pdf, 1 .png, 1 .txt — only .md/.markdown are notes" in line


def test_no_change_reindex_text(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "talk.md").write_text("# Talk\n\n【讲者】**Ada Lovelace**(Analytical Engines)\n\nengines compute\n")
    (notes / "photo.png").write_bytes(b"x")
    config = tmp_path / "rag.yaml"
    config.write_text(f"cache_dir: {REPO / '.cache'}\n", encoding="utf-8")
    first = run(config, "index", str(notes), "--index", str(tmp_path / "index"))
    assert first.stdout.startswith(f"indexed 1 note → 1 chunk, 1 speaker into {tmp_path / 'index'}/ in "), first.stdout
    done = run(config, "index", str(notes), "--index", str(tmp_path / "index"))
    assert done.returncode == 0, done.stderr
    assert f"the index in {tmp_path / 'index'}/ is up to date: 1 note, 1 chunk, 1 speaker " in done.stdout
    assert "1 file not read: 1 .png" in done.stderr


def test_app_help_names_app():
    done = subprocess.run([sys.executable, "app.py", "--help"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: app.py ")


@pytest.mark.model
def test_slide_only_snippet_is_quoted_once(setup, real_embedder, tmp_path):
    config, _ = setup
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "talk.md").write_text(
        "# Vision talk\n\n## Related Works\n\n![](/images/a.png)\n\n## Method\n\nResidual blocks.\n"
    )
    rag.build_index(notes, tmp_path / "index", rag.Settings(cache_dir=str(REPO / ".cache")), embedder=real_embedder)
    done = run(config, "ask", "--index", str(tmp_path / "index"), "Related Works")
    assert done.returncode == 0, done.stderr
    assert "    “Related Works” (1 slide, no written notes)\n" in done.stdout and "““" not in done.stdout
    chinese = run(config, "ask", "--index", str(tmp_path / "index"), "Related Works 讲了什么？")
    assert "- 「Related Works」（1 张幻灯片，没有文字笔记） [1]\n" in chinese.stdout  # the answer's language
    assert "\n    「Related Works」（1 张幻灯片，没有文字笔记）\n" in chinese.stdout and "“「" not in chinese.stdout


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "what did 冯佳时 say about shortcuts",
            "The note filter “VALSE2020重要主题年度进展回顾一：模型压缩，图神经网络，场景文字检测与识别，元学习” leaves "
            "out 冯佳时's talk (it is in “讲座笔记 -- VALSE2020在线大会 网络架构设计与类脑”); clear the filter to ask about it.",
        ),
        (
            "冯佳时讲了哪些关于 shortcut 的内容？",
            "笔记筛选「VALSE2020重要主题年度进展回顾一：模型压缩，图神经网络，场景文字检测与识别，元学习」不包含 冯佳时 的"
            "报告（它在「讲座笔记 -- VALSE2020在线大会 网络架构设计与类脑」中）；取消笔记筛选后再问。",
        ),
    ],
    ids=["en", "zh"],
)
def test_a_note_filter_that_leaves_out_the_named_speakers_talk_says_so(setup, question, said):
    config, index = setup
    done = run(config, "ask", "--index", str(index), "--note", "valse2020-annual-review-1.md", question)
    assert (done.returncode, done.stdout) == (0, said + "\n"), done.stderr


@pytest.mark.model
def test_a_reader_that_stops_reading_ends_the_command_quietly(setup):
    """`rag ask Q | head -1`: the pipe closes before the answer is printed; no stack trace, exit 141."""
    config, index = setup
    command = [sys.executable, "-m", "rag.cli", "--config", str(config), "ask", "--index", str(index), "shortcuts"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # long before the models have loaded and the first line is written
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (141, "")


@pytest.mark.model
def test_closest_sections_are_in_score_order_and_json_shows_the_same_scores(setup):
    config, index = setup
    questions = ("q", "what is the best pizza in Naples", "what did Geoffrey Hinton say about capsules")
    text = run(config, "ask", "--index", str(index), *questions)
    as_json = run(config, "ask", "--index", str(index), "--json", *questions)
    assert text.returncode == as_json.returncode == 0, text.stderr + as_json.stderr
    answers = [json.loads(line) for line in as_json.stdout.splitlines()]
    scores = [[c["score"] for c in answer["citations"]] for answer in answers]
    assert all(answer["abstained"] for answer in answers) and all(len(each) == 3 for each in scores)
    assert answers[2]["answer"].startswith("The notes have no talk by Geoffrey Hinton")
    assert all(each == sorted(each, reverse=True) for each in scores), scores
    printed = [float(score) for score in re.findall(r" · score (\d\.\d\d)\n", text.stdout)]
    assert printed == pytest.approx([score for each in scores for score in each], abs=0.005)  # .2f of the same


@pytest.mark.model
def test_chat_follow_ups_move_on_then_say_when_the_talk_is_exhausted(setup):
    config, index = setup
    questions = [
        "who presented HRNet?",
        "what else did he say?",
        "what else did he say?",
        "and about ConvBERT?",
        "王井东讲了什么？",
        "他还讲了什么？",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", "--config", str(config), "chat", "--index", str(index)],
        input="\n".join(questions) + "\n",
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    turns = done.stdout.split("\n> ")
    assert len(turns) == len(questions), done.stdout
    first, more, exhausted, convbert, overview, exhausted_zh = turns
    # "What else": the rest of 王井东's talk, each section of it scoring 1, not the section cited before.
    assert "valse2020-network-architecture.md:34-74" in first and "valse2020-network-architecture.md:34-74" not in more
    assert "(about 王井东's talk)" in more and re.findall(r" · score (\S+)\n", more) == ["1.00"] * 5
    assert exhausted == (
        "what else did he say?\n(about 王井东's talk)\n"
        "The notes have nothing more from 王井东's talk: every part that answers was cited above.\n"
    )
    assert "note: 王井东's talk does not cover this; this is from 冯佳时's talk.\n" in convbert
    assert "› 3.2 ConvBERT: 自注意力模块的修改\n    冯佳时 (National University of Singapore)" in convbert
    assert "共 6 部分" in overview
    assert (
        exhausted_zh
        == "他还讲了什么？\n(关于王井东的报告)\n笔记中 王井东 的报告没有更多内容了：相关的部分上面都已引用。\n\n"
    )
