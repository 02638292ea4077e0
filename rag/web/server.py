"""Serving the chat page: Gradio's queue, its theme, the page's CSS and script, the images-only middleware."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

import rag

from .images import ImagesOnly
from .page import CSS, SCRIPT

# Gradio's queue. CONCURRENCY questions are answered at a time: the model encodes one question at a time
# anyway (a lock in the index), so more workers add no CPU work, but while one answer streams (its lines
# paced, or a language model's tokens arriving) the next questions are searched. Up to QUEUE_SIZE more
# wait their turn; beyond that a user is told at once that the queue is full instead of waiting minutes.
CONCURRENCY = 8
QUEUE_SIZE = 128


def launch(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    images_root: str | Path | None = None,
    block: bool = True,
) -> str:
    """Serve the page (never through a share link); returns its local URL. block=False returns at once."""
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    allowed = [str(Path(images_root).resolve())] if images_root and Path(images_root).is_dir() else []
    middleware = [Middleware(ImagesOnly, images_root=allowed[0])] if allowed else []
    theme = gr.themes.Default(
        font=["system-ui", "-apple-system", "Segoe UI", "Noto Sans CJK SC", "sans-serif"],  # no web fonts: offline
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    )
    try:
        _, url, _ = demo.launch(
            server_name=host,
            server_port=port,
            share=False,
            inbrowser=False,
            prevent_thread_lock=not block,
            allowed_paths=allowed,
            ssr_mode=False,
            theme=theme,
            css=CSS,
            js=SCRIPT,
            footer_links=["api", "settings"],
            mcp_server=False,
            quiet=True,  # serve() prints the address itself; Gradio's banner would suggest share=True
            app_kwargs={"middleware": middleware},
        )
    except OSError as error:
        why = "the port is in use" if "empty port" in str(error) else str(error)
        raise rag.RagError(f"cannot serve on {host}:{port}: {why}; choose another with --port") from None
    return url
