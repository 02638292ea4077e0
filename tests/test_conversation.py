"""Follow-up questions: deterministic rules in Chinese and English, conversations over an index, and
the optional rewrite by a language model (through the scripted loopback server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeEmbedder
from llm_server import Reply, ScriptedServer

import rag
from rag import cli
from rag.conversation import Conversation, previous_speaker, resolve_followup, understood, wants_more
from rag.types import Answer, Chunk, Citation, Query

DATA = Path(__file__).resolve().parent.parent / "data"
FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)
MOBILENEXT = "3.1 MobileNeXt: Bottleneck 模块的修改"
CONVBERT = "3.2 ConvBERT: 自注意力模块的修改"


def turn(question: str, topic: str, speaker: str | None = None, cited: str | None = None, **query) -> Answer:
    """A previous turn: the question as understood, and an answer citing a section of `cited`'s talk."""
    chunk = Chunk("talks.md", "Talks", ("3. Rethinking", "3.1 MobileNeXt"), 1, 9, "Shortcuts go wide.", cited)
    language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in topic) else "en"
    return Answer(
        question,
        "…",
        False,
        (Citation(1, chunk, "Shortcuts go wide.", 0.9),),
        Query(question, topic, speaker, language=language, **query),
    )


FENG_EN = turn("what did 冯佳时 say about shortcuts", "what did say about shortcuts", "冯佳时", "冯佳时")
FENG_ZH = turn("冯佳时讲了什么？", "讲了什么？", "冯佳时", "冯佳时")


def ask(question: str, previous: Answer | None, speaker: str | None = None) -> Query:
    language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en"
    return resolve_followup(Query(question, question, speaker, language=language), previous)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what else did he say?", "did say?"),
        ("What else did she talk about?", "did talk about?"),
        ("and about ConvBERT?", "ConvBERT"),
        ("What about the latency results?", "the latency results"),
        ("and ConvBERT?", "ConvBERT"),
        ("did he mention ConvBERT?", "did mention ConvBERT?"),
        ("anything about latency?", "anything about latency?"),
        ("tell me more", ""),
        ("why is it faster?", "what did say about shortcuts why is faster?"),
    ],
)
def test_english_follow_ups_keep_the_previous_speaker(question, topic):
    query = ask(question, FENG_EN)
    assert (query.speaker, query.topic, query.carried_over) == ("冯佳时", topic, True)
    assert query.text == question and query.language == "en"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("他还讲了什么？", "了什么？"),
        ("她提到了哪些实验？", "提到了哪些实验？"),
        ("那 ConvBERT 呢？", "ConvBERT"),
        ("ConvBERT 呢", "ConvBERT"),
        ("关于 ConvBERT 呢？", "ConvBERT"),
        ("讲了 ConvBERT 吗？", "讲了 ConvBERT ？"),
        ("其他方法呢？", "方法"),
        ("还有呢？", ""),
        ("这个方法为什么更快？", "讲了什么？ 为什么更快？"),
    ],
)
def test_chinese_follow_ups_keep_the_previous_speaker(question, topic):
    query = ask(question, FENG_ZH)
    assert (query.speaker, query.topic, query.carried_over) == ("冯佳时", topic, True)
    assert query.language == "zh"


@pytest.mark.parametrize(
    "question",
    ["How does HRNet fuse resolutions?", "What is ConvBERT?", "HRNet 的多分辨率融合是怎么做的？", "介绍一下 HRNet"],
)
def test_standalone_questions_are_left_alone(question):
    for previous in (FENG_EN, FENG_ZH):
        query = Query(question, question)
        assert resolve_followup(query, previous) == query


def test_a_question_naming_a_speaker_or_an_unknown_person_stands_alone():
    named = Query("他还讲了什么 韩松", "他还讲了什么", "韩松", language="zh")
    assert resolve_followup(named, FENG_ZH) == named
    unknown = Query("what else did Geoffrey Hinton say?", "…", unknown_person="Geoffrey Hinton")
    assert resolve_followup(unknown, FENG_EN) == unknown
    first = Query("what else did he say?", "what else did he say?")
    assert resolve_followup(first, None) == first


def test_the_speaker_can_come_from_the_previous_answer():
    who = turn("who presented HRNet?", "who presented HRNet?", None, "王井东")
    assert previous_speaker(who) == "王井东"
    assert ask("what else did he say?", who).speaker == "王井东"
    assert ask("他还讲了什么？", who).speaker == "王井东"


