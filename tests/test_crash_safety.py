"""Crash safety: real `rag index` processes killed with SIGKILL at every stage leave a loadable index,
and damaged index files give a one-line error that says to rebuild, never a traceback or wrong answers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import FakeEmbedder

import rag
from rag import cli, store

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FAKE = rag.Settings(model="fake-bigrams")
QUESTION = "what did 冯佳时 say about shortcuts"

# `rag index` with the fake model made slow, that can stop at a named stage (printing `PAUSED <stage>`)
# for the test to kill it there: a kill point is reached for sure, not by luck of timing.
LAUNCHER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from fakes import FakeEmbedder
import rag.api, rag.cli, rag.store as store

pause_at = sys.argv[1]


def reached(stage):
    print("REACHED", stage, flush=True)
    if stage == pause_at:
        print("PAUSED", stage, flush=True)
        time.sleep(120)


class SlowFake(FakeEmbedder):
    def encode_passages(self, texts, batch_size=32, progress=None):
        reached("embedding")
        time.sleep(0.05 * len(texts))
        return super().encode_passages(texts, batch_size, progress)


real_fsync_file, real_fsync_dir = store._fsync_file, store._fsync_dir
index_syncs = []


def fsync_file(path):
    real_fsync_file(path)
    reached("writing")  # files of the new generation half written: chunks first, the manifest last


def fsync_dir(path):
    real_fsync_dir(path)
    if Path(path).name.startswith(".partial-"):
        reached("written")  # the new generation is complete but not yet renamed into place
    elif not Path(path).parent.name.startswith(".partial-"):
        index_syncs.append(path)
        reached("renamed" if len(index_syncs) == 1 else "swapped")  # CURRENT not yet / already swapped


rag.models.load_model = lambda settings, model=None: SlowFake()
store._fsync_file, store._fsync_dir = fsync_file, fsync_dir
sys.exit(rag.cli.main(sys.argv[2:]))
"""


@pytest.fixture
def setup(tmp_path):
    """Notes, an index of them, the answer it gives, and the notes changed since (so a reindex has work)."""
    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "data", notes)
    index = tmp_path / "index"
    rag.build_index(notes, index, FAKE, embedder=FakeEmbedder())
    top = ask(index).citations[0].chunk
    unrelated = "一段与原来的问题无关的新内容，讲的是图神经网络。" * 30
    (notes / "extra.md").write_text(f"# 新笔记\n\n{unrelated}\n", encoding="utf-8")
    config = tmp_path / "rag.yaml"
    config.write_text("model: fake-bigrams\n", encoding="utf-8")
    launcher = tmp_path / "launcher.py"
    launcher.write_text(LAUNCHER.format(tests=str(TESTS)), encoding="utf-8")
    return notes, index, top, config, launcher


def ask(index: Path) -> rag.Answer:
    return rag.open_index(index, FAKE, embedder=FakeEmbedder()).ask(QUESTION)


def beside_current(index: Path) -> list[str]:
    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    return sorted(p.name for p in index.iterdir() if p.name not in ("CURRENT", current))


def leftovers(index: Path) -> list[str]:
    """What builds left beside the current generation, less the one earlier generation kept on purpose
    (a reader that read CURRENT just before a swap can still open it)."""
    others = beside_current(index)
    generations = [name for name in others if name.startswith("gen-")]
    return [name for name in others if not name.startswith("gen-")] + generations[1:]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def start(launcher: Path, pause_at: str, config: Path, notes: Path, index: Path) -> subprocess.Popen:
    args = [sys.executable, str(launcher), pause_at, "--config", str(config)]
    args += ["index", str(notes), "--index", str(index)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())


def wait_for_pause(process: subprocess.Popen, stage: str, timeout: float = 60) -> list[str]:
    """The stages the process went through before it paused at stage."""
    reached, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"`rag index` ended before {stage}: {process.wait()} {process.stderr.read()}")
        if line.startswith("REACHED"):
            reached.append(line.split()[1])
        if line.strip() == f"PAUSED {stage}":
            return reached
    pytest.fail(f"`rag index` did not reach {stage} in {timeout} s")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()
    process.stderr.close()


@pytest.mark.parametrize(
    "stage, new_index",
    [
        ("after 0.2 s", False),
        ("after 1 s", False),
        ("embedding", False),
        ("writing", False),
        ("written", False),
        ("renamed", False),
        ("swapped", True),
    ],
)
def test_sigkill_at_any_stage_leaves_an_index_that_answers(setup, stage, new_index):
    notes, index, top, config, launcher = setup
    process = start(launcher, stage, config, notes, index)
    if stage.startswith("after"):
        time.sleep(float(stage.split()[1]))
    else:
        wait_for_pause(process, stage)
    kill(process)

    files = set(store.read_manifest(index)["files"])
    assert ("extra.md" in files) == new_index  # the previous index, or the new one once CURRENT is swapped
    assert ask(index).citations[0].chunk == top
    # The next successful build clears what the killed one left behind.
    rag.build_index(notes, index, FAKE, embedder=FakeEmbedder())
    assert leftovers(index) == []
    assert ask(index).citations[0].chunk == top


def test_killed_builds_leave_leftovers_that_the_next_build_removes(setup):
    notes, index, top, config, launcher = setup
    for stage in ("writing", "renamed"):
        process = start(launcher, stage, config, notes, index)
        wait_for_pause(process, stage)
        kill(process)
    left = beside_current(index)
    assert any(name.startswith(".partial-gen-") for name in left)  # killed while writing
    assert any(name.startswith("gen-") for name in left)  # complete, but CURRENT never named it
    process = start(launcher, "never", config, notes, index)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "added 1 (extra.md), changed 0, removed 0" in out
    assert leftovers(index) == []
    assert ask(index).citations[0].chunk == top


