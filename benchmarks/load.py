"""Concurrent questions against a running chat app, through its HTTP API (the `/ask` endpoint).

    python app.py &                                   # or `rag serve`; wait for "chat on http://…"
    python benchmarks/load.py http://127.0.0.1:7860/ -n 50

Each question comes from a session of its own, as from separate browser tabs; the sessions connect first,
then all questions are sent at once. Questions cycle through a few kinds with known answers in the sample
notes, and every answer is checked. Prints a table per kind and latency percentiles over all questions;
exits 1 when any question failed or was answered wrongly.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass


@dataclass(frozen=True)
class Expected:
    """A question and what its answer must be: the first source's section (None: the notes don't cover it)."""

    question: str
    section: str | None
    speaker: str | None = None


QUESTIONS = (
    Expected("what did 冯佳时 say about shortcuts", "3.1 MobileNeXt", "冯佳时"),
    Expected("HRNet 如何保持高分辨率？", "1.1 HRNet", "王井东"),
    Expected("what is the problem with training deep GNNs?", "图神经网络"),
    Expected("韩松讲的 ProxylessNAS 用什么作为反馈？", "2.1 ProxylessNAS", "韩松"),
    Expected("what did Yann LeCun say about transformers", None),
)


@dataclass(frozen=True)
class Outcome:
    """One question: when it was sent, its latency (to the complete answer) and what was wrong, if anything."""

    expected: Expected
    sent: float
    seconds: float
    error: str | None = None


def check(expected: Expected, html: str) -> str | None:
    """What is wrong with an answer's HTML, or None when it is the expected answer."""
    if "rag-sources" not in html:
        return f"no answer with sources: {html[:200]}"
    abstained = "rag-abstained" in html
    if expected.section is None:
        return None if abstained else "answered a question the notes don't cover"
    if abstained:
        return "abstained"
    first = re.search(r'<div class="rag-source-path">(.*?)</div>', html)
    if not first or expected.section not in first.group(1):
        return f"first source is not {expected.section}: {first.group(1) if first else None}"
    speakers = re.findall(r'<span class="rag-speaker">(.*?)</span>', html)
    if expected.speaker and not (speakers and speakers[0].startswith(expected.speaker)):
        return f"first source is not by {expected.speaker}: {speakers[:1]}"
    return None


def last_message(messages: list[dict]) -> str:
    """The text of the last chat message as the API returns it (a list of content parts, or a string)."""
    content = messages[-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def run(url: str, n: int = 50, timeout: float = 300.0) -> list[Outcome]:
    """Send n questions at once from n sessions to the app at url; wait at most `timeout` seconds.

    Questions that did not finish in time are reported as errors (the app keeps answering them).
    """
    from gradio_client import Client

    kinds = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    start = threading.Barrier(n)

    def ask(expected: Expected) -> Outcome:
        try:
            client = Client(url, verbose=False, download_files=False, httpx_kwargs={"timeout": timeout})
        except Exception:
            start.abort()  # the others stop waiting for this session
            raise
        try:
            start.wait(timeout=timeout)  # all sessions are connected: the questions go out together
            sent = time.perf_counter()
            try:
                _, messages, _ = client.predict(expected.question, [], "", "", api_name="/ask")
                error = check(expected, last_message(messages))
            except Exception as exc:  # every failure is reported, not just the first
                error = f"{type(exc).__name__}: {exc}"
            return Outcome(expected, sent, time.perf_counter() - sent, error)
        finally:
            client.close()

    pool = ThreadPoolExecutor(max_workers=n)
    futures = [pool.submit(ask, expected) for expected in kinds]
    done, _ = wait(futures, timeout=timeout)
    pool.shutdown(wait=False, cancel_futures=True)
    outcomes = []
    for expected, future in zip(kinds, futures, strict=True):
        if future not in done:
            outcomes.append(Outcome(expected, 0.0, timeout, f"no answer within {timeout:g} s"))
        elif future.exception() is not None:
            error = future.exception()
            outcomes.append(Outcome(expected, 0.0, 0.0, f"{type(error).__name__}: {error}"))
        else:
            outcomes.append(future.result())
    return outcomes


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1-99), interpolated between the closest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(outcomes: list[Outcome]) -> str:
    """A table per question kind, then latency percentiles and errors over all questions."""
    # The question goes last: Chinese characters are two columns wide and would shift the numbers.
    lines = [f"{'n':>3} {'ok':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}  question"]
    for expected in QUESTIONS:
        mine = [o for o in outcomes if o.expected == expected]
        if not mine:
            continue
        seconds = [o.seconds for o in mine]
        ok = sum(o.error is None for o in mine)
        lines.append(
            f"{len(mine):>3} {ok:>3} {percentile(seconds, 50):>7.2f} {percentile(seconds, 95):>7.2f} "
            f"{max(seconds):>7.2f}  {expected.question}"
        )
    seconds = [o.seconds for o in outcomes]
    errors = [o for o in outcomes if o.error]
    lines.append(
        f"{len(outcomes):>3} {len(outcomes) - len(errors):>3} {percentile(seconds, 50):>7.2f} "
        f"{percentile(seconds, 95):>7.2f} {max(seconds):>7.2f}  all"
    )
    answered = [o for o in outcomes if o.sent]
    wall = max(o.sent + o.seconds for o in answered) - min(o.sent for o in answered) if answered else 0.0
    lines.append(f"{len(outcomes)} questions sent at once, all done in {wall:.1f} s; errors: {len(errors)}")
    lines += [f"  error: {o.expected.question}: {o.error}" for o in errors[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:7860/", help="the running app")
    parser.add_argument("-n", type=int, default=50, help="concurrent questions (default: 50)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for all (default: 300)")
    args = parser.parse_args(argv)
    outcomes = run(args.url, args.n, args.timeout)
    print(report(outcomes))
    return 1 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
