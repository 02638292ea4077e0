"""Time from `python app.py` to a page that answers, with the index already built (run `rag index` first).

    python benchmarks/startup.py [app.py flags…]

Drives the page in Debian's Chromium (started before the clock) and prints when the server answered
HTTP, when the page rendered, when the first answer's sources were on screen, and how long the next
answer took.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        started = time.perf_counter()
        app = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), *sys.argv[1:]],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(url, timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            up = time.perf_counter() - started
            page.goto(url)
            box = page.locator("#question textarea")
            box.wait_for()
            rendered = time.perf_counter() - started
            box.fill("what did 冯佳时 say about shortcuts")
            box.press("Enter")
            page.locator("#chat .rag-sources").wait_for(timeout=120_000)
            answered = time.perf_counter() - started
            box.fill("为什么要保持高分辨率表示？")
            asked = time.perf_counter()
            box.press("Enter")
            page.locator("#chat .rag-sources").nth(1).wait_for(timeout=120_000)
            second = time.perf_counter() - asked
        finally:
            app.terminate()
            app.wait()
            browser.close()
    print(
        f"server up {up:.1f} s; page rendered {rendered:.1f} s; first answer on screen {answered:.1f} s; "
        f"next answer took {second:.2f} s"
    )


if __name__ == "__main__":
    main()
