"""Speakers and talk questions in shapes found on blind sets of real notes by other authors (sets 36–40):
bylines set as quotations or past a link line, the word for speaker before a linked name, a person at an event
or an interview's guest in a note title, panel lists, linked talk titles with the speaker in brackets,
transcripts in turns, names after a title's comma or colon, presenters with roles; the negatives beside them.
Small notes written for these tests, with made-up names and titles."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading, from_title
from rag.name_lines import from_role_lines
from rag.notes import parse_note
from rag.panelists import panelists
from rag.prose_speakers import presenter_opening, set_off_title_by
from rag.query import analyze
from tests.test_recap_shapes import talks


def speakers_by_heading(note: str) -> dict[str, str | None]:
    return {chunk.headings[-1] if chunk.headings else "": chunk.speaker for chunk in parse_note(note, "n.md").chunks}


def test_a_byline_set_as_a_quotation_under_the_title_names_the_talks_speaker():
    note = (
        "# 你的密碼管理器也會說謊\n\n> Jane Roe／某公司 研究員\n\n> 2026-01-01 10:00 @ 3F\n\n"
        "## 摘要\n\n攻擊者接管了伺服器。\n"
    )
    assert speakers_by_heading(note) == {"你的密碼管理器也會說謊": "Jane Roe", "摘要": "Jane Roe"}
    english = (
        "# Genome pipelines\n\n> Joan Smith, Acme Lab, Example Foundation\n\n> Wednesday.\n\n## Pipeline\n\nReads.\n"
    )
    assert talks(english) == [(1, "Joan Smith")]


def test_a_bold_name_opening_a_quoted_bio_names_the_talk_above():
    note = (
        "## 嘉宾分享\n\n**1. 测试心得**\n\n> **林妮**，某公司 QA。\n毕业后一直从事软件测试。\n\n"
        "**2. 转行之路**\n\n> **王佩**，就职于一家初创团队。\n从转行说起。\n"
    )
    assert [speaker for _, speaker in talks(note)] == [None, "林妮", "王佩"]


def test_a_quotation_under_a_title_is_no_byline():
    for quote in (
        "> Stay hungry, stay foolish",  # no name
        "> Jane Roe wrote the best tests, stay foolish",  # a sentence
        "> The best way to predict the future is to invent it, as Alan Kay said, and we did.",  # prose
    ):
        assert talks(f"# A talk on testing\n\n{quote}\n\nNotes on the talk.\n") == [(1, None)], quote


def test_a_byline_past_a_line_that_is_only_a_link_names_the_speaker():
    note = (
        "# Robot Mapping\n[Seminars](#)\n\n"
        "by Maria Rossi from Acme Institute (25 April 2025)\n\nQuestions I brought.\n\n## Approach\n\nPhysics priors.\n"
    )
    assert talks(note) == [(1, "Maria Rossi")]
    assert talks("# Robot Mapping\n[Seminars](#)\n\nby the way, the room was cold.\n") == [(1, None)]


def test_the_word_for_speaker_before_a_linked_name_names_the_talks_speaker():
    note = (
        "## 跨平台整合\n\n### The Future of React\n\n![A.B Chen](https://example.com/p.png)\n\n"
        "講者 [A.B Chen](https://example.com/abchen) 介紹了 新版本的功能\n\n"
        "### 選擇 Svelte 的理由\n\n講者 [Kiran 凱文](https://example.com/kiran) 介紹了 Svelte\n\n"
        "### 技術挑選\n\n講者 [Sam Hsu (SkyDev)](https://example.com/samhsu) 介紹了如何做技術挑選\n\n"
        "### 區塊鏈\n\n講者提到 [Ethereum](https://ethereum.org) 的智能合約\n"
    )
    assert speakers_by_heading(note) == {
        "跨平台整合": None,
        "The Future of React": "A.B Chen",
        "選擇 Svelte 的理由": "Kiran 凱文",
        "技術挑選": "Sam Hsu",
        "區塊鏈": None,  # the speaker mentions a project: no name after the word
    }


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ('As [Jane Roe](https://example.com/jroe) said, "Smalltalk is worth learning."', []),
        ('Like [Jane Roe](https://example.com/jroe) put it - "a DSL".', []),
        ("[Jane Roe](https://example.com/jroe) wrote the best book on it, and then we moved on.", []),
        ("We started with [Jane Roe](https://example.com/jroe), who showed the new compiler.", [("Jane Roe", None)]),
    ],
)
def test_a_person_quoted_in_a_recap_is_not_its_presenter(paragraph, expected):
    assert presenter_opening(paragraph) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Jane Roe at the Manolis Kellis Salon", [("Jane Roe", "the Manolis Kellis Salon")]),
        ("某播客·Episode 7：对话林小川——开源之路", [("林小川", None)]),
        ("专访张一鸣", [("张一鸣", None)]),
        ("对话 Jane Roe：AI 的未来", [("Jane Roe", None)]),
        ("对话：开源的未来", []),  # a conversation, no one named
        ("对话式AI的未来", []),
        ("Notes at the Strange Loop", []),
        ("Dinner at the Ritz", []),
    ],
)
def test_a_note_title_naming_a_person_at_an_event_or_an_interview_guest(title, expected):
    assert from_title(title) == expected


def test_the_guest_an_interview_title_names_speaks_in_the_whole_note():
    note = "---\ntitle: 某播客·Episode 7：对话林小川——开源之路\n---\n\n## 本期值得听\n\n开源商业化的难处。\n"
    assert talks(note) == [(5, "林小川")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The panelists were Jane Roe ([@jroe](http://twitter.com/jroe)), Ken Tanaka ([@ktanaka](http://twitter.com/ktanaka))"
            ", and Ann Lee ([@alee](http://twitter.com/alee)).",
            ["Jane Roe", "Ken Tanaka", "Ann Lee"],
        ),
        (
            "They assembled a smart group of panelists: [Jane Roe](https://twitter.com/jroe), "
            "[Ken Tanaka](https://example.com/) and [Ann Lee](https://twitter.com/alee).",
            ["Jane Roe", "Ken Tanaka", "Ann Lee"],
        ),
        ("The panelists were great, see [Jane Roe](https://twitter.com/jroe)'s slides.", []),  # one name
        ("We read [Jane Roe](https://example.com/a) and [Ken Tanaka](https://example.com/b) on panels.", []),  # no cue
        ("The panelists talked about [Kubernetes](https://k8s.io) and [Docker Swarm](https://docker.com).", []),
    ],
)
def test_a_sentence_listing_a_panels_people(sentence, expected):
    assert [name for name, _ in panelists(sentence)] == expected


def test_the_people_a_panel_write_up_lists_are_all_in_its_sections():
    note = (
        "The first web conference was today.\n\nThe only session I watched was the panel.\n\n"
        "They assembled panelists who asked hard questions: [Jane Roe](https://twitter.com/jroe), "
        "[Ken Tanaka](https://twitter.com/ktanaka) and [Ann Lee](https://twitter.com/alee).\n\n"
        "Jane asked why publishers adopt it.\n"
    )
    (chunk,) = parse_note(note, "n.md").chunks
    assert chunk.people == ("Jane Roe", "Ken Tanaka", "Ann Lee")


def test_paragraphs_opening_on_a_link_to_a_talk_with_its_speaker_in_brackets():
    note = (
        "# 1. Generation\n\n"
        '<img src="/t.png" height="25"/> [Image Models (Maria Rossi) 2021/02](https://example.com/v1).\n'
        "* Landscape videos.\n\n"
        '<img src="/t.png" height="25"/> [Shape Editing (Ken Tanaka) 2020/12](https://example.com/v2)\n'
        "* Shapes from drawings.\n\n"
        "# 2. Driving\n\n[My paper notes](/notes/#driving).\n\n"
        '<a name="drive"></a>\n[Driving Ahead (Anna Novak) 2021/02](https://example.com/v3).\n\n'
        "* Planning and control.\n\n"
        "# 3. Reading\n\nSome background first.\n\n[Attention Is All You Need (Ann Lee) 2017](https://arxiv.org/x)\n"
    )
    assert talks(note) == [(1, "Maria Rossi"), (6, "Ken Tanaka"), (9, None), (14, "Anna Novak"), (18, None)]


def test_a_brief_summary_of_the_talk_says_whose_the_note_is():
    note = (
        "---\ntitle: 'Talk: Sketching Research'\n---\n\nShe likes drawing.\n\n"
        "#### Brief Summary of the Talk\nThis talk was presented by *Maria Rossi* and focused on her drawings.\n\n"
        "#### 1) What was surprising?\nResearch can be playful.\n"
    )
    assert [speaker for _, speaker in talks(note)] == ["Maria Rossi"]


@pytest.mark.parametrize(
    ("question", "speaker", "overview"),
    [
        ("Summarize Maria Rossi's talk about the input method attack", "Maria Rossi", True),
        ("Maria Rossi 那一讲的主题是什么？", "Maria Rossi", True),
        ("王佩是什么背景？", "王佩", True),
        ("Maria Rossi 讲座的主要收获是什么？", "Maria Rossi", True),
        ("Maria Rossi 在这场对谈里都讲了些什么？", "Maria Rossi", True),
        ("林小川在这期节目里聊了哪些话题？", "林小川", True),
        ("Maria Rossi 怎么看对话式 AI？", "Maria Rossi", False),
        ("林小川的报告要解决什么问题？", "林小川", True),
        ("作者觉得 Maria Rossi 的报告怎么样？", "Maria Rossi", True),
        ("林小川的报告解决了内存问题吗？", "林小川", False),
        ("Why does Maria Rossi think the attack worked?", "Maria Rossi", False),
        ("Summarize the attack Maria Rossi described", "Maria Rossi", False),
    ],
)
def test_questions_asking_for_a_speakers_talk_as_a_whole(question, speaker, overview):
    query = analyze(question, [speaker])
    assert (query.speaker, query.overview) == (speaker, overview)


def test_one_word_after_a_talk_label_the_text_says_speaks_is_the_speaker():
    talk = "**Opening Keynote - Kaz**\n\nReasons behind the language. Kaz joked that it is his masterpiece.\n\n"
    assert talks(talk + "**Sessions - Day 1**\n\nSome sessions.\n") == [(1, "Kaz"), (5, None)]
    topic = "## Keynote - Kubernetes\n\nKubernetes runs containers. Kubernetes schedules pods.\n"
    assert talks(topic) == [(1, None)]


def test_an_interview_transcripts_turns_are_talks_of_who_speaks():
    note = (
        "# 三位创始人聊产品\n\n参与讨论的三位嘉宾：来自某硬件公司的 Ken Tanaka，某浏览器创始人 Maria Rossi。\n\n"
        "**Ken：Maria，你的浏览器是一种智能体吗？**\n\n**Maria**：我不太确定。\n\n"
        "**Ken**：那你怎么看应用？\n\n**Maria**：会一直存在。\n"
    )
    # The question heading's chunk holds Maria's answer: hers.
    assert talks(note) == [(1, None), (5, "Maria Rossi"), (9, "Ken Tanaka"), (11, "Maria Rossi")]
    chinese = "## 对谈\n\n**张一鸣**：先说产品。\n\n**王兴**：我同意。\n\n**张一鸣**：再说组织。\n\n**王兴**：好。\n"
    assert [speaker for _, speaker in talks(chinese)] == ["张一鸣", "王兴", "张一鸣", "王兴"]


def test_labels_and_one_voice_are_no_conversation():
    labelled = (
        "## Keynote\n\nPresenter: Maria Rossi\n\nTitle: Nature\n\n## Talk\n\nPresenter: Ken Tanaka\n\nTitle: Data\n"
    )
    assert [speaker for _, speaker in talks(labelled)] == ["Maria Rossi", "Ken Tanaka"]
    pros = "## Review\n\n**Pros**: fast.\n\n**Cons**: costly.\n\n**Pros**: small.\n\n**Cons**: new.\n"
    assert talks(pros) == [(1, None)]
    one_voice = "## Notes\n\n**Maria**: one.\n\n**Maria**: two.\n\nTime: 9am\n"
    assert talks(one_voice) == [(1, None)]
    profile = "## 缓存实践\n\n讲师：李明\n\n个人介绍：某公司工程师\n\n演讲概要：讲缓存。\n\n"
    assert talks(profile + profile.replace("李明", "王芳").replace("缓存", "日志")) == [(1, "李明"), (9, "王芳")]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Presentation 2: GraphQL: Kyle Varnholt", ["Kyle Varnholt"]),  # a census first name, right of a colon
        ("GraalVM: Java ♥ Python", []),
        (
            "3. Trusting Scanners, Ian Holloway, Greta Lindqvist, Rory McAllen, Acme Cloud",
            ["Ian Holloway", "Greta Lindqvist", "Rory McAllen"],
        ),
        ("2. Forward: Cloud Security, Andrew Morley & Matt Jarrow", ["Andrew Morley", "Matt Jarrow"]),
        ("Designing Hypermedia APIs, Steve Klabnik", ["Steve Klabnik"]),
        ("Paris, France, Europe", []),
        ("Lunch, coffee, and talks", []),
        ("Episode with Maria Rossi", ["Maria Rossi"]),
        ("Fireside chat with Jane Roe (Acme)", ["Jane Roe"]),
        ("Interview with Ken Tanaka: Building teams", ["Ken Tanaka"]),
        ("Coffee with friends", []),
        ("Chat with GPT", []),
        ("Pairing with Kubernetes", []),
    ],
)
def test_names_after_a_headings_title_and_an_episodes_guest(heading, expected):
    found = from_heading(heading)
    names = [name for name, _ in found[0]] if found else []
    assert names == expected


def test_a_sessions_presenters_with_their_roles_under_its_abstract():
    note = (
        "DEV101 - Backups: Encryption and Durability\n\nIn this session, we discuss data protection.\n\n"
        "Ken Kettle - General Manager - Key Service, AWS\nPeter J. O'Malley - Solutions Architect, AWS\n\n"
        "Tenets for data protection:\n* Confidentiality\n"
    )
    (chunk,) = parse_note(note, "n.md").chunks
    assert chunk.people == ("Ken Kettle", "Peter J. O'Malley")
    no_roles = "Session notes\n\nWe discussed data.\n\nKen Kettle - the usual\nPeter Pan - again\n\nMore.\n"
    assert parse_note(no_roles, "n.md").chunks[0].people == ()


def test_a_set_off_title_by_a_name_ending_its_sentence():
    assert set_off_title_by("Another must-watch talk, *Why teams need empathy*, by Sasha Verhoeven. You") == [
        ("Sasha Verhoeven", None)
    ]


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("郁彬的 keynote 讲了什么？", "Bin Yu"),  # the pinyin of a name the notes write in Latin letters
        ("韩家炜讲了哪些挑战？", "Jiawei Han"),
        ("数据科学的三个原则是什么？", None),  # words, no name
        ("高斯过程是什么？", None),  # a common word opening on a surname (高斯, "Gauss") is no Si Gao
        ("高思讲了什么？", "Si Gao"),
    ],
)
def test_a_chinese_name_for_a_speaker_the_notes_write_in_pinyin(question, speaker):
    assert analyze(question, ["Bin Yu", "Jiawei Han", "Si Gao", "Jane Roe"]).speaker == speaker


def test_a_long_paragraph_of_role_lines_is_no_byline():
    lines = [f"Ken Kettle{i} - General Manager, Acme" for i in range(6)]
    assert from_role_lines(lines) == []
    assert from_role_lines([]) == []


def test_a_speaker_rule_failing_on_an_odd_note_costs_its_speakers_not_the_note(monkeypatch):
    def broken(*args):
        raise ValueError("zip() argument 2 is longer than argument 1")

    monkeypatch.setattr("rag.talks.find_people", broken)
    note = parse_note("# Talk\n\n讲者：张三\n\nSome text.\n", "n.md")
    assert [chunk.speaker for chunk in note.chunks] == [None]
    assert note.warnings == ("speakers not read (ValueError: zip() argument 2 is longer than argument 1)",)


def test_a_nickname_in_the_whose_talk_headings_its_siblings_share():
    note = (
        "## 3分钟分享\n\n### 王立的分享\n\n坑：环境。\n\n### 木可的分享\n\n坑：部署。\n\n### 田一的分享\n\n坑：测试。\n\n"
        "## 小结\n\n大家都很棒。\n"
    )
    assert speakers_by_heading(note) == {
        "3分钟分享": None,
        "王立的分享": "王立",
        "木可的分享": "木可",  # no surname, but the siblings' slot holds names
        "田一的分享": "田一",
        "小结": None,
    }
    assert speakers_by_heading("## 项目的分享\n\n文字。\n\n## 技术的分享\n\n文字。\n") == {
        "项目的分享": None,
        "技术的分享": None,
    }


def test_a_question_in_traditional_script_asks_for_the_talk_as_a_whole():
    assert analyze("Maria Rossi 的演講講了什麼？", ["Maria Rossi"]).overview
