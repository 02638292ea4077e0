"""Concurrent questions to the running app through its HTTP API, with the real model, on loopback only.

benchmarks/load.py sends them (each from a session of its own, all at once) and checks every answer; run
it against `python app.py` for the same figures outside the tests.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import app
import rag
from benchmarks.load import QUESTIONS, report, run
from rag.web.live_index import CurrentIndex, warm_up
from rag.web.server import launch

pytestmark = [pytest.mark.load, pytest.mark.filterwarnings("ignore:::gradio.queueing")]

REPO = Path(__file__).resolve().parent.parent
CONCURRENT = 50
TIMEOUT = 240.0  # seconds for all of them; on two busy cores they take under 10 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_embedder):
    """The chat over the sample notes as `rag serve` runs it: real model, default pace and queue settings,
    warmed up by answering one question."""
    settings = rag.Settings(cache_dir=str(REPO / ".cache"))
    folder = tmp_path_factory.mktemp("index")
    rag.build_index(REPO / "data", folder, settings, embedder=real_embedder)
    index = rag.open_index(folder, settings, embedder=real_embedder)
    demo = app.build_ui(CurrentIndex(index), settings)
    url = launch(demo, "127.0.0.1", free_port(), None, block=False)
    warm_up(index, app.EXAMPLES[0]).join(timeout=120)
    assert url.startswith("http://127.0.0.1:")
    yield url
    demo.close()


def test_fifty_concurrent_questions_are_all_answered_correctly(server, capsys):
    outcomes = run(server, CONCURRENT, TIMEOUT)
    with capsys.disabled():
        print(f"\n{report(outcomes)}")
    assert len(outcomes) == CONCURRENT
    assert {o.expected for o in outcomes} == set(QUESTIONS)
    assert [o.error for o in outcomes if o.error] == []
