"""An opened index: understanding a question, searching, and composing the cited answer."""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from . import models, store
from .answer import compose, covering_hits, hit_scores, is_talk_overview, no_talk, nothing_more, outside_note
from .config import Settings
from .errors import RagError
from .fusion import CROSS_LANGUAGE_TALK, RANKERS, terms_found, word_groups
from .generate import llm_configured, stream_answer
from .mentions import Mentions
from .models import Embedder
from .name_forms import name_parts
from .overview import compose_overview, event_texts
from .query import analyze, language_of
from .question_kinds import answer_type, asks_who, is_overview, talk_asked
from .retrieve import Retriever
from .text import Tokenizer, mostly_chinese, normalize_text
from .types import Answer, Chunk, Hit, Query
from .vocabulary import Vocabulary
from .writer import WRITER, own_talk_topic

MAX_QUESTION_CHARS = 1000
CONSIDERED_HITS = 10
OVERVIEW_CHUNKS = 200  # a talk overview reads the talk's chunks in order, up to this many
# Retrieval modes: which retrievers rank (see rag.fusion.RANKERS); any "+"-joined set of them also works,
# e.g. "dense+keyword" (no second encoder) or "dense2+keyword" (no first).
MODES = {"hybrid": RANKERS, "dense": ("dense", "dense2"), "keyword": ("keyword",)}
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]")


class InvalidQuestion(RagError):
    """The question is empty or too long to be a question."""


