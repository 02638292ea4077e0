"""What the CLI and the web app's start-up share at the terminal: settings from the environment, progress
bars, counted nouns, the serve flags and one-line errors. Below both: neither front end imports the other
for these."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import api
from .config import Settings, load_settings, settings_from_env
from .errors import IndexNotFound, RagError

SERVE_DESCRIPTION = (
    "Build the index if it is missing or older than the notes (progress in the terminal), then serve a chat "
    "page with cited answers, Sources under each answer, speaker and note filters and retrieval details. "
    "Binds to 127.0.0.1 unless --host says otherwise; never makes a share link."
)


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    """The flags of `rag serve` (and of `python app.py`)."""
    serve.add_argument("--notes", default="data", type=Path, help="notes folder (default: data)")
    serve.add_argument("--index", default="index", type=Path, help="index folder (default: index)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", default=7860, type=int, help="port (default: 7860)")
    serve.add_argument(
        "--images", type=Path, help="folder that slide paths like /images/x.png resolve against (setting images_root)"
    )
    # Also accepted after the command, so `python app.py --config FILE` works; SUPPRESS keeps a --config given
    # before the command from being reset.
    serve.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="YAML settings file")


def reporting_errors(run: Callable[[], int], index: Path | str = "index") -> int:
    """run()'s exit code, with a RagError printed as one line (exit 1) instead of a stack trace, and a closed
    pipe on stdout (141) ending the command quietly."""
    try:
        return run()
    except IndexNotFound:
        where = "" if str(index) == "index" else f" --index {index}"
        print(f"rag: error: no index in {index}; run `rag index NOTES_DIR{where}` first", file=sys.stderr)
        return 1
    except RagError as error:
        print(f"rag: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`rag ask Q | head -2`): stop quietly, as other Unix tools do. Python would
        # complain once more flushing stdout at exit, so stdout points at nothing from here on.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def settings_from(config: Path | None = None) -> Settings:
    """Settings of rag.yaml (or the config file given), with the model cache in $XDG_CACHE_HOME/lecture-rag."""
    settings = settings_from_env(load_settings(config), os.environ)
    if settings.cache_dir is None:
        cache_root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        settings = settings.with_overrides(cache_dir=str(Path(cache_root) / "lecture-rag"))
    return settings


def build_with_progress(
    notes: Path, index: Path, settings: Settings, embedder: api.Embedder | None = None, full: bool = False
) -> api.BuildReport:
    """rag.build_index with progress bars on stderr while slides are read and chunks embedded."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def bar(desc: str, unit: str) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            if desc not in bars:
                bars[desc] = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr)
            bars[desc].update(done - bars[desc].n)

        return progress

    try:
        return api.build_index(
            notes,
            index,
            settings,
            embedder=embedder,
            full=full,
            progress=bar("embedding", "chunk"),
            slide_progress=bar("reading slides", "slide"),
        )
    finally:
        for progress_bar in bars.values():
            progress_bar.close()


def plural(n: int, word: str) -> str:
    """'1 speaker', '2 speakers'."""
    return f"{n} {word}{'' if n == 1 else 's'}"