def test_sigkill_of_the_real_entry_point(setup, tmp_path):
    notes, index, top, _, _ = setup
    env = {**child_env(), "XDG_CACHE_HOME": str(tmp_path / "cache")}  # a model half-converted here harms nothing
    args = [sys.executable, "-m", "rag.cli", "index", str(notes), "--index", str(index)]
    process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    kill(process)
    assert ask(index).citations[0].chunk == top


# --- damaged index files -----------------------------------------------------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _bm25_file(generation: Path) -> Path:
    return sorted((generation / "bm25").glob("*.npy"))[0]


DAMAGE = {
    "chunks truncated": lambda g: _truncate(g / "chunks.jsonl"),
    "chunks tampered": lambda g: _flip_byte(g / "chunks.jsonl"),
    "vectors truncated": lambda g: _truncate(g / "vectors.faiss"),
    "vectors tampered": lambda g: _flip_byte(g / "vectors.faiss"),
    "bm25 truncated": lambda g: _truncate(_bm25_file(g)),
    "bm25 missing": lambda g: _bm25_file(g).unlink(),
    "manifest truncated": lambda g: _truncate(g / "manifest.json"),
    "manifest tampered": lambda g: _flip_byte(g / "manifest.json"),
    "manifest model changed": lambda g: (g / "manifest.json").write_text(
        (g / "manifest.json").read_text(encoding="utf-8").replace('"fake-bigrams"', '"other-model"'), encoding="utf-8"
    ),
    "CURRENT truncated": lambda g: _truncate(g.parent / "CURRENT"),
    "CURRENT empty": lambda g: (g.parent / "CURRENT").write_text("", encoding="utf-8"),
    "CURRENT binary": lambda g: (g.parent / "CURRENT").write_bytes(b"\xff\xfe\x00garbage"),
    "generation deleted": shutil.rmtree,
}


@pytest.fixture
def built(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "data", notes)
    index = tmp_path / "index"
    rag.build_index(notes, index, FAKE, embedder=FakeEmbedder())
    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    return notes, index, generation


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_gives_one_line_error_saying_rebuild(built, damage, monkeypatch, capsys, tmp_path):
    notes, index, generation = built
    DAMAGE[damage](generation)
    monkeypatch.setattr(rag.models, "load_model", lambda settings, model=None: FakeEmbedder())
    config = tmp_path / "rag.yaml"
    config.write_text("model: fake-bigrams\n", encoding="utf-8")
    assert cli.main(["--config", str(config), "ask", "--index", str(index), "--no-llm", QUESTION]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("rag: error: ") and "`rag index --full`" in err, err
    # And a plain reindex notices the damage and rebuilds everything.
    report = rag.build_index(notes, index, FAKE, embedder=FakeEmbedder())
    assert report.rebuilt_because in ("previous index unreadable", "previous index damaged")
    assert rag.open_index(index, FAKE, embedder=FakeEmbedder()).ask(QUESTION).citations


def test_damaged_index_through_the_real_entry_point_has_no_traceback(built, tmp_path):
    _, index, generation = built
    _truncate(generation / "vectors.faiss")
    result = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ask", "--index", str(index), "--no-llm", QUESTION],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    damaged = f"index file {generation}/vectors.faiss is missing or damaged"
    assert result.stderr == f"rag: error: {damaged}; run `rag index --full` to rebuild it\n"


# --- incremental reindex through the CLI --------------------------------------------------------


def test_cli_summary_says_what_changed_and_why_everything_was_rebuilt(tmp_path, monkeypatch, capsys):
    notes, index, config = tmp_path / "notes", tmp_path / "index", tmp_path / "rag.yaml"
    notes.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (notes / name).write_text(f"# {name}\n\nSome words about {name}. More words follow here.\n", encoding="utf-8")

    def fake_model(settings, model=None):
        embedder = FakeEmbedder()
        embedder.model_id = model or settings.model
        return embedder

    monkeypatch.setattr(rag.models, "load_model", fake_model)

    def index_with(settings: str, *flags: str) -> str:
        config.write_text(settings, encoding="utf-8")
        assert cli.main(["--config", str(config), "index", str(notes), "--index", str(index), *flags]) == 0
        return capsys.readouterr().out.strip()

    first = index_with("model: fake-bigrams\n")
    assert "embedded 3 chunks; added 3 (a.md, b.md, c.md), changed 0, removed 0; skipped 0" in first
    assert "full rebuild" not in first
    assert "is up to date: 3 notes, 3 chunks" in index_with("model: fake-bigrams\n")

    (notes / "a.md").write_text("# a.md\n\nNew words.\n", encoding="utf-8")
    (notes / "b.md").unlink()
    (notes / "d.md").write_text("# d.md\n\nA new note.\n", encoding="utf-8")
    changed = index_with("model: fake-bigrams\n")
    assert "embedded 2 chunks; added 1 (d.md), changed 1 (a.md), removed 1 (b.md); skipped 0" in changed
    assert "full rebuild" not in changed

    assert index_with("model: fake-bigrams\nchunk_chars: 200\n").endswith(
        "embedded 3 chunks; added 0, changed 0, removed 0; skipped 0; full rebuild: chunk size changed (400 → 200)"
    )
    assert index_with("model: other-fake\nchunk_chars: 200\n").endswith(
        "embedded 3 chunks; added 0, changed 0, removed 0; skipped 0; full rebuild: model changed (fake-bigrams → other-fake)"
    )
    assert index_with("model: other-fake\nchunk_chars: 200\n", "--full").endswith(
        "embedded 3 chunks; added 0, changed 0, removed 0; skipped 0; full rebuild: --full"
    )
    assert store.read_manifest(index)["model"] == "other-fake"
