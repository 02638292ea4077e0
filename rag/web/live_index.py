"""The index behind a running chat: reopened after a reindex, its model loaded once, warmed up in the
background."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import rag
from rag.api import load_model
from rag.console import build_with_progress, plural


class CurrentIndex:
    """The index the chat answers from, reopened without a restart once a reindex made another current.

    Called once per question: an answer already streaming finishes on the index it started with (its data
    stays in memory after the reindex deletes the old files), the next question gets the new index. The
    index folder is checked at most once every `check_every` seconds (a read of two small files); the
    loaded model is shared unless the new index was built with another one.
    """

    def __init__(self, index: rag.Index, check_every: float = 1.0) -> None:
        self.index = index
        self._check_every = check_every
        self._next_check = time.monotonic() + check_every
        self._checking = threading.Lock()

    def __call__(self) -> rag.Index:
        # One caller checks (and opens the new index) while the others go on with the current one.
        if time.monotonic() < self._next_check or not self._checking.acquire(blocking=False):
            return self.index
        try:
            old = self.index
            if not old.is_current():
                self.index = self._reopen(old)
            self._next_check = time.monotonic() + self._check_every
            return self.index
        finally:
            self._checking.release()

    @staticmethod
    def _reopen(old: rag.Index) -> rag.Index:
        folder = old.path.parent
        try:
            fresh = rag.open_index(folder, old.settings, embedder=old.embedder)
            if fresh.manifest["model"] != old.manifest["model"]:
                fresh = rag.open_index(folder, old.settings)  # its own model, loaded on first use
        except rag.RagError as error:
            print(f"warning: keeping the index in use; the new one cannot be opened: {error}", file=sys.stderr)
            return old
        print(f"index {folder} reloaded: {len(fresh.notes)} notes, {len(fresh.chunks)} chunks", file=sys.stderr)
        return fresh


class LazyModel:
    """The embedding model, loaded once on first use and shared by the build and the chat."""

    def __init__(self, settings: rag.Settings) -> None:
        self._settings = settings
        self._model: rag.Embedder | None = None
        self._lock = threading.Lock()

    def get(self) -> rag.Embedder:
        with self._lock:
            if self._model is None:
                started = time.perf_counter()
                print(f"loading the embedding model {self._settings.model} …", file=sys.stderr)
                self._model = load_model(self._settings)
                print(f"embedding model ready ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
            return self._model

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy/pickle probes must not load the model
            raise AttributeError(name)
        return getattr(self.get(), name)


def warm_up(index: rag.Index, question: str) -> threading.Thread:
    """Answer a question in the background, so the first users do not wait for the models, the glossary and
    the tokenizer's dictionary to load (concurrent first questions would each wait on them)."""

    def run() -> None:
        try:
            index.ask(question)
        except rag.RagError as error:
            print(f"warning: {error}; questions will show this error", file=sys.stderr)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread


class WarmUpOnce:
    """warm_up() at the first page load, or `after` seconds after start() when no page has loaded by then.

    Not at once: the page's files are served by this same process, and a warm-up sharing the interpreter with
    them made the page appear a second later (measured: 6.4 s against 5.5 s to a rendered page). Call it
    from the page's load event; start() arms the timer.
    """

    def __init__(self, index_provider: Callable[[], rag.Index], question: str, after: float = 3.0) -> None:
        self._index_provider = index_provider
        self._question = question
        self._after = after
        self._started = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        timer = threading.Timer(self._after, self)
        timer.daemon = True
        timer.start()

    def __call__(self) -> None:
        with self._lock:
            if self._started.is_set():
                return
            self._started.set()
        warm_up(self._index_provider(), self._question)


def open_current(notes_dir: str | Path, index_dir: str | Path, settings: rag.Settings) -> CurrentIndex:
    """The index of the notes folder, built or updated first (progress on stderr) when the folder exists.

    The model is loaded by the build only if something needs embedding, else on the first question.
    """
    model = LazyModel(settings)
    started = time.perf_counter()
    if Path(notes_dir).is_dir():
        print(f"checking the index of {notes_dir}/ in {index_dir}/ …", file=sys.stderr)
        report = build_with_progress(Path(notes_dir), Path(index_dir), settings, embedder=model)
        for skipped in report.skipped:
            print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
        state = "up to date" if report.up_to_date else f"built (embedded {report.embedded} chunks)"
        print(
            f"the index in {index_dir}/: {plural(report.notes, 'note')}, {plural(report.chunks, 'chunk')}, "
            f"{plural(report.speakers, 'speaker')}, {state} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    else:
        print(f"notes folder {notes_dir} not found; serving the existing index {index_dir}", file=sys.stderr)
    return CurrentIndex(rag.open_index(index_dir, settings, embedder=model))