def user_words(chunks: list[Chunk]) -> set[str]:
    """Speaker names (each part of "李秉骏 Cash Lee") and Latin terms of headings, kept whole by the tokenizer
    ("冯佳时", "GOLD-NAS")."""
    words = {part for c in chunks if c.speaker for part in name_parts(c.speaker)}
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
        # "the writer" is named only as rag.writer reads it: "why did the writer like it" asks of someone else's talk.
        self._named_speakers = [name for name in self.speakers if name != WRITER]
        # Talk headings with sections under them: the heading alone is no answer to a question about a topic.
        self._parents = {(c.file, c.headings[:i]) for c in self.chunks for i in range(1, len(c.headings))}
        self._mentions: Mentions | None = None
        self._event_words: dict[str, frozenset[str]] = {}
        self._note_texts: dict[str, str] = {}
        self._titles: str | None = None  # every note's title, normalized, a line each (made on first use)
        self._last_encoded: tuple[str | None, tuple[np.ndarray, np.ndarray | None]] = (None, (np.zeros(0), None))
        self.notes = sorted({(c.file, c.title) for c in self.chunks})
        # Words of the notes, so "模型压缩讲了什么" is not taken for a person: BM25 already has them.
        self.vocabulary = Vocabulary(stored.bm25.vocab_dict)
        self._embedder = embedder
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def mentions(self) -> Mentions:
        """Where the notes name people; built on the first question that names someone who gives no talk."""
        with self._lock:
            if self._mentions is None:
                self._mentions = Mentions(self.chunks, self.vocabulary.spelled)
            return self._mentions

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = models.load_model(self.settings, self.manifest["model"])
            return self._embedder

    @property
    def second_embedder(self) -> Embedder | None:
        """The second encoder, when the index has its vectors (loads in ~1 s on first use)."""
        return models.load_second_model(self._second_model) if self._second_model else None

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
        query = analyze(question, self._named_speakers, self.vocabulary.words, lambda name: self.mentions.find(name))
        if speaker and query.speaker is None:
            query = replace(query, speaker=speaker, unknown_person=None, overview=is_overview(query.topic))
        if WRITER in self.speakers and query.speaker is None and (own := own_talk_topic(question)) is not None:
            query = replace(
                query, topic=own, speaker=WRITER, mentioned=None, unknown_person=None, overview=is_overview(own)
            )
        if (query.speaker or query.mentioned) and not query.overview:
            known = partial(self.vocabulary.knows, tokenize=self.tokenizer.tokens)
            query = replace(query, overview=talk_asked(query.topic, known))  # "what did X talk about at PyCon?"
        if not query.overview:
            query = replace(query, unknown_term=self.vocabulary.unknown_term(query.topic, self.tokenizer.tokens))
            query = replace(query, asks_for=answer_type(question))
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
        excluded = self._talk_outside(query.speaker, note)
        if excluded:
            yield outside_note(query, self._note_title(note or ""), excluded)
            return
        hits, topic_tokens, translations = self._hits(query, considered + len(seen), note, mode)
        tokenize, min_relevance = self.tokenizer.tokens, self.settings.min_relevance
        gave_no_talk = query.mentioned and not query.speaker and not self.mentions.gave_talk(query.mentioned)
        if query.overview and gave_no_talk and not asks_who(query.text):
            yield no_talk(query, hits, tokenize, min_relevance)
            return
        if query.overview:
            fresh = [hit for hit in hits if hit.chunk not in seen]
            yield compose_overview(query, fresh) if fresh or not hits else nothing_more(query, hits)
            return
        if query.speaker and topic_tokens and not covering_hits(query, hits, topic_tokens, tokenize, min_relevance):
            # "Why does Jane Roe think…": what she said may sit in another's part of a panel, naming her.
            hits = self._hits(query, considered + len(seen), note, mode, naming_speaker=True)[0]
        if query.speaker and topic_tokens:
            hits = [hit for hit in hits if not self._is_talk_heading(hit.chunk)]
        if seen:
            fresh = [hit for hit in hits if hit.chunk not in seen]
            if covering_hits(query, fresh, topic_tokens, tokenize, min_relevance):
                hits = fresh
            elif covering_hits(query, hits, topic_tokens, tokenize, min_relevance):
                yield nothing_more(query, hits[:considered])  # all that answers was cited in earlier turns
                return
        hits = hits[:considered]
        # Sentences are picked by the topic's words and their translations: a cross-lingual question's
        # words are not in the sentences that answer it.
        answer_words = [
            *topic_tokens,
            *(t for w in topic_tokens for t in translations.get(w, ()) if t not in topic_tokens),
        ]
        extractive = compose(query, hits, answer_words, tokenize, min_relevance, k)
        if not generate or extractive.abstained or not llm_configured(self.settings):
            yield extractive
            return
        evidence = covering_hits(query, hits, answer_words, tokenize, min_relevance)[:k]
        yield from stream_answer(self.settings, query, evidence, extractive, answer_words, tokenize)

    def scores(self, answer: Answer) -> list[float]:
        """The score of each hit an answer considered, as a citation of it shows it (0–1, 0.5 at the
        abstention threshold; 1 for the sections of a talk asked for)."""
        topic_tokens = self._topic_tokens(answer.query)
        return hit_scores(answer.query, list(answer.hits), topic_tokens, self.settings.min_relevance)

    def _topic_tokens(self, query: Query) -> list[str]:
        """The topic's words; none for a speaker's talk when they only name the event around it (or translate
        its words): "what did Jane present at the ECCV pre-conference?" asks for the talk itself."""
        topic_tokens = self.tokenizer.tokens(query.topic)
        placing = self._placing_words(query.speaker, topic_tokens)
        # Only a topic that does no more than place the talk asks for the talk: else the words may be in it too.
        return [] if placing and placing.issuperset(topic_tokens) else topic_tokens

    def _placing_words(self, speaker: str | None, topic_tokens: list[str]) -> set[str]:
        """The topic's words that name the event around the speaker's talk, as written or translated
        ("pre-conference" with its "conference" for "ECCV2022 预会议")."""
        if not (speaker and topic_tokens):
            return set()
        with self._lock:
            if speaker not in self._event_words:
                talk = self.retriever.mask(speaker)
                texts = event_texts(self.chunks, np.flatnonzero(talk)) if talk is not None else set()
                words = self.tokenizer.tokens(" ".join(texts))
                # "ECCV2022" is the ECCV of 2022: a question says "ECCV".
                words += [m.group() for w in words if (m := re.match(r"[a-z]{2,}(?=\d)", w))]
                self._event_words[speaker] = frozenset(words)
            event = self._event_words[speaker]
        translations = self.vocabulary.translations(topic_tokens)
        placing: set[str] = set()
        for forms, parts in word_groups(topic_tokens):
            if any(w in event or event.intersection(translations.get(w, ())) for w in (*forms, *parts)):
                placing.update((*forms, *parts))
        return placing

    def _talk_outside(self, speaker: str | None, note: str | None) -> list[str]:
        """The titles of the notes holding a speaker's talk when the note filter leaves all of it out, else []."""
        mask = self.retriever.mask(speaker, note) if speaker and note else None
        if mask is None or mask.any():
            return []
        return sorted({c.title or c.file for c in self.chunks if speaker in (c.speaker, *c.people)})

    def _asked_events(self, topic: str) -> list[tuple[str, ...]]:
        """The proper terms a question names that some note's title carries ("LeadDev" of "LeadDev London 2022
        (Day 1)"): the event or subject a note is about, which a section of another note does not answer for.
        A term no title has ("JavaScript" in notes writing JS) judges no section."""
        asked = self.vocabulary.asked_terms(topic, self.tokenizer.tokens)
        if not asked:
            return []
        with self._lock:
            if self._titles is None:
                self._titles = "\n".join(normalize_text(title) for _, title in self.notes if title)
        return [forms for forms in asked if any(form in self._titles for form in forms)]

    def _note_text(self, file: str) -> str:
        """A note's whole searchable text, normalized (every note's made on first use, in one pass)."""
        with self._lock:
            if not self._note_texts:
                texts: dict[str, list[str]] = {}
                for chunk in self.chunks:
                    texts.setdefault(chunk.file, []).append(chunk.search_text)
                self._note_texts = {f: normalize_text("\n".join(parts)) for f, parts in texts.items()}
            return self._note_texts.get(file, "")

    def _note_title(self, note: str) -> str:
        """A note filter (a file or a title) as its title."""
        return next((title for file, title in self.notes if note in (file, title) and title), note)

    def _is_talk_heading(self, chunk: Chunk) -> bool:
        """A talk's own heading with nothing but its title and slides-less: its sections hold the talk."""
        return not chunk.images and chunk.text in chunk.headings and (chunk.file, chunk.headings) in self._parents

    def _encode(self, text: str) -> tuple[np.ndarray, np.ndarray | None]:
        """The text's vector by each encoder; the last text's are kept, for a second search of one question."""
        embedder, second_embedder = self.embedder, self.second_embedder
        with self._encode_lock:
            if self._last_encoded[0] != text:
                # Both vectors even when a mode ranks without them: every hit shows each encoder's cosine.
                vector = embedder.encode_queries([text])[0]
                second_vector = second_embedder.encode_queries([text])[0] if second_embedder else None
                self._last_encoded = (text, (vector, second_vector))
            return self._last_encoded[1]

    def _hits(
        self, query: Query, k: int, note: str | None, mode: str, naming_speaker: bool = False
    ) -> tuple[list[Hit], list[str], dict[str, tuple[str, ...]]]:
        """The hits, the topic's words, and their translations (none for a talk overview); with
        `naming_speaker`, among the speaker's sections and those whose text names them."""
        topic_tokens = self._topic_tokens(query)
        mask = self.retriever.mask(query.speaker, note)
        if naming_speaker and query.speaker and mask is not None:
            in_note = self.retriever.mask(None, note)
            named = mask | self.mentions.mask(query.speaker)
            mask = named if in_note is None else named & in_note
        if query.mentioned:
            named = self.mentions.mask(query.mentioned)
            mask = named if mask is None else mask & named
        rankers = _rankers(mode)
        vector, second_vector = self._encode(query.topic if topic_tokens else query.text)
        if mask is not None and is_talk_overview(query, topic_tokens):
            # "What did 冯佳时 say?": the talk itself, in note order; the sections they give, where a note also
            # lists them among all of its people ("Presenters: …" over "3.7 YouTube (By Jane Roe)").
            ids = np.flatnonzero(mask)
            own = [i for i in ids if self.chunks[i].speaker == query.speaker] if query.speaker else []
            ids = np.array(own) if own else ids
            k = max(k, OVERVIEW_CHUNKS)
            talk = [self.retriever.hit(i, 1.0 / (n + 1), vector, second_vector) for n, i in enumerate(ids[:k])]
            return talk, [], {}
        translations = self.vocabulary.translations(topic_tokens)
        hits = self.retriever.search(vector, topic_tokens, k, mask, rankers, translations, second_vector)
        if asked := self._asked_events(query.topic):
            # "SC25 的导师是谁": a note about another event neither answers nor ranks above one about SC25.
            found = {file: terms_found(asked, self._note_text(file)) for file in {hit.chunk.file for hit in hits}}
            hits = [replace(hit, relevance=hit.relevance * found[hit.chunk.file]) for hit in hits]
            hits.sort(key=lambda hit: -found[hit.chunk.file])
        if query.speaker:
            hits = [_across_languages(hit, query) for hit in hits]
        return hits, topic_tokens, translations


def _across_languages(hit: Hit, query: Query) -> Hit:
    """A hit of the named speaker's talk in the other language than the question's, its relevance scaled by
    CROSS_LANGUAGE_TALK (see rag.fusion)."""
    theirs = hit.chunk.speaker == query.speaker or query.speaker in hit.chunk.people
    if not theirs or mostly_chinese(hit.chunk.text) == (query.language == "zh"):
        return hit
    return replace(hit, relevance=hit.relevance * CROSS_LANGUAGE_TALK)


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
