"""The browser chat: a plain respond() generator and a few lines of Gradio layout; the entry point.

Run `python app.py` (or `rag serve`) and open http://127.0.0.1:7860. The HTML of answers is built (and every
note's text escaped) in rag/web/render.py; serving, slide images and the live index are in rag/web/ too.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import rag
from rag.api import MAX_QUESTION_CHARS
from rag.console import (
    SERVE_DESCRIPTION,
    add_serve_arguments,
    reporting_errors,
    settings_from,
)
from rag.web.details import render_details
from rag.web.live_index import WarmUpOnce, open_current
from rag.web.render import (
    DETAILS_EMPTY,
    render_answer,
    render_filters,
    render_notice,
    render_partial,
    render_pending,
    render_question,
)

if TYPE_CHECKING:
    import gradio as gr

log = logging.getLogger("app")

EXAMPLES = (
    "what did 冯佳时 say about shortcuts",
    "为什么要保持高分辨率表示？",
    "what is the problem with training deep GNNs?",
    "what did Yann LeCun say about transformers",
)
ALL = ""  # the dropdown value meaning "no filter"

Messages = list[dict]


def respond(
    question: str,
    history: Messages | None,
    speaker: str | None,
    note: str | None,
    chat: rag.Conversation,
    images_root: str | Path | None = None,
    pace: float = 0.0,
) -> Iterator[tuple[Messages, str]]:
    """Answer a chat question, yielding (messages, details HTML) as the answer grows.

    Args:
        question: what the user typed.
        history: the chat so far, as {"role", "content"} dicts (kept as they are).
        speaker: speaker filter; "" or None for all speakers.
        note: note filter (file path); "" or None for all notes.
        chat: the session's conversation over the index to answer from; a follow-up ("what else did he
            say?") reuses its previous speaker, and the answer is recorded as its next turn.
        images_root: folder that slide image paths resolve against. Defaults to None (names only).
        pace: seconds between the lines of an extractive answer as it appears. Defaults to 0.

    With a language model configured in the index's settings, the generated answer streams piece by
    piece, then is replaced by the checked final answer (or by the extractive one with a notice, when the
    model failed). The last yield holds the complete answer with its Sources list, and the retrieval
    details. Invalid questions and errors become a polite assistant message instead of an exception.
    """
    history = list(history or [])
    question = question if isinstance(question, str) else ""
    speaker, note = speaker or None, note or None
    asked = [*history, {"role": "user", "content": render_question(question)}]

    def reply(content: str, details: str = DETAILS_EMPTY) -> tuple[Messages, str]:
        return [*asked, {"role": "assistant", "content": content}], details

    try:
        first = chat.index.understand(question, speaker)  # cheap (no model): rejects empty or over-long questions
    except rag.InvalidQuestion as error:
        shown = asked if question.strip() else history
        yield [*shown, {"role": "assistant", "content": render_notice(str(error))}], DETAILS_EMPTY
        return
    yield reply(render_pending(first))
    answer, streamed = None, ""
    try:
        query = chat.understand(question, speaker)  # a follow-up may wait for the language model's rewrite
        filters = render_filters(speaker, note, dict(chat.index.notes), query.language)
        if query.carried_over or filters:
            yield reply(render_pending(query, filters))
        for event in chat.answer_stream(query, note=note, generate=True):
            if isinstance(event, str):
                streamed += event
                yield reply(render_partial(streamed, query, filters))
            else:
                answer = event
    except rag.RagError as error:
        yield reply(render_notice(f"Error: {error}", error=True))
        return
    except Exception as error:  # the UI boundary: show it rather than leave "Searching…" forever
        log.exception("answering %r failed", question)
        message = f"Something went wrong ({type(error).__name__}: {error}); see the terminal."
        yield reply(render_notice(message, error=True))
        return
    assert answer is not None
    if not streamed:  # an extractive answer appears line by line; a generated one has streamed already
        for lines in range(1, len(answer.text.split("\n"))):
            yield reply(render_answer(answer, images_root, lines, filters))
            if pace:
                time.sleep(pace)
    details = render_details(answer, chat.index.scores(answer), speaker, note)
    yield reply(render_answer(answer, images_root, None, filters), details)


def build_ui(
    index_provider: Callable[[], rag.Index],
    settings: rag.Settings,
    pace: float = 0.05,
    on_page_load: Callable[[], object] | None = None,
) -> gr.Blocks:
    """The chat page: chat and question box, filters beside them, example questions, retrieval details.

    Args:
        index_provider: returns the index to answer from; called once per question (and per page load,
            for the filters), so it may swap in a rebuilt index (see CurrentIndex).
        settings: images_root is read from it.
        pace: seconds between the lines of an extractive answer as it appears. Defaults to 0.05.
        on_page_load: called each time a page loads (serve() starts the warm-up with it). Defaults to None.

    Each browser session keeps its own rag.Conversation (a gr.State), so follow-ups refer to its own
    previous question.
    """
    import gradio as gr  # here, not at the top: `python app.py --help` and `rag` need not import it

    def ask(question: str, history: Messages, speaker: str, note: str, chat: rag.Conversation | None):
        index = index_provider()  # once: an answer finishes on the index it started with
        if chat is None:
            chat = rag.Conversation(index)
        chat.index = index  # after a reindex the conversation carries on over the new index
        for messages, details in respond(question, history, speaker, note, chat, settings.images_root, pace):
            yield "", messages, details, chat

    def example(question: str):
        def run(history: Messages, speaker: str, note: str, chat: rag.Conversation | None):
            yield from ask(question, history, speaker, note, chat)

        return run

    def refresh():
        """A page (re)load shows the speakers and notes of the index in use now, even after a reindex."""
        if on_page_load is not None:
            on_page_load()
        index = index_provider()
        speakers, notes = filter_choices(index)
        return header(index), gr.Dropdown(choices=speakers), gr.Dropdown(choices=notes)

    with gr.Blocks(title="Lecture notes Q&A", analytics_enabled=False) as demo:
        page = _layout(index_provider())
        inputs = [page.question, page.chatbot, page.speaker, page.note, page.chat]
        outputs = [page.question, page.chatbot, page.details, page.chat]
        page.question.submit(ask, inputs, outputs, api_name="ask")
        page.send.click(ask, inputs, outputs, api_visibility="private")
        for button, text in zip(page.examples, EXAMPLES, strict=True):
            button.click(example(text), inputs[1:], outputs, api_visibility="private")
        # Clearing the chat starts a new conversation: the next question is no follow-up.
        page.clear.click(lambda: ("", [], DETAILS_EMPTY, None), None, outputs, queue=False, api_visibility="private")
        page.chatbot.clear(
            lambda: (DETAILS_EMPTY, None), None, [page.details, page.chat], queue=False, api_visibility="private"
        )
        demo.load(refresh, None, [page.title, page.speaker, page.note], queue=False, api_visibility="private")
    return demo


def header(index: rag.Index) -> str:
    return (
        "## Lecture notes Q&A\n"
        f"Ask about the {len(index.notes)} indexed notes ({len(index.speakers)} speakers) in English or Chinese. "
        "Every sentence of an answer cites its source `[n]`; when the notes don't cover a question, "
        "the answer says so and lists the closest sections. Follow-ups such as “what else did he say?” "
        "keep the previous question's speaker."
    )


def filter_choices(index: rag.Index) -> tuple[list, list]:
    """The Speaker and Note dropdowns' (label, value) choices, "All …" first."""
    speakers = [("All speakers", ALL), *((s, s) for s in index.speakers)]
    notes = [("All notes", ALL), *((title or file, file) for file, title in index.notes)]
    return speakers, notes


