"""Deterministic synthetic lecture notes for benchmarks, shaped like the sample notes.

Notes have Jekyll front matter, `# n. Title` talks with the speaker styles the samples use (【讲者】**Name**(Org),
Speaker: **Name** (Org), 讲者：Name (Org), …), `## n.m` sub-sections, bullets, slide images, and short mixed
zh/en sentences recombined from the clauses and terms of data/*.md and eval/notes/*.md. Each note is about
ten chunks, so a 10k-chunk corpus is about 1,000 notes. Every note depends only on (seed, number), so one
note can be regenerated, or changed, on its own.

    python benchmarks/synth.py 10000 /tmp/notes-10k      # writes ≈ 10,000 chunks' worth of notes
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = (*sorted((REPO / "data").glob("*.md")), *sorted((REPO / "eval" / "notes").glob("*.md")))
CHUNKS_PER_NOTE = 10  # on average, by construction (see _plan)
ONE_CHUNK_CHARS = 330  # a section's text below the 400-character chunk size, markup and all

# Speakers of the samples come first, so questions about them find their synthetic talks too.
SAMPLE_SPEAKERS = (
    ("冯佳时", "National University of Singapore"),
    ("王井东", "Microsoft Research"),
    ("韩松", "MIT"),
    ("谢凌曦", "华为"),
    ("李国齐", "清华大学"),
    ("Maria Garcia", "ETH Zurich"),
    ("Kenji Tanaka", "University of Tokyo"),
    ("Priya Raman", "Google DeepMind"),
    ("张伟", "北京大学"),
    ("刘洋", "清华大学"),
    ("陈静", "上海人工智能实验室"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰飞鹏辉建国志文斌宇浩凯晨曦佳时井东松凌国齐思远博涵睿哲"
FIRST = "Maria Kenji Priya Alex Sarah David Emma Lucas Anna Omar Chen Yuki Ravi Laura Tom Nina Hugo Lena Marco Aisha".split()
LAST = (
    "Garcia Tanaka Raman Smith Müller Rossi Kim Nguyen Ivanova Dubois Silva Cohen Patel Novak Berg Jensen Costa".split()
)
ORGS = (
    "MIT",
    "Stanford University",
    "ETH Zurich",
    "University of Tokyo",
    "Google DeepMind",
    "Microsoft Research",
    "Meta AI",
    "华为",
    "清华大学",
    "北京大学",
    "浙江大学",
    "上海人工智能实验室",
    "中国科学院自动化研究所",
    "National University of Singapore",
    "商汤科技",
    "阿里巴巴达摩院",
)
VENUES = "VALSE CVPR ICCV ECCV NeurIPS ICML ICLR AAAI MLSys ACL".split()
PREFIXES = "Mobile Res Dense Shuffle Ghost Squeeze Proxyless Once Gold Spike Graph Hybrid Flash Lin Long Big Swin Sim Dino Conv Trans Eff Tiny Auto Sparse Quant Deep Light Fast Meta".split()
SUFFIXES = "Net NeXt Former NAS BERT GNN Seg Det Attn Mixer ViT RNN Prune Distill".split()
ZH_TOPICS = "模型压缩 图神经网络 场景文字检测 元学习 网络架构设计 类脑计算 自监督学习 对比学习 多模态预训练 高效注意力 知识蒸馏 模型量化 神经架构搜索 目标检测 语义分割 视频理解".split()
EN_TOPICS = "Model Compression|Efficient Attention|Neural Architecture Search|Self-supervised Learning|Video Transformers|Quantization|Knowledge Distillation|Graph Neural Networks|Object Detection|Mixture-of-Experts".split(
    "|"
)
SUB_TITLES_ZH = "方法 实验 动机 相关工作 局限性 现实挑战 训练技巧 消融实验 结果 讨论".split()
SUB_TITLES_EN = "Routing|Load balancing|Results|Related Works|Performance|Motivation|Ablation|Hardware support|Token merging|Progressive Shrinking".split(
    "|"
)

_TERM = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\*\*|【[^】]*】|\[[^\]]*\]")
_META = re.compile(r"【|讲者|报告人|Speaker|Time:")
_CLAUSE_END = re.compile(r"(?<=[，。；：！？])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Vocabulary:
    """What synthetic text is recombined from: clauses and terms of the sample notes."""

    zh_clauses: tuple[str, ...]
    en_sentences: tuple[str, ...]
    headings: tuple[str, ...]
    terms: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    """Clauses, sentences, headings and Latin terms of the sample notes, plus generated method names."""
    zh, en, headings, terms = set(), set(), set(), set()
    for path in SAMPLES:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("#"):
                heading = re.sub(r"^#+\s*(?:\d+(?:\.\d+)*\.?\s*)?", "", _MARKUP.sub("", line)).strip()
                if heading:
                    headings.add(heading)
                continue
            if _META.search(line):
                continue
            text = re.sub(r"^(?:[-*]|\d+\.)\s+", "", _MARKUP.sub("", line)).strip()
            if len(text) < 6:
                continue  # images, rules
            terms.update(t for t in _TERM.findall(text) if any(c.isupper() for c in t[1:]) or "-" in t)
            if re.search(r"[\u4e00-\u9fff]", text):
                zh.update(c.strip() for c in _CLAUSE_END.split(text) if len(c.strip()) >= 4)
            else:
                en.update(s.strip() for s in _SENTENCE_END.split(text) if len(s.split()) >= 4)
    generated = {f"{p}{s}" for p in PREFIXES for s in SUFFIXES}
    return Vocabulary(
        tuple(sorted(zh)), tuple(sorted(en)), tuple(sorted(headings)), tuple(sorted(terms)) + tuple(sorted(generated))
    )


def zipf(rng: random.Random, items: tuple | list):
    """An item drawn with probability falling about as 1/rank: a few are common, most are rare."""
    return items[int(len(items) ** rng.random()) - 1]


def speakers(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """count (name, organisation) pairs: the samples' speakers, then generated Chinese and English names."""
    rng = random.Random(f"speakers-{seed}")
    pool, seen = list(SAMPLE_SPEAKERS), {name for name, _ in SAMPLE_SPEAKERS}
    while len(pool) < count:
        if rng.random() < 0.7:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in seen:
            seen.add(name)
            pool.append((name, rng.choice(ORGS)))
    return pool[:count]