def test_without_a_speaker_the_previous_topic_carries_over():
    meta = turn("什么是元学习？", "什么是元学习？", None, None)
    assert previous_speaker(meta) is None
    more = ask("还有呢？", meta)
    assert (more.speaker, more.topic, more.carried_over) == (None, "什么是元学习？", True)
    uses = ask("它有哪些应用？", meta)
    assert (uses.topic, uses.carried_over) == ("什么是元学习？ 有哪些应用？", True)
    # A new subject named elliptically is a question about it, not about the previous topic.
    other = ask("那 ConvBERT 呢？", meta)
    assert (other.topic, other.carried_over) == ("ConvBERT", False)


def test_a_person_not_in_the_notes_stays_unknown():
    hinton = turn("what did Geoffrey Hinton say?", "…", None, None, unknown_person="Geoffrey Hinton")
    query = ask("what else did he say?", hinton)
    assert (query.unknown_person, query.carried_over) == ("Geoffrey Hinton", True)


def test_wants_more():
    assert all(wants_more(q) for q in ["他还讲了什么？", "还有呢", "其他方法呢", "what else?", "Tell me more", "more?"])
    assert not any(wants_more(q) for q in ["他讲了什么？", "what did he say?", "What is ConvBERT?"])


def test_understood_says_how_a_follow_up_was_read():
    assert understood(ask("他还讲了什么？", FENG_ZH)) == "关于冯佳时的报告"
    assert understood(ask("what else did he say?", FENG_EN)) == "about 冯佳时's talk"
    assert understood(Query("q", "q")) is None
    rewritten = Query("what else?", "…", "冯佳时", carried_over=True, rewritten="What else did 冯佳时 say?")
    assert understood(rewritten) == "about 冯佳时's talk: “What else did 冯佳时 say?”"


# --- conversations over an index ----------------------------------------------------------------


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conversation")
    shutil.copytree(DATA, folder / "notes")
    rag.build_index(folder / "notes", folder / "index", FAKE, embedder=FakeEmbedder())
    return folder / "index"


@pytest.fixture
def index(index_dir):
    return rag.open_index(index_dir, FAKE, embedder=FakeEmbedder())


def sections(answer: Answer) -> list[str]:
    return [c.chunk.headings[-1] for c in answer.citations]


@pytest.mark.parametrize(
    "questions",
    [
        ("what did 冯佳时 say about shortcuts", "what else did he say?", "and about ConvBERT?"),
        ("冯佳时讲的 shortcut 连接是怎么改的？", "他还讲了什么？", "那 ConvBERT 呢？"),
    ],
    ids=["en", "zh"],
)
def test_three_turns(index, questions):
    chat = Conversation(index)
    first = chat.ask(questions[0])
    assert sections(first)[0] == MOBILENEXT and not first.query.carried_over
    more = chat.ask(questions[1])
    assert more.query.speaker == "冯佳时" and more.query.carried_over and not more.abstained
    # "What else": the section already cited gives way to the rest of the talk.
    assert MOBILENEXT not in sections(more) and CONVBERT in sections(more)
    assert {c.chunk.speaker for c in more.citations} == {"冯佳时"}
    about = chat.ask(questions[2])
    assert about.query.speaker == "冯佳时" and sections(about)[0] == CONVBERT
    assert [a.question for a in chat.turns] == list(questions)


def test_the_previous_answers_speaker_and_a_new_speaker(index):
    chat = Conversation(index)
    assert chat.ask("who presented HRNet?").citations[0].chunk.speaker == "王井东"
    more = chat.ask("what else did he say?")
    assert more.query.speaker == "王井东" and understood(more.query) == "about 王井东's talk"
    han = chat.ask("韩松讲了什么？")
    assert han.query.speaker == "韩松" and not han.query.carried_over
    assert chat.ask("他还讲了什么？").query.speaker == "韩松"
    standalone = chat.ask("什么是元学习？")
    assert standalone.query.speaker is None and not standalone.query.carried_over


def test_a_speaker_filter_wins_over_the_previous_speaker(index):
    chat = Conversation(index)
    chat.ask("what did 冯佳时 say about shortcuts")
    filtered = chat.ask("what else did he say?", speaker="韩松")
    assert filtered.query.speaker == "韩松" and not filtered.query.carried_over
    first = sections(chat.ask("what did 冯佳时 say about shortcuts", speaker="冯佳时"))
    again = sections(chat.ask("what else did he say?", speaker="冯佳时"))
    assert first[0] == MOBILENEXT and MOBILENEXT not in again


