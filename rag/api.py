"""The public verbs: build an index from a notes folder, open it, ask and search."""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from . import store
from .answer import compose, covering_hits
from .config import Settings
from .corpus import NoteFile, Skipped, read_notes
from .errors import IndexCorrupt, IndexNotFound, ModelUnavailable, NotesError, RagError
from .fusion import RANKERS
from .generate import llm_configured, stream_answer
from .glossary import SortedGlossary, load_glossary, pinyin_spellings
from .mentions import Mentions
from .notes import Note, parse_note
from .overview import compose_overview
from .query import analyze, is_overview, language_of
from .retrieve import Retriever
from .slides import CACHE_FOLDER, SlideReport, images_unchanged, read_slides
from .text import Tokenizer
from .types import Answer, Chunk, Hit, Query

MAX_QUESTION_CHARS = 1000
# Bump when what is embedded or keyword-indexed changes (the parser, Chunk.search_text, the tokenizer): old
# indexes rebuild.
TEXT_VERSION = 9
CONSIDERED_HITS = 10
OVERVIEW_CHUNKS = 200  # a talk overview reads the talk's chunks in order, up to this many
EMBED_SLICE = 32 * 128  # chunks embedded per call: whole batches, a few MB of vectors at a time
# Retrieval modes: which retrievers rank (see rag.fusion.RANKERS); any "+"-joined set of them also works,
# e.g. "dense+keyword" (no second encoder) or "dense2+keyword" (no first).
MODES = {"hybrid": RANKERS, "dense": ("dense", "dense2"), "keyword": ("keyword",)}
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]")


class InvalidQuestion(RagError):
    """The question is empty or too long to be a question."""