@dataclass
class _Page:
    """The components of the page that its events read or write."""

    title: gr.Markdown
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    examples: list[gr.Button]
    speaker: gr.Dropdown
    note: gr.Dropdown
    clear: gr.Button
    details: gr.HTML
    chat: gr.State


def _layout(index: rag.Index) -> _Page:
    """The page's components, laid out inside the open gr.Blocks: chat left, filters right, details below."""
    import gradio as gr

    speakers, notes = filter_choices(index)
    title = gr.Markdown(header(index))
    chat = gr.State(None)  # this session's rag.Conversation, made by its first question
    with gr.Row(equal_height=False):
        with gr.Column(scale=4):
            chatbot = gr.Chatbot(
                label="Chat",
                elem_id="chat",
                height=620,
                render_markdown=False,  # messages are HTML built (and escaped) by render_answer
                sanitize_html=True,  # a second line of defence; escaping above is the first
                allow_tags=False,
                latex_delimiters=[],
                buttons=[],
                feedback_options=None,
                placeholder="Ask a question below, or click an example.",
                group_consecutive_messages=False,  # a notice after an answer gets its own box
                autoscroll=False,  # the page's script keeps the question in view instead (rag/web/page.py)
            )
            with gr.Row():
                question = gr.Textbox(
                    show_label=False,
                    placeholder="Ask about the lecture notes…",
                    elem_id="question",
                    scale=6,
                    autofocus=True,
                    max_length=MAX_QUESTION_CHARS,  # the browser stops typing there; respond() checks again
                )
                send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
            gr.Markdown("**Examples**")
            with gr.Row(elem_id="examples"):
                examples = [gr.Button(q, size="sm", elem_classes=["rag-example"]) for q in EXAMPLES]
        with gr.Column(scale=1, min_width=240):
            speaker = gr.Dropdown(speakers, value=ALL, label="Speaker", elem_id="speaker-filter")
            note = gr.Dropdown(notes, value=ALL, label="Note", elem_id="note-filter")
            clear = gr.Button("Clear chat", elem_id="clear")
            gr.Markdown(
                "Filters apply to the next question. A speaker named in the question takes precedence "
                "over the speaker filter."
            )
    with gr.Accordion("Retrieval details", open=False, elem_id="details-panel"):
        details = gr.HTML(DETAILS_EMPTY, elem_id="details")
    return _Page(title, chatbot, question, send, examples, speaker, note, clear, details, chat)