def speaker_pool(target_chunks: int, seed: int = 0) -> list[tuple[str, str]]:
    """The speakers of a corpus: they recur across notes, about one distinct speaker for every two notes."""
    return speakers(max(len(SAMPLE_SPEAKERS), target_chunks // CHUNKS_PER_NOTE // 2), seed)


def note_path(folder: Path, number: int) -> Path:
    """Where generate() writes note `number`: a thousand notes per folder."""
    return folder / f"{number // 1000:03d}" / f"note-{number:06d}.md"


class _Writer:
    """One note's text, built from a seeded random source."""

    def __init__(self, rng: random.Random, pool: list[tuple[str, str]]) -> None:
        self.rng = rng
        self.pool = pool
        self.vocab = vocabulary()
        # A note is about a handful of methods: its sentences keep coming back to them.
        self.topic_terms = [zipf(rng, self.vocab.terms) for _ in range(5)]

    def term(self) -> str:
        return self.rng.choice(self.topic_terms) if self.rng.random() < 0.7 else zipf(self.rng, self.vocab.terms)

    def sentence(self) -> str:
        """A short sentence: Chinese clauses with English terms, or an English sentence."""
        rng, vocab = self.rng, self.vocab
        kind = rng.random()
        clause = rng.choice(vocab.zh_clauses).rstrip("，。；：")
        if kind < 0.3:
            return f"{self.term()} {clause}。"
        if kind < 0.5:
            return f"{clause}，{rng.choice(vocab.zh_clauses).rstrip('，。；：')}。"
        if kind < 0.65:
            return f"{clause}，于是用到了 {self.term()}。"
        if kind < 0.8:
            return f"基于 {self.term()} 的方法在 {rng.choice(VENUES)} 上有涨点。"
        english = rng.choice(vocab.en_sentences)
        return _TERM.sub(lambda m: self.term() if rng.random() < 0.15 else m.group(), english, count=3)

    def image(self, name: str) -> str:
        if self.rng.random() < 0.5:
            return f"![](/images/{name}_{self.rng.randrange(1, 200)}.png)"
        return f'<img src="/images/{name}/{self.rng.randrange(1, 200)}.png" style="zoom: 60%;" />'

    def body(self, chars: int, image_dir: str) -> list[str]:
        """Blocks (paragraphs, bullet lists, images) with about `chars` characters of text."""
        rng, blocks, size = self.rng, [], 0
        while size < chars:
            if rng.random() < 0.35:
                blocks.append(self.image(image_dir))
            if rng.random() < 0.4:
                items = [self.sentence().rstrip("。.") for _ in range(rng.randint(2, 3))]
                if rng.random() < 0.3:
                    items[-1] += f"\n   - {self.term()} ({rng.choice(VENUES)}{rng.randint(2018, 2024)})"
                blocks.append("\n".join(f"- {item}" for item in items))
                size += sum(len(item) for item in items)
            else:
                text = self.sentence()
                blocks.append(text)
                size += len(text)
        return blocks

    def title(self) -> str:
        rng = self.rng
        forms = (
            lambda: f"{self.term()}: {rng.choice(ZH_TOPICS)}的新进展",
            lambda: f"Rethinking {self.term()} for Efficient {rng.choice(EN_TOPICS)}",
            lambda: f"{rng.choice(EN_TOPICS)} with {self.term()}",
            lambda: f"{rng.choice(self.vocab.headings)}",
        )
        return rng.choice(forms)()


def _speaker_lines(rng: random.Random, name: str, org: str, title: str, start: int) -> list[str]:
    """The speaker, time and title lines of a talk, in one of the styles the sample notes use."""
    time = f"{start // 60:02d}:{start % 60:02d}-{(start + 40) // 60:02d}:{(start + 40) % 60:02d}"
    styles = (
        [f"【时间】**{time}**", f"【讲者】**{name}**({org})", f"【题目】**{title}**"],
        [f"Speaker: **{name}** ({org})", f"Time: {time}"],
        [f"**Speaker:** {name} ({org})"],
        [f"- Speaker: {name}, {org}"],
        [f"讲者：{name} ({org})", f"【时间】{time}"],
        [f"[讲者] **{name}**（{org}）"],
        [f"报告人：{name}，{org}"],
    )
    return rng.choices(styles, weights=(4, 2, 1, 1, 1, 1, 1))[0]


def _plan(rng: random.Random) -> list[int]:
    """Sub-sections per talk: with the preamble, talk openings and long sections ≈ 10 chunks a note."""
    talks = rng.choice((2, 2, 3))
    return [rng.randint(1, 3) if talks == 3 else rng.randint(2, 4) for _ in range(talks)]


def note(number: int, seed: int = 0, pool: list[tuple[str, str]] | None = None) -> tuple[str, int]:
    """(text, expected chunk count) of note `number`; the same (number, seed, pool) gives the same note."""
    rng = random.Random(f"note-{seed}-{number}")
    pool = pool or speakers(len(SAMPLE_SPEAKERS), seed)
    writer = _Writer(rng, pool)
    venue, year = rng.choice(VENUES), rng.randint(2018, 2024)
    topic = rng.choice(ZH_TOPICS)
    image_dir = f"{venue}/{year}"
    lines = [
        "---",
        "layout: post",
        f"title: 讲座笔记 -- {venue}{year} {topic} ({number})",
        f"categories: [{venue}{year}]",
        "description: ",
        f"keywords: {writer.term()}, {topic}",
        "---",
        "",
        f"{venue}{year} {topic} {rng.choice(EN_TOPICS)} 会议记录 {number}",
    ]
    chunks = 1
    for t, subsections in enumerate(_plan(rng), start=1):
        name, org = zipf(rng, pool)
        title = writer.title()
        lines += ["", f"# {t}. {title}", ""]
        lines += [line + "\n" for line in _speaker_lines(rng, name, org, title, 9 * 60 + 40 * (t - 1))]
        lines += [*writer.body(rng.randint(0, 80), image_dir), ""] if rng.random() < 0.6 else [writer.image(image_dir)]
        chunks += 1
        for s in range(1, subsections + 1):
            heading = rng.choice(SUB_TITLES_ZH + SUB_TITLES_EN)
            lines += ["", f"## {t}.{s} {writer.term()} {heading}", ""]
            chunks += 1
            if rng.random() < 0.25:
                lines += [writer.image(image_dir) for _ in range(rng.randint(1, 4))]  # slides only
                continue
            long = rng.random() < 0.08
            lines += "\n\n".join(writer.body(rng.randint(420, 560) if long else rng.randint(30, 150), image_dir)).split(
                "\n"
            )
            chunks += long
        lines += ["", "---", ""]
    return "\n".join(lines) + "\n", chunks


def generate(folder: Path, target_chunks: int, seed: int = 0) -> tuple[int, int]:
    """Write notes into folder until about target_chunks chunks; returns (notes, expected chunks)."""
    pool = speaker_pool(target_chunks, seed)
    total = count = 0
    while total < target_chunks:
        text, chunks = note(count, seed, pool)
        path = note_path(folder, count)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += chunks
        count += 1
    return count, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("chunks", type=int, help="about how many chunks the notes should make")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    notes, chunks = generate(args.folder, args.chunks, args.seed)
    print(f"wrote {notes} notes (≈ {chunks} chunks) into {args.folder}")


if __name__ == "__main__":
    main()