class Embedder(Protocol):
    """What the index needs of an embedding model (see rag.embed; tests use a small fake)."""

    model_id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(
        self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def load_model(settings: Settings, model: str | None = None) -> Embedder:
    """The configured embedding model (imports torch only when called)."""
    from .embed import load_embedder

    cache = Path(settings.cache_dir) if settings.cache_dir else None
    return load_embedder(model or settings.model, cache_dir=cache)


@lru_cache(maxsize=2)
def load_second_model(model: str) -> Embedder:
    """The second encoder (numpy only, loads in ~1 s; shared, it is thread-safe).

    Raises:
        ModelUnavailable: the model is unknown or its package is missing.
    """
    from .embed_use import USE_MODEL, UseEmbedder

    if model != USE_MODEL:
        raise ModelUnavailable(f'unknown second encoder {model!r}: the one known is {USE_MODEL}; or set it to ""')
    return UseEmbedder()


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, what changed since the previous index, what was skipped, timings."""

    index: Path
    notes: int
    chunks: int
    speakers: int
    embedded: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    rebuilt_because: str | None = None
    up_to_date: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    slides: SlideReport = field(default_factory=SlideReport)


def build_index(
    notes_dir: str | Path = "data",
    index_dir: str | Path = "index",
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
    slide_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Index a folder of Markdown notes; only notes whose content changed are embedded again.

    Args:
        notes_dir: folder of notes (searched recursively for *.md). Defaults to "data".
        index_dir: where the index is written. Defaults to "index".
        settings: model and chunking settings. Defaults to Settings().
        embedder: a loaded model; loaded from settings when None and something needs embedding.
        full: rebuild everything even when the previous index could be reused. Defaults to False.
        progress: called as progress(done, total) while chunks are embedded.
        slide_progress: called as slide_progress(done, total) while slide images are read by OCR
            (only with settings.images_root; results are cached by image hash in INDEX/slides/).

    Raises:
        NotesError: the folder is missing or no note in it could be indexed.
        ModelUnavailable: the model cannot be loaded offline.
        RagError: the index folder cannot be written (the previous index stays as it was).
    """
    settings = settings or Settings()
    started = time.perf_counter()
    files, skipped = read_notes(Path(notes_dir))
    unchanged = None if full else _unchanged_manifest(Path(index_dir), settings, files)
    if unchanged is not None:
        # Same bytes, same settings: nothing to parse or embed (what keeps a no-change reindex fast).
        store.remove_stale(Path(index_dir), keep={unchanged["generation"]})  # what killed builds left
        return BuildReport(
            index=Path(index_dir),
            notes=len(files),
            chunks=unchanged["chunks"],
            speakers=unchanged.get("speakers", 0),
            embedded=0,
            skipped=tuple(skipped),
            up_to_date=True,
            seconds={"total": time.perf_counter() - started},
        )
    notes: list[tuple[NoteFile, Note]] = []
    warnings: list[str] = []
    for file in files:
        note = parse_note(file.text, file.path, settings.chunk_chars)
        warnings.extend(f"{file.path}: {w}" for w in (*file.warnings, *note.warnings))
        if note.chunks:
            notes.append((file, note))
        else:
            skipped.append(Skipped(file.path, "no text or headings to index"))
    if not notes:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
        raise NotesError(f"no note in {notes_dir} could be indexed" + (f" ({reasons})" if reasons else ""))
    store.check_writable(Path(index_dir))  # before minutes of OCR and embedding, not after
    parsed = time.perf_counter()
    chunks, slides = read_slides(
        [chunk for _, note in notes for chunk in note.chunks],
        Path(notes_dir),
        Path(settings.images_root) if settings.images_root else None,
        Path(index_dir) / CACHE_FOLDER,
        settings.chunk_chars,
        slide_progress,
    )
    slides_read = time.perf_counter()

    file_hashes = {file.path: file.sha256 for file, _ in notes}
    previous, rebuilt_because = (None, "--full") if full else _previous(Path(index_dir), settings)
    old_hashes = previous.manifest["files"] if previous else _previous_files(Path(index_dir))
    added = tuple(p for p in file_hashes if p not in old_hashes)
    changed = tuple(p for p in file_hashes if p in old_hashes and old_hashes[p] != file_hashes[p])
    removed = tuple(p for p in old_hashes if p not in file_hashes)
    speakers = len({c.speaker for c in chunks if c.speaker})
    report = BuildReport(
        index=Path(index_dir),
        notes=len(notes),
        chunks=len(chunks),
        speakers=speakers,
        embedded=0,
        added=added,
        changed=changed,
        removed=removed,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        rebuilt_because=rebuilt_because,
        slides=slides,
    )
    second = settings.second_model or None
    same_encoders = previous is not None and list(previous.extra_vectors) == ([second] if second else [])
    if previous and not (added or changed or removed) and previous.chunks == chunks and same_encoders:
        store.remove_stale(Path(index_dir), keep={previous.manifest["generation"]})  # what killed builds left
        return replace(report, up_to_date=True, seconds={"total": time.perf_counter() - started})

    reusable = _reusable_vectors(previous, file_hashes)
    reusable_second = _reusable_vectors(previous, file_hashes, second) if second else {}
    missing = [i for i, c in enumerate(chunks) if _key(c) not in reusable]
    missing_second = [i for i, c in enumerate(chunks) if _key(c) not in reusable_second] if second else []
    model_id = previous.manifest["model"] if previous else settings.model
    previous = None  # free the old index (its vectors, BM25 and chunks) before this one is built
    done, total = 0, len(missing) + len(missing_second)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if missing:
        embedder = embedder or load_model(settings)
        model_id = embedder.model_id
    vectors = _vectors(chunks, embedder, missing, reusable, advance)
    extra: dict[str, np.ndarray] = {}
    if second:
        second_embedder = load_second_model(second) if missing_second else None
        extra[second] = _vectors(chunks, second_embedder, missing_second, reusable_second, advance)
    del reusable, reusable_second
    embedded = time.perf_counter()

    tokenizer = Tokenizer(user_words(chunks))
    # Interned: a word occurs thousands of times, and one string each would take ~300 MB at 100k chunks.
    tokens = [[sys.intern(t) for t in tokenizer.tokens(c.search_text)] for c in chunks]
    manifest = {
        "model": model_id,
        "dim": int(vectors.shape[1]),
        "chunk_chars": settings.chunk_chars,
        "text_version": TEXT_VERSION,
        "speakers": speakers,
        "files": file_hashes,
        "images": _images_record(settings, slides),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    store.write_index(Path(index_dir), chunks, vectors, tokens, manifest, extra)
    pinyin_spellings({t for chunk_tokens in tokens for t in chunk_tokens})  # cached now, not at the first question
    written = time.perf_counter()
    return replace(
        report,
        embedded=max(len(missing), len(missing_second)),
        seconds={
            "parse": parsed - started,
            "read slides": slides_read - parsed,
            "embed": embedded - slides_read,
            "write": written - embedded,
            "total": written - started,
        },
    )


def _previous(index_dir: Path, settings: Settings) -> tuple[store.StoredIndex | None, str | None]:
    """The previous index when its vectors can be reused, else (None, why everything is rebuilt)."""
    try:
        manifest = store.read_manifest(index_dir)
    except IndexNotFound:
        return None, None
    except IndexCorrupt:
        return None, "previous index unreadable"
    if manifest.get("model") != settings.model:
        return None, f"model changed ({manifest.get('model')} → {settings.model})"
    if manifest.get("text_version") != TEXT_VERSION:
        return None, "indexing rules changed since the previous index"
    if manifest.get("chunk_chars") != settings.chunk_chars:
        return None, f"chunk size changed ({manifest.get('chunk_chars')} → {settings.chunk_chars})"
    try:
        return store.read_index(index_dir), None
    except RagError:
        return None, "previous index damaged"


def _unchanged_manifest(index_dir: Path, settings: Settings, files: list[NoteFile]) -> dict | None:
    """The current manifest when it was built from exactly these note bytes with these settings and its
    files are intact, else None (and the full path decides what to rebuild, and says why)."""
    try:
        manifest = store.verified_manifest(index_dir)
    except RagError:
        return None
    same_settings = (manifest.get("model"), manifest.get("text_version"), manifest.get("chunk_chars")) == (
        settings.model,
        TEXT_VERSION,
        settings.chunk_chars,
    ) and [e["model"] for e in store.extra_encoders(manifest)] == [m for m in (settings.second_model,) if m]
    if not same_settings or manifest["files"] != {f.path: f.sha256 for f in files}:
        return None
    # The slides too: the same images root, and every image it read (or found missing) as it was.
    recorded = manifest.get("images") or {"root": None, "identities": {}}
    if recorded["root"] != _images_root(settings) or not images_unchanged(recorded["identities"]):
        return None
    return manifest


def _images_root(settings: Settings) -> str | None:
    return str(Path(settings.images_root).resolve()) if settings.images_root else None


def _images_record(settings: Settings, slides: SlideReport) -> dict:
    """What the no-change fast path compares: the images root and each image's size and mtime."""
    return {"root": _images_root(settings), "identities": slides.images}


def _previous_files(index_dir: Path) -> dict[str, str]:
    """Hashes of the notes the previous index was built from, so a full rebuild still reports what changed."""
    try:
        return store.read_manifest(index_dir)["files"]
    except RagError:
        return {}


def _key(chunk: Chunk) -> tuple[str, str]:
    return (chunk.file, chunk.search_text)


def _vectors(
    chunks: list[Chunk],
    embedder: Embedder | None,
    missing: list[int],
    reusable: dict[tuple[str, str], np.ndarray],
    advance: Callable[[int], None],
) -> np.ndarray:
    """One encoder's vectors of every chunk: the missing ones embedded, the others reused."""
    vectors = np.zeros((len(chunks), 0), dtype=np.float32)
    if missing and embedder is not None:
        # By length, so each batch of 32 holds texts of about one length: a batch is padded to its longest
        # text, and sorting embeds 2.3x faster (the vectors differ by < 1e-7). Longest first: growing
        # batches fragment memory (peak RSS 1.8 GB instead of 1.3 GB after 2,560 chunks). In slices written
        # into place, so the texts and vectors of 100k chunks are not held twice (~300 MB).
        by_length = sorted(missing, key=lambda i: len(chunks[i].search_text), reverse=True)
        for start in range(0, len(by_length), EMBED_SLICE):
            part = by_length[start : start + EMBED_SLICE]
            fresh = embedder.encode_passages([chunks[i].search_text for i in part], progress=advance)
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(chunks), fresh.shape[1]), dtype=np.float32)
            vectors[part] = fresh
    if reusable:
        dim = next(iter(reusable.values())).shape[0]
        if vectors.shape[1] == 0:
            vectors = np.zeros((len(chunks), dim), dtype=np.float32)
        for i, chunk in enumerate(chunks):
            if _key(chunk) in reusable:
                vectors[i] = reusable[_key(chunk)]
    return vectors


