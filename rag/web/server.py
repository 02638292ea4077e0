"""Serving the chat page: Gradio's queue, the look (theme and CSS), and the images-only middleware."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

import rag

from .images import ImagesOnly

# Gradio's queue. CONCURRENCY questions are answered at a time: the model encodes one question at a time
# anyway (a lock in the index), so more workers add no CPU work, but while one answer streams (its lines
# paced, or a language model's tokens arriving) the next questions are searched. Up to QUEUE_SIZE more
# wait their turn; beyond that a user is told at once that the queue is full instead of waiting minutes.
CONCURRENCY = 8
QUEUE_SIZE = 128

# Gradio's CSS variables keep the colours right in light and dark mode.
CSS = """
.rag-answer p { margin: 0 0 .4em 0; }
.rag-answer ul { margin: .2em 0 .6em 1.2em; padding: 0; }
.rag-cite { color: var(--color-accent, #f97316); font-weight: 600; white-space: nowrap; }
.rag-label { display: inline-block; font-weight: 600; font-size: .85em; padding: .1em .6em; margin-bottom: .4em;
  border-radius: 999px; background: #fef3c7; color: #92400e; }
.rag-abstained { border-left: 4px solid #f59e0b; padding-left: .7em; }
.rag-abstained .rag-message { font-style: italic; }
.rag-notice { color: var(--body-text-color-subdued, #6b7280); font-style: italic; }
.rag-understood { font-size: .85em; color: var(--body-text-color-subdued, #6b7280); margin-bottom: .3em; }
.rag-understood::before { content: "↪ "; }
.rag-unsupported { text-decoration: underline dotted #d97706; text-underline-offset: 3px; }
.rag-unsupported-note { font-size: .85em; color: #b45309; }
.rag-error { color: #b91c1c; }
.rag-filters, .rag-muted { color: var(--body-text-color-subdued, #6b7280); font-size: .85em; }
.rag-pending { color: var(--body-text-color-subdued, #6b7280); }
.rag-sources { margin-top: .6em; padding-top: .5em; border-top: 1px solid var(--border-color-primary, #e5e7eb); }
.rag-sources-title { font-weight: 600; font-size: .9em; margin-bottom: .3em; }
.rag-sources ol { list-style: none; margin: 0; padding: 0; }
.rag-source { margin: 0 0 .7em 0; }
.rag-source-path { font-weight: 600; }
.rag-source-meta { font-size: .85em; color: var(--body-text-color-subdued, #6b7280); }
.rag-source-meta code { font-size: .95em; }
.rag-snippet { margin: .25em 0; padding: .2em .6em; border-left: 3px solid var(--border-color-primary, #e5e7eb);
  font-size: .92em; }
.rag-snippet mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.rag-images { display: flex; flex-wrap: wrap; gap: 4px; margin-top: .2em; font-size: .8em; }
.rag-cited-slide img { height: 160px !important; }
.rag-images img { height: 72px; width: auto; border: 1px solid var(--border-color-primary, #e5e7eb); border-radius: 3px; }
.rag-image-name { color: var(--body-text-color-subdued, #6b7280); }
.rag-details table { border-collapse: collapse; width: 100%; font-size: .85em; }
.rag-details th, .rag-details td { border-bottom: 1px solid var(--border-color-primary, #e5e7eb); padding: .25em .4em;
  text-align: left; vertical-align: top; }
.rag-details td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rag-details tr.cited td { background: var(--color-accent-soft, #fff7ed); }
"""

Messages = list[dict]


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
            footer_links=["api", "settings"],
            mcp_server=False,
            quiet=True,  # serve() prints the address itself; Gradio's banner would suggest share=True
            app_kwargs={"middleware": middleware},
        )
    except OSError as error:
        why = "the port is in use" if "empty port" in str(error) else str(error)
        raise rag.RagError(f"cannot serve on {host}:{port}: {why}; choose another with --port") from None
    return url
