"""The one vocabulary of the code: a Chunk flows parser → index → retriever → answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .slide_text import statements

SECTION_SEPARATOR = " > "
_WORDS_IN_NAME = re.compile(r"[A-Za-z]{3,}|[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Chunk:
    """A passage of one note, with everything needed to cite it.

    Lines are 1-based and inclusive, counted in the file as it is on disk.
    """

    file: str
    title: str
    headings: tuple[str, ...]
    start: int
    end: int
    text: str
    speaker: str | None = None
    affiliation: str | None = None
    time: str | None = None
    images: tuple[str, ...] = ()
    # Everyone the notes name as giving this section: a panel's speakers and moderator, co-presenters.
    # `speaker` is the first of them (or the only one); empty when the section names nobody.
    people: tuple[str, ...] = ()
    # The slide image (as the note names it) whose OCR text this chunk is; None for the note's own text.
    slide: str | None = None

    @property
    def section(self) -> str:
        """The heading path joined with ` > `, or "" for text before the first heading."""
        return SECTION_SEPARATOR.join(self.headings)

    @property
    def slide_number(self) -> int:
        """The slide's place among the images of its section chunk (1-based), 0 for the note's own text."""
        return self.images.index(self.slide) + 1 if self.slide in self.images else 0

    @property
    def location(self) -> str:
        return f"{self.file}:{self.start}-{self.end}"

    @property
    def search_text(self) -> str:
        """What gets keyword-indexed (and, but for a slide's labels, embedded): breadcrumb and speaker first,
        so names match."""
        return self._in_context(self.text)

    @property
    def embedded_text(self) -> str:
        """What the sentence encoders read: search_text, of a slide only its title and statements (its
        labels, names and numbers out of their figure, dilute what it says; BM25 still has them)."""
        return self._in_context(statements(self.text)) if self.slide else self.search_text

    def _in_context(self, text: str) -> str:
        lines = [" › ".join((self.title, *self.headings))]
        if self.speaker:
            who = f"{self.speaker} ({self.affiliation})" if self.affiliation else self.speaker
            lines.append(f"讲者 Speaker: {who}")
        lines.append(text)
        # Slide file names often say what a slide shows ("moe-imagenet.png"); numbered ones say nothing.
        shown = (self.slide,) if self.slide else self.images
        named = [" ".join(_WORDS_IN_NAME.findall(PurePosixPath(i).stem)) for i in shown]
        named = [name for name in named if name]
        if named:
            lines.append("Slides: " + "; ".join(named))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "title": self.title,
            "headings": list(self.headings),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "affiliation": self.affiliation,
            "time": self.time,
            "images": list(self.images),
            "people": list(self.people),
            "slide": self.slide,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        return cls(
            file=data["file"],
            title=data["title"],
            headings=tuple(data["headings"]),
            start=data["start"],
            end=data["end"],
            text=data["text"],
            speaker=data["speaker"],
            affiliation=data["affiliation"],
            time=data["time"],
            images=tuple(data["images"]),
            people=tuple(data.get("people", ())),
            slide=data.get("slide"),
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with the evidence behind its rank.

    `score` is the fused score that orders hits, `dense` the cosine similarity with the first encoder
    (e5), `dense2` with the second (USE; None without one), `keyword` the BM25 score (None when BM25 did
    not find the chunk), `agreement` how many retrievers rank the chunk among their top 3 of all the
    notes, `relevance` how strongly the chunk answers the question (rank score over all the notes plus
    rare-word coverage, see rag.fusion; compared to Settings.min_relevance to abstain).
    """

    chunk: Chunk
    score: float
    dense: float | None = None
    keyword: float | None = None
    index: int = -1
    relevance: float = 0.0
    dense2: float | None = None
    agreement: int = 0


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the `[n]` markers in `Answer.text` point here."""

    n: int
    chunk: Chunk
    snippet: str
    score: float

    def to_dict(self) -> dict:
        c = self.chunk
        return {
            "n": self.n,
            "file": c.file,
            "title": c.title,
            "section": c.section,
            "speaker": c.speaker,
            "affiliation": c.affiliation,
            "lines": [c.start, c.end],
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "slide": c.slide,
        }


@dataclass(frozen=True)
class Query:
    """How a question was understood: who it names and what it is about.

    In a conversation, `carried_over` is True when the speaker (or the topic) comes from the previous
    turn rather than from the question itself, and `rewritten` is the standalone question a language
    model made of a follow-up, when one did.
    """

    text: str
    topic: str
    speaker: str | None = None
    unknown_person: str | None = None
    language: str = "en"
    # A person the notes mention but give no section to: only sections naming them can answer.
    mentioned: str | None = None
    # The question asks for the whole talk (or note) rather than a topic: "王井东的报告讲了什么".
    overview: bool = False
    carried_over: bool = False
    rewritten: str | None = None
    # A term the question names (a product, a project: "Zotero", "Kubernetes") that no note contains in any
    # form: the notes cannot answer, whatever else of the question they share.
    unknown_term: str | None = None
    # What kind of fact the question asks for when the answer must contain one ("price", "date", "headcount"): see
    # rag.question_kinds.answer_type.
    asks_for: str | None = None

    @property
    def named_nowhere(self) -> str | None:
        """The person or term the question names that no note has: the notes cannot answer it."""
        return self.unknown_person or self.unknown_term


@dataclass(frozen=True)
class Answer:
    """A cited answer, or an abstention that still lists the closest sections.

    A generated answer (`generated`) cites only evidence its `[n]` markers point at; `unsupported` holds
    its sentences that cite nothing. `notice` is a one-line message for the user, e.g. why the language
    model's answer was replaced by the extractive one.
    """

    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    query: Query
    hits: tuple[Hit, ...] = field(default=(), repr=False)
    notice: str | None = None
    unsupported: tuple[str, ...] = ()
    generated: bool = False

    def to_dict(self) -> dict:
        data = {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.generated:
            data["generated"] = True
            data["unsupported"] = list(self.unsupported)
        if self.notice:
            data["notice"] = self.notice
        return data