def _reusable_vectors(
    previous: store.StoredIndex | None, file_hashes: dict[str, str], model: str | None = None
) -> dict[tuple[str, str], np.ndarray]:
    """Vectors of chunks from notes whose bytes did not change, keyed by what was embedded: the first
    encoder's, or those of the further encoder `model` (none when the previous index lacks it)."""
    if previous is None or (model is not None and model not in previous.extra_vectors):
        return {}
    unchanged = {p for p, h in previous.manifest["files"].items() if file_hashes.get(p) == h}
    vectors = store.stored_vectors(previous.vectors if model is None else previous.extra_vectors[model])
    return {_key(c): vectors[i] for i, c in enumerate(previous.chunks) if c.file in unchanged}


def user_words(chunks: list[Chunk]) -> set[str]:
    """Speaker names and Latin terms of headings, kept whole by the tokenizer ("冯佳时", "GOLD-NAS")."""
    words = {c.speaker for c in chunks if c.speaker}
    for heading in {h for c in chunks for h in c.headings}:
        words.update(_LATIN_TERM.findall(heading))
    return words


def final_answer(events: Iterator[str | Answer]) -> Answer:
    """Consume an answer stream (text pieces, then the Answer) and return the Answer."""
    answers = [event for event in events if isinstance(event, Answer)]
    if not answers:
        raise RuntimeError("an answer stream ended without its Answer")
    return answers[-1]


