"""Cold-start times of the CLI and the app, stage by stage, with the index already built (`rag index` first).

    python benchmarks/startup.py [--runs 5] [--only ask,stages,imports,index,app] [--json FILE]

Every number is the median of --runs fresh processes:
- `rag ask Q` cold and `rag ask --json` with 20 questions: wall seconds and peak RSS;
- the stages of one cold question, timed inside a fresh process: interpreter, `import rag.cli`, jieba's
  dictionary, opening the index, the embedding model, the glossary, the first answer; then warm answers
  (median, p95) against the bare question encoding;
- `python -X importtime` of `rag ask` and `python app.py --help`: cumulative seconds of the heaviest packages;
- `rag index` with no change;
- `python app.py` in Debian's Chromium (started before the clock): server up, page rendered, first answer's
  sources on screen, and how long the next answer took.
The load average of the machine is printed before and after: other processes inflate every number.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RAG = [sys.executable, "-m", "rag.cli"]
QUESTION = "what did 冯佳时 say about shortcuts"
QUESTIONS = [
    QUESTION,
    "What did Jiashi Feng say about shortcut connections?",
    "HRNet 如何保持高分辨率？",
    "What does Song Han use as feedback in ProxylessNAS?",
    "GNN 的置换不变性有什么坏处？",
    "What did Geoffrey Hinton say about capsule networks?",
    "为什么要保持高分辨率表示？",
    "韩松讲的 ProxylessNAS 用什么作为反馈？",
    "what is the problem with training deep GNNs?",
    "王井东讲了什么？",
] * 2
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
HEAVY_PACKAGES = (
    "rag",
    "torch",
    "transformers",
    "sentence_transformers",
    "onnxruntime",
    "tokenizers",
    "gradio",
    "faiss",
    "bm25s",
    "jieba",
    "pypinyin",
    "numpy",
    "scipy",
    "yaml",
    "markdown_it",
    "charset_normalizer",
    "tqdm",
    "app",
)
# Run inside a fresh interpreter: each stage forced in turn, seconds printed as JSON.
STAGES_SCRIPT = r"""
import json, sys, time
t = [time.perf_counter()]
from rag import api, cli
from rag import text
t.append(time.perf_counter())
text._base_dictionary()
t.append(time.perf_counter())
index = api.open_index(sys.argv[1], cli.settings_from(None))
t.append(time.perf_counter())
embedder = index.embedder
t.append(time.perf_counter())
index.vocabulary.glossary
t.append(time.perf_counter())
index.ask(sys.argv[2])
t.append(time.perf_counter())
questions = json.loads(sys.argv[3])
asks, encodes = [], []
for q in questions:
    a = time.perf_counter(); index.ask(q); asks.append(time.perf_counter() - a)
    a = time.perf_counter(); embedder.encode_queries([q]); encodes.append(time.perf_counter() - a)
