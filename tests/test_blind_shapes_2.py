"""Speakers, people and terms in shapes found on blind sets of real notes by other authors (sets 22–25): a
Chinese name in pinyin after "by", one word after "podcast by", a name with its organisation in brackets and
more after a comma, "*Name / Org*" bylines, numbered `Speaker 2:` labels (and a label naming no one), list
items naming the speaker in bold over paragraphs; in questions, dictionary words shaped like names, plurals of
terms, names in pinyin of people the notes write in Chinese (or in traditional script). Small notes written for
these tests, the negative cases beside them."""

from __future__ import annotations

import pytest

from rag.glossary import pinyin_spellings
from rag.heading_names import from_heading
from rag.heading_rules import name_after_by
from rag.mentions import Mentions
from rag.notes import parse_note
from rag.prose_speakers import speaker_in_sentence
from rag.query import asked_person
from rag.question_kinds import is_overview
from rag.speakers import is_person
from rag.text import Tokenizer
from rag.types import Chunk
from rag.vocabulary import Vocabulary
from tests.test_recap_shapes import talks


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("Veridical Data Science by Bin Yu", "Bin Yu"),
        ("Notes from the podcast by Wesbos", "Wesbos"),
        ("Photo by Unsplash", None),  # a brand, no talk
        ("Learning by Example", None),
        ("A talk by Example", None),  # an English word, even after "talk by"
    ],
)
def test_by_names_a_chinese_name_in_pinyin_and_one_word_after_a_kind_of_talk(heading, speaker):
    found = name_after_by(heading)
    assert (found[0][0][0] if found else None) == speaker


@pytest.mark.parametrize(("name", "person"), [("Bin Yu", True), ("Lin Gen", True), ("Big Data", False)])
def test_two_capitalised_syllables_of_pinyin_with_a_common_surname_are_a_name(name, person):
    assert is_person(name) is person


def test_a_line_under_the_title_naming_someone_with_their_organisation_in_brackets_and_more():
    note = "# Deep Learning with Bayesian Principles\nEmtiyaz Khan (RIKEN), RIKEN Center for AI project\n\nText.\n"
    assert talks(note) == [(1, "Emtiyaz Khan")]
    prose = "# Results\nThe model (ours), trained twice, wins.\n\nText.\n"
    assert talks(prose) == [(1, None)]


def test_an_emphasized_name_and_organisation_line_even_below_a_link_to_the_slides():
    note = (
        "## Live Streaming\n\n*Browny Lin / LIVEhouse.in*\n\nNotes.\n\n"
        "## DNS proxy\n\n[Slides](https://example.com/deck)\n\n*Edward Chuang / GCPUG co-organizer*\n\nNotes.\n\n"
        "## Summary\n\n[Slides](https://example.com/deck)\n\nNotes only.\n"
    )
    assert talks(note) == [(1, "Browny Lin"), (7, "Edward Chuang"), (15, None)]


NUMBERED_LABELS = """**Speaker : Too many**

----

*Speaker 1: Paco Nathan (O'Reilly Media)*<br>
*Topic 1: Graph algorithms for text*

- Knowledge graphs

----

*Speaker 2: Deep Learning on Anonymized Datasets*<br>
*Topic 2: Jane Roe (Acme)*

- Click data

----

*Speaker 3: Jared P. Lander (Lander Analytics)*<br>
*Topic 3: Tools for R*

- Packages
"""


def test_numbered_speaker_labels_each_open_a_talk_and_a_label_naming_no_one_is_none():
    assert talks(NUMBERED_LABELS) == [(1, "Paco Nathan"), (12, None), (19, "Jared P. Lander")]


BOLD_NAME_ITEMS = """# 讲师与话题

- **[陈天](http://weibo.com/a)**：**Build Dev ENV With Docker**

[陈天](http://weibo.com/a) 是来自 Juniper 的资深工程师。

他对 Docker 进行了简单介绍。

- **[刘斌](http://weibo.com/b)**： **Docker Out & Out**

[刘斌](http://weibo.com/b) 是一位资深软件工程师。

- **[陈轶飞](http://weibo.com/c)**： **A Case Of Applying Docker To Production**

[陈轶飞](http://weibo.com/c) 是百度 BAE 项目负责人。

他全面介绍了轻量级虚拟化技术。
"""