def serve(
    notes_dir: str | Path = "data",
    index_dir: str | Path = "index",
    host: str = "127.0.0.1",
    port: int = 7860,
    settings: rag.Settings | None = None,
    images_root: str | Path | None = None,
) -> None:
    """Build the index if it is missing or older than the notes, then serve the chat until Ctrl+C.

    Args:
        notes_dir: folder of Markdown notes. Defaults to "data".
        index_dir: index folder. Defaults to "index".
        host: address to bind. Defaults to 127.0.0.1 (this machine only).
        port: port. Defaults to 7860.
        settings: defaults to rag.yaml plus the CLI's cache folder.
        images_root: folder slide image paths resolve against; overrides settings.images_root.

    Raises:
        RagError: the notes cannot be indexed, the index cannot be opened, or the port is taken.
    """
    if settings is None:
        settings = settings_from()
    settings = settings.with_overrides(images_root=str(images_root) if images_root else None)
    index = open_current(notes_dir, index_dir, settings)  # `rag index` meanwhile: picked up
    if settings.images_root and not Path(settings.images_root).is_dir():
        print(f"warning: images folder {settings.images_root} not found; showing image names", file=sys.stderr)
    # Warm up after the page is up: loading the models while Gradio imports or serves the page's files slowed both.
    warm = WarmUpOnce(index, EXAMPLES[0])
    demo = build_ui(index, settings, on_page_load=warm)
    from rag.web.server import launch

    launch(demo, host, port, settings.images_root, block=False)
    print(f"chat on http://{host}:{port} (Ctrl+C to stop)", file=sys.stderr)
    warm.start()
    demo.block_thread()


def main(argv: list[str] | None = None) -> int:
    """`python app.py [--notes DIR] [--index DIR] [--host H] [--port P] [--images DIR]`: same as `rag serve`."""
    parser = argparse.ArgumentParser(prog="app.py", description=SERVE_DESCRIPTION)
    add_serve_arguments(parser)
    args = parser.parse_args(argv)

    def run() -> int:
        settings = settings_from(getattr(args, "config", None))
        serve(args.notes, args.index, args.host, args.port, settings, args.images)
        return 0

    return reporting_errors(run, args.index)


if __name__ == "__main__":
    sys.exit(main())