names = ["import rag.cli", "jieba dictionary", "open index", "embedding model", "glossary", "first answer"]
stages = {n: b - a for n, a, b in zip(names, t, t[1:])}
print(json.dumps({"stages": stages, "asks": asks, "encodes": encodes, "total": t[-1] - t[0]}))
"""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and stdout of one child process (rusage read through wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}: {err.decode().strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def median_run(command: list[str], runs: int) -> dict[str, float]:
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak, _ = timed(command)
        walls.append(wall)
        peaks.append(peak)
    return {"seconds": statistics.median(walls), "peak_mb": statistics.median(peaks), "runs": runs}


def bench_ask(index: str, runs: int) -> dict:
    return {
        "interpreter (python -c pass)": median_run([sys.executable, "-c", "pass"], runs),
        "rag ask Q": median_run([*RAG, "ask", "--index", index, QUESTION], runs),
        "rag ask --json (20 questions)": median_run([*RAG, "ask", "--index", index, "--json", *QUESTIONS], runs),
    }


def bench_stages(index: str, runs: int) -> dict:
    results = []
    for _ in range(runs):
        _, _, out = timed([sys.executable, "-c", STAGES_SCRIPT, index, QUESTION, json.dumps(QUESTIONS)])
        results.append(json.loads(out))
    stages = {name: statistics.median(r["stages"][name] for r in results) for name in results[0]["stages"]}
    asks = sorted(s for r in results for s in r["asks"])
    encodes = sorted(s for r in results for s in r["encodes"])
    return {
        "stages": stages,
        "warm ask median": statistics.median(asks),
        "warm ask p95": asks[int(0.95 * (len(asks) - 1))],
        "bare encode median": statistics.median(encodes),
    }


def import_times(command: list[str]) -> dict[str, float]:
    """Cumulative import seconds of the heavy top-level packages a command imports (-X importtime)."""
    child = subprocess.run(
        [sys.executable, "-X", "importtime", *command], cwd=REPO, capture_output=True, text=True, check=False
    )
    seconds: dict[str, float] = {}
    for line in child.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if name in HEAVY_PACKAGES and cumulative.isdigit():
            seconds[name] = seconds.get(name, 0.0) + int(cumulative) / 1e6
    return dict(sorted(seconds.items(), key=lambda item: -item[1]))


def bench_imports(index: str) -> dict:
    return {
        "rag ask Q": import_times(["-m", "rag.cli", "ask", "--index", index, QUESTION]),
        "rag index (no change)": import_times(["-m", "rag.cli", "index", "--index", index]),
        "python app.py --help": import_times(["app.py", "--help"]),
    }


def bench_index(index: str, runs: int) -> dict:
    return {"rag index (no change)": median_run([*RAG, "index", "--index", index], runs)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_once(browser, index: str) -> dict[str, float]:
    """One `python app.py` start: seconds to HTTP, to the rendered page, to the first answer; the next one."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    page = browser.new_page()
    started = time.perf_counter()
    app = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), "--index", index],
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
                time.sleep(0.05)
        up = time.perf_counter() - started
        page.goto(url)
        box = page.locator("#question textarea")
        box.wait_for()
        rendered = time.perf_counter() - started
        box.fill(QUESTION)
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
        page.close()
    return {"server up": up, "page rendered": rendered, "first answer": answered, "next answer": second}


def bench_app(index: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            results = [app_once(browser, index) for _ in range(runs)]
        finally:
            browser.close()
    return {"python app.py": {name: statistics.median(r[name] for r in results) for name in results[0]}}


def print_report(report: dict) -> None:
    print(f"load average before {report['load before']}, after {report['load after']} (2 cores)")
    for name, result in [*report.get("ask", {}).items(), *report.get("index", {}).items()]:
        print(f"{name:34} {result['seconds']:6.2f} s  peak {result['peak_mb']:5.0f} MB  (median of {result['runs']})")
    if "stages" in report:
        print("\nstages of one cold question (median):")
        for name, seconds in report["stages"]["stages"].items():
            print(f"  {name:20} {seconds:6.3f} s")
        s = report["stages"]
        print(
            f"  warm ask median {s['warm ask median'] * 1000:.0f} ms, p95 {s['warm ask p95'] * 1000:.0f} ms; "
            f"bare question encoding median {s['bare encode median'] * 1000:.0f} ms"
        )
    for command, seconds in report.get("imports", {}).items():
        print(f"\nimports of {command} (cumulative s, -X importtime):")
        print("  " + ", ".join(f"{name} {value:.2f}" for name, value in seconds.items()))
    for name, result in report.get("app", {}).items():
        print(f"\n{name} (median): " + "; ".join(f"{k} {v:.2f} s" for k, v in result.items()))


BENCHES = {"ask": bench_ask, "stages": bench_stages, "index": bench_index, "app": bench_app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement (default: 5)")
    parser.add_argument("--index", default="index", help="a built index (default: index)")
    parser.add_argument("--only", default="ask,stages,imports,index,app", help="comma-separated parts to run")
    parser.add_argument("--json", type=Path, help="also save the numbers as JSON here")
    args = parser.parse_args()
    report: dict = {"load before": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    for part in args.only.split(","):
        if part == "imports":
            report["imports"] = bench_imports(args.index)
        else:
            report[part] = BENCHES[part](args.index, args.runs)
    report["load after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