def test_list_items_naming_the_speaker_in_bold_each_open_a_talk_over_the_paragraphs_below():
    assert talks(BOLD_NAME_ITEMS) == [(1, "陈天"), (9, "刘斌"), (13, "陈轶飞")]
    plain = "# 要点\n\n- **核心观点**：**容器很轻**\n\n容器比虚拟机轻。\n\n- **结论**：**要用**\n\n就这样。\n"
    assert [speaker for _, speaker in talks(plain)] == [None]


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("谷歌的 Magenta 项目是做什么的？", None),  # 谷 is a surname, 谷歌 the dictionary's Google
        ("范畴需要满足哪几条定律？", None),
        ("何恺明关于自监督学习说了什么", "何恺明"),
        ("马云说了什么", "马云"),  # the dictionary has him as a person
    ],
)
def test_a_dictionary_word_shaped_like_a_chinese_name_is_no_one_asked_about(question, person):
    assert asked_person(question) == person


def tokens(text: str) -> list[str]:
    return [w.strip("?,.").lower() for w in text.split()]


def test_a_term_in_the_plural_or_a_name_in_pinyin_is_no_unknown_term():
    notes = Vocabulary(["ui", "state", "machine", "林根", "数据库"])
    assert notes.unknown_term("What did she suggest for modelling UIs?", tokens) is None
    assert notes.unknown_term("What did Lin Gen demo about moving databases?", tokens) is None
    assert notes.unknown_term("What did Xu Wei demo about moving databases?", tokens) == "Xu"


def test_a_person_the_notes_write_in_chinese_is_found_by_one_word_of_pinyin_and_across_scripts():
    chunks = [
        Chunk("a.md", "A", ("关于议题",), 1, 2, "第二场是 @沙洲 分享的《协同编辑原理与实践》。"),
        Chunk("a.md", "A", ("分享",), 3, 4, "1. 卓致遠 從設計師的角度分享了網站改版。"),
        Chunk("b.md", "B", ("活动",), 1, 2, "其后，海量数据行销部总经理熊凯就数据库的发展历程发表相关演讲。"),
        Chunk("b.md", "B", ("致辞",), 3, 4, "感谢熊凯的支持，大家合影留念。"),
    ]
    spellings = pinyin_spellings(["沙洲", "卓致远", "熊凯", "分享"])
    mentions = Mentions(chunks, lambda pinyin: tuple(spellings.get(pinyin, ())))
    assert mentions.find("Shazhou") == "沙洲"
    assert mentions.find("Zhuo Zhiyuan") == "卓致远"  # the note writes 卓致遠
    assert mentions.mask("卓致遠").tolist() == [False, True, False, False]
    assert mentions.gave_talk("熊凯")  # the verb of presenting later in the sentence
    assert mentions.find("Fenxiang") is None  # 分享 is no name
    thanked = Mentions(chunks[3:])
    assert not thanked.gave_talk("熊凯")


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ('Technical Debt: A Master Class - Robert "r0ml" Lefkowitz (Retired)', 'Robert "r0ml" Lefkowitz'),
        ("10:00, Data Visualisation Landscape, Bence Arato", "Bence Arato"),
        ("10:00, Lunch, Coffee Break", None),
        ("9:30 Opening, Welcome Notes", None),
    ],
)
def test_a_quoted_nickname_inside_a_name_and_a_programme_slot_naming_its_speaker_last(heading, speaker):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == speaker


def test_a_sub_heading_citing_a_book_and_its_author_inside_a_talk_is_still_the_talk():
    note = (
        "# Roaming free - Glenn Vanderburg (First.io)\n\nRead widely.\n\n"
        "## Cognition in the Wild, Edwin Hutchins\n\nNavigation as computation.\n"
    )
    assert talks(note) == [(1, "Glenn Vanderburg")]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("其后，海量数据行销部总经理熊凯就海量数据库的发展历程发表相关演讲。", "熊凯"),
        ("openGauss产品规划总监罗琪探讨了数据库的历史机遇与挑战。", "罗琪"),
        ("openGauss技术委员会主席田文罡主要为大家介绍了重要特性。", "田文罡"),
        ("海量数据服务总监林根就为大家介绍了这一整套的迁移方法。", "林根"),
        ("最后为我们带来议题分享的是华为高级工程师赵波，他分享了 ARM 服务器。", "赵波"),
        ("第二场是 @沙洲 分享的《协同编辑原理与实践》。", "沙洲"),
        ("陳怡靜 分享了（那些訪談的問話小技巧）", "陳怡靜"),
        ("这篇论文探讨了数据库的挑战。", None),
        ("本次活动带来的是一场盛宴。", None),
    ],
)
def test_chinese_prose_names_who_gave_a_talk(sentence, speaker):
    found = speaker_in_sentence(sentence)
    assert (found[0][0] if found else None) == speaker