class Index:
    """An opened index: ask questions and search it. Thread-safe; the model loads on first use."""

    def __init__(self, stored: store.StoredIndex, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.manifest = stored.manifest
        self.path = stored.path
        self.chunks = stored.chunks
        self.tokenizer = Tokenizer(user_words(self.chunks))
        second = settings.second_model or None
        second_vectors = stored.extra_vectors.get(second) if second else None
        # An index built before the second encoder (or with another) still answers, with the first alone.
        self.warnings: tuple[str, ...] = ()
        if second and second_vectors is None:
            self.warnings = (
                f"this index was built without the second encoder {second}: answers use the first alone; "
                "run `rag index` to add it (the first encoder's vectors are reused)",
            )
        self.retriever = Retriever(
            self.chunks,
            stored.vectors,
            stored.bm25,
            self.tokenizer,
            settings.candidates,
            settings.rrf_k,
            second_vectors,
        )
        self._second_model = second if second_vectors is not None else None
        self.speakers = sorted({name for c in self.chunks for name in (c.speaker, *c.people) if name})
        # Talk headings with sections under them: the heading alone is no answer to a question about a topic.
        self._parents = {(c.file, c.headings[:i]) for c in self.chunks for i in range(1, len(c.headings))}
        self._mentions: Mentions | None = None
        self._pinyin: dict[str, list[str]] | None = None
        self.notes = sorted({(c.file, c.title) for c in self.chunks})
        # Words of the notes, so "模型压缩讲了什么" is not taken for a person: BM25 already has them.
        self._vocabulary = frozenset(stored.bm25.vocab_dict)
        self._embedder = embedder
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def glossary(self) -> SortedGlossary:
        """Chinese ↔ English glosses; read on first use (~10 ms once cached), shared by every index in the process."""
        return load_glossary()

    def _translate(self, token: str) -> tuple[str, ...]:
        """A topic word in the other language: its glosses, or for a Latin word the notes never use, the
        notes' Chinese words it spells in pinyin ("wandoujia" → 豌豆荚)."""
        glosses = self.glossary.translate(token)
        if glosses or token in self._vocabulary or not (token.isascii() and token.isalpha() and len(token) >= 4):
            return glosses
        with self._lock:
            if self._pinyin is None:
                self._pinyin = pinyin_spellings(self._vocabulary)
        return tuple(self._pinyin.get(token, ()))

    @property
    def mentions(self) -> Mentions:
        """Where the notes name people; built on the first question that names someone who gives no talk."""
        with self._lock:
            if self._mentions is None:
                self._mentions = Mentions(self.chunks)
            return self._mentions

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = load_model(self.settings, self.manifest["model"])
            return self._embedder

    @property
    def second_embedder(self) -> Embedder | None:
        """The second encoder, when the index has its vectors (loads in ~1 s on first use)."""
        return load_second_model(self._second_model) if self._second_model else None

    def is_current(self) -> bool:
        """False once a reindex made another generation current in the index folder (cheap: reads the
        pointer and the manifest), so a long-running app can reopen it. True when the folder holds no
        readable index at the moment: there is nothing newer to switch to."""
        try:
            return store.read_manifest(self.path.parent)["generation"] == self.manifest["generation"]
        except RagError:
            return True

    def understand(self, question: str, speaker: str | None = None) -> Query:
        """How a question is read: the speaker it names (or the speaker filter) and its topic.

        Raises:
            InvalidQuestion: the question is empty or longer than 1000 characters.
        """
        question = " ".join(question.split())
        if not question:
            raise InvalidQuestion("please type a question about the notes")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidQuestion(f"questions are limited to {MAX_QUESTION_CHARS} characters; please shorten it")
        query = analyze(question, self.speakers, self._vocabulary, lambda name: self.mentions.find(name))
        if speaker and query.speaker is None:
            query = replace(query, speaker=speaker, unknown_person=None, overview=is_overview(query.topic))
        return query

    def search(
        self,
        question: str,
        k: int | None = None,
        speaker: str | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        analyze_query: bool = True,
    ) -> list[Hit]:
        """The k chunks that best match a question, best first.

        Args:
            question: the question, in any language the model knows.
            k: how many hits. Defaults to settings.k (5).
            speaker: keep only this speaker's chunks. Defaults to the speaker the question names.
            note: keep only this note (file path or title).
            mode: "hybrid" (both encoders + BM25), "dense" (both encoders), "keyword" (BM25), or a
                "+"-joined set of "dense", "dense2", "keyword". Defaults to "hybrid".
            analyze_query: find a named speaker and restrict to their talk. Defaults to True.
        """
        return self._hits(self._query(question, speaker, analyze_query), k or self.settings.k, note, mode)[0]

    def _query(self, question: str, speaker: str | None, analyze_query: bool) -> Query:
        """understand(), or for the no-analysis baseline the question as it is (only its language read)."""
        if analyze_query:
            return self.understand(question, speaker)
        return Query(question, question, language=language_of(question))

    def ask(
        self,
        question: str,
        k: int | None = None,
        speaker: str | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        analyze_query: bool = True,
        generate: bool = False,
    ) -> Answer:
        """A short extractive answer whose every sentence cites its source, or an abstention.

        Arguments as for search(); k bounds the number of hits considered for the answer. With
        generate=True and a language model configured (settings.llm_base_url and llm_model), the answer
        is generated from the same sources and checked (see ask_stream()). Defaults to False.
        """
        return self.answer(self._query(question, speaker, analyze_query), k, note, mode, generate=generate)

    def ask_stream(
        self,
        question: str,
        k: int | None = None,
        speaker: str | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        analyze_query: bool = True,
        generate: bool = True,
    ) -> Iterator[str | Answer]:
        """Stream an answer: the language model's text pieces as they come, then the final Answer.

        The final Answer is always last and is what counts: a generated answer whose `[n]` markers were
        checked against the sources (markers pointing nowhere removed, sentences citing nothing listed
        in `unsupported`, only cited sources in `citations`), or, when no model is configured, the
        question must be abstained from, or the model fails, the extractive answer (with a one-line
        `notice` saying why the model's text was dropped). The model is not asked when the extractive
        answer abstains.

        Arguments as for ask(); generate=False streams only the extractive answer.

        Raises:
            InvalidQuestion: at once, before the stream starts.
        """
        return self.answer_stream(self._query(question, speaker, analyze_query), k, note, mode, generate=generate)

    def answer(
        self,
        query: Query,
        k: int | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        generate: bool = False,
        seen: Collection[Chunk] = (),
    ) -> Answer:
        """ask() for an already understood question (a Conversation resolves follow-ups into one).

        `seen` are sections cited earlier in a conversation: they are left out when others cover the
        question ("what else did he say?").
        """
        return final_answer(self.answer_stream(query, k, note, mode, generate, seen))

    def answer_stream(
        self,
        query: Query,
        k: int | None = None,
        note: str | None = None,
        mode: str = "hybrid",
        generate: bool = True,
        seen: Collection[Chunk] = (),
    ) -> Iterator[str | Answer]:
        """ask_stream() for an already understood question; arguments as for answer()."""
        k = k or self.settings.k
        considered = max(k, CONSIDERED_HITS)
        if note and not (query.speaker or query.mentioned or query.unknown_person) and is_overview(query.topic):
            query = replace(query, overview=True)  # a note filter and no topic: the note itself
        hits, topic_tokens = self._hits(query, considered + len(seen), note, mode)
        tokenize, min_relevance = self.tokenizer.tokens, self.settings.min_relevance
        if query.overview:
            fresh = [hit for hit in hits if hit.chunk not in seen]
            yield compose_overview(query, fresh or hits)
            return
        if query.speaker and topic_tokens:
            hits = [hit for hit in hits if not self._is_talk_heading(hit.chunk)]
        if seen:
            fresh = [hit for hit in hits if hit.chunk not in seen]
            if covering_hits(query, fresh, topic_tokens, tokenize, min_relevance):
                hits = fresh
        hits = hits[:considered]
        # Sentences are picked by the topic's words and their translations: a cross-lingual question's
        # words are not in the sentences that answer it.
        answer_words = [*topic_tokens, *(t for w in topic_tokens for t in self._translate(w) if t not in topic_tokens)]
        extractive = compose(query, hits, answer_words, tokenize, min_relevance, k)
        if not generate or extractive.abstained or not llm_configured(self.settings):
            yield extractive
            return
        evidence = covering_hits(query, hits, answer_words, tokenize, min_relevance)[:k]
        yield from stream_answer(self.settings, query, evidence, extractive, answer_words, tokenize)

    def _is_talk_heading(self, chunk: Chunk) -> bool:
        """A talk's own heading with nothing but its title and slides-less: its sections hold the talk."""
        return not chunk.images and chunk.text in chunk.headings and (chunk.file, chunk.headings) in self._parents

    def _hits(self, query: Query, k: int, note: str | None, mode: str) -> tuple[list[Hit], list[str]]:
        topic_tokens = self.tokenizer.tokens(query.topic)
        mask = self.retriever.mask(query.speaker, note)
        if query.mentioned:
            named = self.mentions.mask(query.mentioned)
            mask = named if mask is None else mask & named
        rankers = _rankers(mode)
        embedder, second_embedder = self.embedder, self.second_embedder
        text = query.topic if topic_tokens else query.text
        with self._encode_lock:
            # Both vectors even when a mode ranks without them: every hit shows each encoder's cosine.
            vector = embedder.encode_queries([text])[0]
            second_vector = second_embedder.encode_queries([text])[0] if second_embedder else None
        if mask is not None and (query.overview or (query.speaker and not topic_tokens)):
            # "What did 冯佳时 say?": the talk itself, in note order.
            ids = np.flatnonzero(mask)
            k = max(k, OVERVIEW_CHUNKS)
            return [self.retriever.hit(i, 1.0 / (n + 1), vector, second_vector) for n, i in enumerate(ids[:k])], []
        translations = {t: self._translate(t) for t in topic_tokens}
        hits = self.retriever.search(vector, topic_tokens, k, mask, rankers, translations, second_vector)
        return hits, topic_tokens


def _rankers(mode: str) -> tuple[str, ...]:
    """The retrievers a mode names: "hybrid", "dense", "keyword" or a "+"-joined set of RANKERS."""
    rankers = MODES.get(mode) or tuple(mode.split("+"))
    if not set(rankers) <= set(RANKERS):
        raise ValueError(f"mode must be one of {', '.join(MODES)} or a '+'-joined set of {', '.join(RANKERS)}")
    return rankers


def open_index(
    index_dir: str | Path = "index", settings: Settings | None = None, embedder: Embedder | None = None
) -> Index:
    """Open a built index for questions.

    Args:
        index_dir: the folder `rag index` wrote. Defaults to "index".
        settings: retrieval settings (k, thresholds). Defaults to Settings().
        embedder: a loaded model to share; by default the model recorded in the index loads on first use.

    Raises:
        IndexNotFound: no index there (run `rag index`).
        IndexCorrupt: the index is damaged (run `rag index --full`).
    """
    return Index(store.read_index(Path(index_dir)), settings or Settings(), embedder)
