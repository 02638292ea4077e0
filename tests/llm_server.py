"""A scripted OpenAI-compatible chat server on loopback, so tests drive the real HTTP client."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One scripted reply.

    pieces are streamed as chat.completion.chunk events (then `data: [DONE]` when done); status other
    than 200 sends `body` as an error; `raw` lines replace the events; delay waits before the headers,
    gap between events.
    """

    pieces: list[str] = field(default_factory=list)
    done: bool = True
    status: int = 200
    body: str = ""
    raw: list[str] | None = None
    delay: float = 0.0
    gap: float = 0.0
    json_body: dict | None = None


def chunk_event(content: str | None = None, finish: str | None = None) -> str:
    delta = {} if content is None else {"content": content}
    event = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "model": "scripted",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return "data: " + json.dumps(event, ensure_ascii=False)


class ScriptedServer:
    """Serves the queued replies in order (the last one again when the queue runs out) and records
    every request as {"path", "headers", "body"}."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                owner.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                reply = owner.replies.pop(0) if len(owner.replies) > 1 else owner.replies[0]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
                    owner.send(self, reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *replies: Reply) -> ScriptedServer:
        self.replies = list(replies)
        self.requests.clear()
        return self

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        time.sleep(reply.delay)
        if reply.status != 200:
            data = reply.body.encode()
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            return
        if reply.json_body is not None:
            data = json.dumps(reply.json_body).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Connection", "close")
        handler.end_headers()
        if reply.raw is not None:
            lines = reply.raw
        else:
            lines = [chunk_event(), *(chunk_event(p) for p in reply.pieces)]
            if reply.done:
                lines += [chunk_event(finish="stop"), "data: [DONE]"]
        for line in lines:
            handler.wfile.write((line + "\n\n").encode())
            handler.wfile.flush()
            time.sleep(reply.gap)
        handler.close_connection = True


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