def test_numbered_items_opening_with_who_shared_what_each_open_a_talk():
    note = (
        "今天來了3組講者。\n\n"
        "1. 卓致遠 (Thinker Mobile co-founder) 分享了他在製作 app 的經驗。\n講者特別談到使用者體驗。\n\n"
        "2. HearMe 為視障朋友設計的app。\n\n"
        "3. Akane 分享了她去東京迪士尼時的用戶體驗。\n\n"
        "4. 陳怡靜 分享了訪談的問話小技巧。\n"
    )
    assert talks(note) == [(1, "卓致遠"), (8, "Akane"), (10, "陳怡靜")]  # the opening line reads as the first talk's


def test_a_topic_label_is_the_talks_title_and_stays_searchable_text():
    note = "## Talks\n\n*Speaker 1: Jane Roe (Acme)*<br>\n*Topic 1: Graph algorithms for text*\n\n- Knowledge graphs\n"
    chunk = parse_note(note, "note.md").chunks[0]
    assert chunk.speaker == "Jane Roe"
    assert "Graph algorithms for text" in chunk.text
    titled = "## 1. HRNet: A Universal Architecture\n\n【讲者】**王井东**\n\n【题目】**HRNet: A Universal Architecture**\n\n正文。\n"
    assert "Universal" not in parse_note(titled, "note.md").chunks[0].text  # the heading says it already


def test_a_demonstrative_is_no_name_and_question_framing_words_are_no_topic():
    assert asked_person("Edwin Hutchins 那本书讲的是什么？") is None  # 那 is a surname; 那本书 is "that book"
    assert asked_person("那位老师讲了什么") is None
    tokens = Tokenizer().tokens("持续部署那场推荐了哪个代码审查工具？谁讲的")
    assert "那场" not in tokens and "谁" not in tokens and "部署" in tokens


@pytest.mark.parametrize(("name", "person"), [("JOEY ROSENBERG", True), ("DEEP LEARNING", False), ("GOOGLE AI", False)])
def test_a_name_in_capitals_is_one_when_a_census_first_name_opens_it(name, person):
    assert is_person(name) is person


@pytest.mark.parametrize("topic", ["那场分享讲的是啥？", "讲了啥", "'s talk - what was it about?"])
def test_colloquial_and_possessive_overview_questions_ask_for_the_talk(topic):
    assert is_overview(topic)


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("1. 胡志强-popoer：《Play framework小试牛刀》", "胡志强"),  # a numbered item, the name with its handle
        ("三桥：《探索HTML5》", "三桥"),  # a nickname before a book title
        ("总结：《探索》", None),  # a common word
        ("3.1 MobileNeXt: Bottleneck 模块的修改", None),
    ],
)
def test_a_numbered_heading_names_its_speaker_by_name_and_handle_or_nickname_before_a_book_title(heading, speaker):
    found = from_heading(heading)
    assert (found[0][0][0] if found else None) == speaker


def test_paragraphs_opening_on_who_presented_after_a_lead_in_or_in_their_talk_each_open_a_talk():
    note = (
        "### Real World Experiences\n\nMany talks shared case studies.\n\n"
        "Whitney Trump gave us an insight into growth with her talk 'Thoughtful growth'.\n\n"
        "Later on that day, Sarah Folkes and Selene Hinkley presented work on search.\n\n"
        "Sarah Morgan from Fanduel in her talk 'Bridging the gap' focused on remote teams.\n\n"
        "Later, the team presented a plan.\n"
    )
    assert [speaker for _, speaker in talks(note)] == [None, "Whitney Trump", "Sarah Folkes", "Sarah Morgan"]
