"""`rag`: argument parsing → public API → printing; nothing else."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections import Counter
from pathlib import Path

from . import api
from .config import Settings
from .console import (
    SERVE_DESCRIPTION,
    add_serve_arguments,
    build_with_progress,
    plural,
    reporting_errors,
    settings_from,
)
from .corpus import NOTE_SUFFIXES
from .errors import NotesError, RagError
from .generate import llm_configured
from .types import Answer

EPILOG = """\
examples:
  rag index                       index the notes in data/ into index/
  rag ask "what did 冯佳时 say about shortcuts"
  rag ask --json "Q1" "Q2"        one JSON object per question, one per line
  rag chat                        one question per line; "what else did he say?" follows up
  rag serve                       the browser chat on http://127.0.0.1:7860

settings: an optional rag.yaml in the working folder (or --config FILE), e.g. `model: /path/to/model`.
generated answers: set llm_base_url and llm_model there (or RAG_LLM_BASE_URL and RAG_LLM_MODEL), e.g.
  http://localhost:11434/v1 and qwen2.5:7b-instruct for Ollama; answers stream, cited and checked.
"""


def main(argv: list[str] | None = None) -> int:
    return _run(_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    return reporting_errors(lambda: args.run(args, _settings(args)), getattr(args, "index", "index"))


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
    index.add_argument(
        "--images", type=Path, help="folder that slide paths like /images/x.png resolve against: slides are read by OCR"
    )
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
        '[{"n", "file", "title", "section", "speaker", "affiliation", "lines", "snippet", "score", "slide"}]} '
        '(generated answers add "generated", "unsupported"; a fallback adds "notice")',
    )
    ask.add_argument("--no-llm", action="store_true", help="extractive answers even when a language model is set")
    ask.set_defaults(run=_ask)

    chat = commands.add_parser(
        "chat",
        help="ask questions one per line; follow-ups keep the previous speaker",
        description="Read questions from standard input, one per line. A follow-up that names no speaker "
        '("他还讲了什么？", "what else did he say?", "and about ConvBERT?") is about the previous '
        "turn's speaker; the line before each answer says how it was understood.",
    )
    chat.add_argument("--index", default="index", type=Path, help="index folder (default: index)")
    chat.add_argument("--no-llm", action="store_true", help="extractive answers even when a language model is set")
    chat.set_defaults(run=_chat)

    evaluate = commands.add_parser(
        "eval",
        help="measure answer quality on labelled question sets, tune and test halves apart",
        description="Index the notes each question set names (in a cache folder, one index per set), ask every "
        "question through the full pipeline (e5 + USE + BM25) and its ablations (no USE, no e5, dense only, BM25 "
        "only, no query analysis), and print hit@1, hit@3, MRR, speaker accuracy and abstention rates. Every "
        "question is in the tune or the test half (a seeded hash of its text): each table is printed for tune "
        "(where thresholds are chosen) and test (never seen by tuning), with a row per set. The abstention "
        "threshold is calibrated on tune only, with its curve (abstain right / wrong by threshold) on both "
        "halves. A set whose notes folder is missing (e.g. ../shared/real-notes) is skipped with a message.",
    )
    evaluate.add_argument(
        "sets",
        nargs="*",
        type=Path,
        metavar="QA.yaml",
        help="question sets (default: eval/qa.yaml eval/real-notes.yaml)",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    evaluate.set_defaults(run=_eval)

    serve = commands.add_parser(
        "serve", help="the browser chat on http://127.0.0.1:7860", description=SERVE_DESCRIPTION
    )
    add_serve_arguments(serve)
    serve.set_defaults(run=_serve)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return settings_from(getattr(args, "config", None)).with_overrides(k=getattr(args, "k", None))


def _index(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_overrides(images_root=str(args.images) if args.images else None)
    try:
        report = build_with_progress(args.notes, args.index, settings, full=args.full)
    except NotesError as error:
        ignored = not_read(args.notes)
        raise NotesError(f"{error}; {ignored}" if ignored else str(error)) from None
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    for label, paths in (("missing", report.slides.missing), ("remote, not fetched", report.slides.remote)):
        for path in paths:
            print(f"slide {label}: {path}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning {warning}", file=sys.stderr)
    ignored = not_read(args.notes)
    if ignored:
        print(ignored, file=sys.stderr)
    print(_summary(report))
    return 0


def not_read(folder: Path) -> str:
    """'3 files not read: 1 .pdf, 1 .png, 1 .txt — only .md/.markdown are notes', or '' when none."""
    kinds: Counter[str] = Counter()
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        kinds.update(
            Path(name).suffix.lower() or "without extension"
            for name in files
            if not name.startswith(".") and not name.lower().endswith(NOTE_SUFFIXES)
        )
    if not kinds:
        return ""
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0])))
    notes = "/".join(NOTE_SUFFIXES)
    return f"{plural(kinds.total(), 'file')} not read: {counts} — only {notes} are notes"


def _summary(report: api.BuildReport) -> str:
    if report.up_to_date:
        return (
            f"the index in {report.index}/ is up to date: {plural(report.notes, 'note')}, "
            f"{plural(report.chunks, 'chunk')}, {plural(report.speakers, 'speaker')} "
            f"(checked in {report.seconds['total']:.2f} s)"
        )
    changes = ", ".join(
        f"{label} {len(paths)}" + (f" ({', '.join(paths[:3])}{', …' if len(paths) > 3 else ''})" if paths else "")
        for label, paths in (("added", report.added), ("changed", report.changed), ("removed", report.removed))
    )
    why = f"; full rebuild: {report.rebuilt_because}" if report.rebuilt_because else ""
    s = report.seconds
    stages = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in s.items() if stage != "total")
    return (
        f"indexed {plural(report.notes, 'note')} → {plural(report.chunks, 'chunk')}, "
        f"{plural(report.speakers, 'speaker')} into {report.index}/ "
        f"in {s['total']:.1f} s ({stages}); embedded {plural(report.embedded, 'chunk')}; {changes}; "
        f"skipped {len(report.skipped)}{why}{_slide_summary(report.slides)}"
    )


def _slide_summary(slides: api.SlideReport) -> str:
    if not slides.images and not slides.remote:
        return ""
    counts = (slides.read, slides.cached, len(slides.missing), len(slides.remote), len(slides.unreadable))
    return "; slides: {} read, {} from cache, {} missing, {} remote, {} unreadable".format(*counts)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.k is not None and args.k < 1:
        raise RagError("-k must be at least 1")
    index = api.open_index(args.index, settings)
    speaker = _known_speaker(index, args.speaker) if args.speaker is not None else None
    note = _known_note(index, args.note) if args.note is not None else None
    generate = llm_configured(settings) and not args.no_llm
    failed = 0
    for n, question in enumerate(args.questions):
        try:
            events = index.ask_stream(question, k=args.k, speaker=speaker, note=note, generate=generate)
        except api.InvalidQuestion as error:
            failed += 1
            if args.json:
                print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False))
            else:
                print(f"rag: error: {error}", file=sys.stderr)
            continue
        if args.json:
            answer = [event for event in events if isinstance(event, Answer)][-1]
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            if n:
                print()
            _print_stream(events)
    return 1 if failed else 0


def _known_speaker(index: api.Index, speaker: str) -> str:
    """The index's name of the speaker a --speaker filter names (any script or name order), or a one-line
    error listing the closest names."""
    if speaker in index.speakers:
        return speaker
    named = index.understand(speaker).speaker if speaker.strip() else None
    if named is not None:
        return named
    raise RagError(f"no speaker {speaker!r} in the index{_did_you_mean(speaker, index.speakers)}")


def _known_note(index: api.Index, note: str) -> str:
    names = [name for pair in index.notes for name in pair]
    if note in names:
        return note
    raise RagError(f"no note {note!r} in the index{_did_you_mean(note, names)}")


def _did_you_mean(value: str, names: list[str]) -> str:
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
    if close:
        return f"; did you mean {' or '.join(repr(c) for c in close)}?"
    shown = ", ".join(repr(n) for n in sorted(set(names))[:8])
    return f"; it has {shown}{', …' if len(set(names)) > 8 else ''}"


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from .conversation import Conversation, understood

    generate = llm_configured(settings) and not args.no_llm
    conversation = Conversation(api.open_index(args.index, settings), rewrite=generate)
    prompt = "> " if sys.stdin.isatty() else ""
    while True:
        try:
            question = input(prompt)
        except EOFError:
            return 0
        if not question.strip():
            continue
        if not prompt:
            print(f"> {question}")  # piped questions: echo them, so the output reads as a transcript
        try:
            query = conversation.understand(question)
        except api.InvalidQuestion as error:
            print(f"rag: {error}", file=sys.stderr)
            continue
        reading = understood(query)
        if reading:
            print(f"({reading})")
        _print_stream(conversation.answer_stream(query, generate=generate))
        print()


def _print_stream(events) -> Answer:
    """Print an answer as it streams: the model's text as it comes, then notes and sources."""
    streamed = False
    answer = None
    for event in events:
        if isinstance(event, str):
            print(event, end="", flush=True)
            streamed = True
        else:
            answer = event
    assert answer is not None
    if streamed:
        print()
    if answer.notice:
        print(f"note: {answer.notice}")
    if answer.generated:
        for sentence in answer.unsupported:
            print(f"cites no source: {sentence}")
        sources = format_sources(answer)
        if sources:
            print("\n" + sources, flush=True)
    else:
        print(format_answer(answer), flush=True)
    return answer


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from . import eval_report, evaluate

    sets = args.sets or [Path("eval/qa.yaml"), Path("eval/real-notes.yaml")]
    result = evaluate.evaluate_sets(sets, settings, Path(settings.cache_dir or ".cache") / "eval")
    if args.json:
        print(json.dumps(eval_report.to_json(result), ensure_ascii=False))
    else:
        print(eval_report.to_text(result))
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import app

    app.serve(args.notes, args.index, args.host, args.port, settings, args.images)
    return 0


def format_answer(answer: Answer) -> str:
    """An answer and its sources as plain text for a terminal."""
    sources = format_sources(answer)
    return f"{answer.text}\n\n{sources}" if sources else answer.text


def format_sources(answer: Answer) -> str:
    """The numbered sources of an answer (or the closest sections of an abstention) for a terminal; ""
    when it has none."""
    if not answer.citations:
        return ""
    lines = ["Closest sections:" if answer.abstained else "Sources:"]
    for citation in answer.citations:
        chunk = citation.chunk
        who = chunk.speaker or "no speaker"
        if chunk.affiliation:
            who += f" ({chunk.affiliation})"
        lines.append(f"[{citation.n}] {' › '.join((chunk.title, *chunk.headings))}")
        lines.append(f"    {who} · {chunk.location} · score {citation.score:.2f}")
        if chunk.slide:
            lines.append(f"    slide {chunk.slide_number}: {chunk.slide}")
        # A slide-only section's snippet is already quoted: “Related Works” (1 slide, no written notes).
        snippet = citation.snippet
        lines.append(f"    {snippet if snippet.startswith(('“', '「')) else f'“{snippet}”'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