def test_chat_command_reads_questions_from_stdin(index_dir, monkeypatch, capsys, tmp_path):
    import io

    monkeypatch.setattr(rag.models, "load_model", lambda settings, model=None: FakeEmbedder())
    monkeypatch.setattr("sys.stdin", io.StringIO("what did 冯佳时 say about shortcuts\n\nwhat else did he say?\n"))
    config = tmp_path / "rag.yaml"
    config.write_text("model: fake-bigrams\nmin_relevance: 0.2\n", encoding="utf-8")
    assert cli.main(["--config", str(config), "chat", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("> what did 冯佳时 say about shortcuts\nFrom 冯佳时's talk")
    assert "> what else did he say?\n(about 冯佳时's talk)\n" in out


# --- with a language model: the question is rewritten with the history ----------------------------


@pytest.fixture(scope="module")
def server():
    with ScriptedServer() as running:
        yield running


@pytest.fixture
def llm_index(index_dir, server):
    settings = FAKE.with_overrides(llm_base_url=server.url, llm_model="scripted", llm_timeout=5.0)
    return rag.open_index(index_dir, settings, embedder=FakeEmbedder())


def test_a_language_model_rewrites_follow_ups_with_the_history(llm_index, server):
    chat = Conversation(llm_index)
    assert chat.rewrite
    server.script(Reply(["MobileNeXt puts the shortcut on the wide layers [1]."]))
    first = chat.ask_stream("what did 冯佳时 say about shortcuts")
    assert list(first)[-1].generated and len(server.requests) == 1  # a question naming its speaker is not rewritten

    server.script(Reply(["What else did 冯佳时 say?"]), Reply(["He also changed self-attention [1]."]))
    events = list(chat.ask_stream("what else did he say?"))
    rewrite, generation = server.requests
    body = rewrite["body"]
    assert body["temperature"] == 0.0
    assert (
        "standalone" in body["messages"][0]["content"] or "without the conversation" in body["messages"][0]["content"]
    )
    user = body["messages"][1]["content"]
    assert "<conversation>\nuser: what did 冯佳时 say about shortcuts\nassistant: MobileNeXt puts the shortcut" in user
    assert user.endswith("Last question: what else did he say?")
    answer = events[-1]
    assert answer.generated and answer.query.rewritten == "What else did 冯佳时 say?"
    assert answer.query.speaker == "冯佳时" and answer.query.carried_over
    assert understood(answer.query) == "about 冯佳时's talk: “What else did 冯佳时 say?”"
    assert "Question: What else did 冯佳时 say?" in generation["body"]["messages"][1]["content"]
    assert MOBILENEXT not in sections(answer)

    server.script(
        Reply(["What did 冯佳时 say about ConvBERT?"]), Reply(["ConvBERT mixes convolution into attention [1]."])
    )
    third = chat.ask("and about ConvBERT?", generate=True)
    assert third.query.speaker == "冯佳时" and sections(third) == [CONVBERT]


def test_when_the_rewrite_fails_the_rules_still_apply(llm_index, server):
    chat = Conversation(llm_index)
    server.script(Reply(["MobileNeXt puts the shortcut on the wide layers [1]."]))
    chat.ask("what did 冯佳时 say about shortcuts", generate=True)
    server.script(Reply(status=503, body="loading model"), Reply(["ConvBERT mixes convolution into attention [1]."]))
    answer = chat.ask("and about ConvBERT?", generate=True)
    assert len(server.requests) == 2 and answer.generated
    assert answer.query.rewritten is None and answer.query.speaker == "冯佳时" and sections(answer) == [CONVBERT]


def test_a_made_up_name_in_the_rewrite_is_ignored(llm_index, server):
    chat = Conversation(llm_index)
    chat.ask("what did 冯佳时 say about shortcuts")
    server.script(Reply(["What did Geoffrey Hinton say about ConvBERT?"]))
    query = chat.understand("so, ConvBERT")  # no follow-up marker: the rewrite alone would decide
    assert (query.speaker, query.unknown_person, query.rewritten, query.carried_over) == (None, None, None, False)


def test_the_rewrite_catches_follow_ups_the_rules_miss(llm_index, server):
    chat = Conversation(llm_index)
    server.script(Reply(["MobileNeXt puts the shortcut on the wide layers [1]."]))
    chat.ask("what did 冯佳时 say about shortcuts", generate=True)
    server.script(Reply(["Why did 冯佳时 put the shortcut on the wide layers?"]))
    query = chat.understand("why does that speed up training?")
    assert resolve_followup(llm_index.understand(query.text), chat.turns[-1]).carried_over is False
    assert (query.speaker, query.carried_over) == ("冯佳时", True)
    assert query.topic == "Why did put the shortcut on the wide layers?"
    assert understood(query) == "about 冯佳时's talk: “Why did 冯佳时 put the shortcut on the wide layers?”"
    # Rules first: when they catch the follow-up they steer retrieval, and the model gets the rewrite.
    server.script(Reply(["What else did 冯佳时 say besides MobileNeXt?"]))
    more = chat.understand("what else did he say?")
    assert (more.speaker, more.topic, more.rewritten) == (
        "冯佳时",
        "did say?",
        "What else did 冯佳时 say besides MobileNeXt?",
    )
