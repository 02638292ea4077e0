"""`rag`: argument parsing → public API → printing; nothing else."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import api
from .config import Settings, load_settings
from .errors import RagError
from .types import Answer

EPILOG = """\
examples:
  rag index                       index the notes in data/ into index/
  rag ask "what did 冯佳时 say about shortcuts"
  rag ask --json "Q1" "Q2"        one JSON object per question, one per line
  rag serve                       the browser chat on http://127.0.0.1:7860

settings: an optional rag.yaml in the working folder (or --config FILE), e.g. `model: /path/to/model`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args)
        return args.run(args, settings)
    except RagError as error:
        print(f"rag: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Offline, cited question answering over Markdown lecture notes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", type=Path, help="YAML settings file (default: ./rag.yaml if present)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser(
        "index",
        help="build or update the index from a folder of notes",
        description="Index Markdown notes. Only notes whose content changed are embedded again; "
        "a change of model or chunk size rebuilds everything. The previous index stays usable until "
        "the new one is complete.",
    )
    index.add_argument("notes", nargs="?", default="data", type=Path, help="notes folder (default: data)")
    index.add_argument("--index", default="index", type=Path, help="index folder (default: index)")
    index.add_argument("--full", action="store_true", help="rebuild everything, reusing nothing")
    index.set_defaults(run=_index)

    ask = commands.add_parser(
        "ask",
        help="answer questions from the index, with citations",
        description="Answer each QUESTION from the notes. Every sentence of an answer ends with [n], "
        "pointing at a source: note › section, speaker, file:lines. When the notes do not cover a "
        "question the answer says so and lists the closest sections.",
    )
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="one or more questions (quote each)")
    ask.add_argument("--index", default="index", type=Path, help="index folder (default: index)")
    ask.add_argument("-k", type=int, help="how many sources to consider (default: 5)")
    ask.add_argument("--speaker", help="only this speaker's talks")
    ask.add_argument("--note", help="only this note (file name or title)")
    ask.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per question per line: {"question", "answer", "abstained", "citations": '
        '[{"n", "file", "title", "section", "speaker", "affiliation", "lines", "snippet", "score"}]}',
    )
    ask.set_defaults(run=_ask)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    if settings.cache_dir is None:
        cache_root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        settings = settings.with_overrides(cache_dir=str(Path(cache_root) / "lecture-rag"))
    return settings.with_overrides(k=getattr(args, "k", None))


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        report = api.build_index(args.notes, args.index, settings, full=args.full, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning {warning}", file=sys.stderr)
    print(_summary(report))
    return 0


def _summary(report: api.BuildReport) -> str:
    if report.up_to_date:
        return (
            f"index {report.index} is up to date: {report.notes} notes, {report.chunks} chunks, "
            f"{report.speakers} speakers (checked in {report.seconds['total']:.2f} s)"
        )
    changes = f"added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}"
    why = f"; full rebuild: {report.rebuilt_because}" if report.rebuilt_because else ""
    s = report.seconds
    return (
        f"indexed {report.notes} notes → {report.chunks} chunks, {report.speakers} speakers into {report.index} "
        f"in {s['total']:.1f} s (parse {s['parse']:.1f}, embed {s['embed']:.1f}, write {s['write']:.1f}); "
        f"embedded {report.embedded} chunks; {changes}; skipped {len(report.skipped)}{why}"
    )


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.k is not None and args.k < 1:
        raise RagError("-k must be at least 1")
    index = api.open_index(args.index, settings)
    for n, question in enumerate(args.questions):
        try:
            answer = index.ask(question, k=args.k, speaker=args.speaker, note=args.note)
        except api.InvalidQuestion as error:
            if args.json:
                print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False))
            else:
                print(f"rag: {error}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            if n:
                print()
            print(format_answer(answer), flush=True)
    return 0


def format_answer(answer: Answer) -> str:
    """An answer and its sources as plain text for a terminal."""
    lines = [answer.text, "", "Closest sections:" if answer.abstained else "Sources:"]
    for citation in answer.citations:
        chunk = citation.chunk
        who = chunk.speaker or "no speaker"
        if chunk.affiliation:
            who += f" ({chunk.affiliation})"
        lines.append(f"[{citation.n}] {' › '.join((chunk.title, *chunk.headings))}")
        lines.append(f"    {who} · {chunk.location} · score {citation.score:.2f}")
        lines.append(f"    “{citation.snippet}”")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
