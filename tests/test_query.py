"""Query analysis: people the question names (speaker, mentioned in the notes, stranger) and talk overviews."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.mentions import Mentions
from rag.overview import compose_overview
from rag.query import analyze, asked_person, named_terms
from rag.question_kinds import answer_type, event_overview, gives, is_overview, talk_asked
from rag.types import Chunk, Hit, Query

PEOPLE = ("冯佳时", "韩松", "王井东", "Karen M. Sandler", "Tim Hirsch")


def test_speaker_in_any_script_and_order():
    assert analyze("what did 冯佳时 say about shortcuts", PEOPLE).speaker == "冯佳时"
    assert analyze("What did Jiashi Feng say about shortcuts?", PEOPLE).speaker == "冯佳时"
    assert analyze("Sandler on software freedom", PEOPLE).speaker == "Karen M. Sandler"


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("韩老师讲的 ProxylessNAS 用什么作为反馈", "韩松"),
        ("What did Prof. Han say about latency?", "韩松"),
        ("What did Hirsch say about data?", "Tim Hirsch"),
        ("Dr. Wang on repeated fusion", "王井东"),
    ],
)
def test_surname_with_a_title_names_the_one_person_with_it(question, person):
    assert analyze(question, PEOPLE).speaker == person


def test_a_name_without_its_accents_or_middle_initial_is_the_speaker_and_leaves_the_topic_whole():
    people = (*PEOPLE, "Jan Novotný", "Sherry Moore")
    query = analyze("What did Jan Novotny say about Moore's law?", people)
    assert (query.speaker, query.topic) == ("Jan Novotný", "What did say about Moore's law?")
    # "Karen Sandler" is no full alias of "Karen M. Sandler": both words leave the topic, in every process.
    query = analyze("Karen Sandler 怎么看软件的自主性？", PEOPLE)
    assert (query.speaker, query.topic) == ("Karen M. Sandler", "怎么看软件的自主性？")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What did Jiří Pinkas talk about?", "What did talk about?"),  # the name as the notes write it
        ("Jiří Pinkas 讲了哪些内容？", "讲了哪些内容？"),
        ("Jiri Pinkas讲了什么", "讲了什么"),  # without accents, glued to the Chinese
        ("Marc’Aurelio Ranzato 讲了什么", "讲了什么"),
    ],
)
def test_a_name_with_accents_or_glued_to_chinese_leaves_the_topic_and_asks_for_the_talk(question, topic):
    query = analyze(question, (*PEOPLE, "Jiří Pinkas", "Marc'Aurelio Ranzato"))
    assert (query.topic, query.overview) == (topic, True)
    assert query.speaker in ("Jiří Pinkas", "Marc'Aurelio Ranzato")


def test_a_stranger_with_accents_leaves_the_topic_too():
    query = analyze("What did Tomáš Dvořák say about caching?", PEOPLE)
    assert (query.unknown_person, query.topic) == ("Tomáš Dvořák", "What did say about caching?")


@pytest.mark.parametrize("question", ["Canziani 老师讲了什么", "Sandler 女士讲了什么"])
def test_a_latin_name_with_a_chinese_title_asks_for_the_talk(question):
    query = analyze(question, (*PEOPLE, "Alfredo Canziani"))
    assert query.speaker and query.overview and query.topic == "讲了什么"


def test_a_surname_shared_by_two_people_names_neither():
    assert analyze("What did Prof. Han say?", ("韩松", "韩梅梅")).speaker is None


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("何恺明关于自监督学习说了什么", "何恺明"),
        ("李飞飞在报告里提到了什么", "李飞飞"),
        ("What did Geoffrey Hinton say about capsules?", "Geoffrey Hinton"),
        ("Jeff Dean's view on TPUs", "Jeff Dean"),
        ("the keynote by Yann LeCun", "Yann LeCun"),
        ("Explain Bjarne's keynote", "Bjarne"),
        ("Dauphin 等人的论文是关于什么的？", "Dauphin"),
        ("Which paper by Bahdanau et al. is cited?", "Bahdanau"),
        ("李明等人的工作是什么", "李明"),
        ("Linus Torvalds 对 Git 有什么看法？", "Linus Torvalds"),
        ("Kate Gregory 讲了什么", "Kate Gregory"),
        ("尤雨溪在这些会议上讲了什么？", "尤雨溪"),  # a rarer surname, in a name jieba tags as one
        ("Who is Chen Junting and what did the writer remark about him?", "Chen Junting"),
    ],
)
def test_a_person_is_found_wherever_the_name_stands(question, who):
    assert asked_person(question) == who


@pytest.mark.parametrize(
    "question",
    [
        "模型压缩讲了什么",
        "What is HRNet?",
        "他还讲了什么？",
        "What did he say?",
        "Summarize the talk's points",
        "第十三期沙龙里是谁分享了面试经验？",
        "CNN、RNN 等模型有什么区别",
        "Spring Boot 在容器里怎么配置",  # a product, not a person, before 在
        "Project Loom 对线程池有什么影响",
        # A foreign name in Chinese characters: jieba cuts it into pieces, none of them a person to look for.
        "霍普克罗夫特认为怎样才能想出好点子？",
        "斯图尔特·罗素说了什么",
        "Which ways of funding a language came up in the talk by Elm's creator?",  # who made Elm: unnamed
        "GopherCon India 上谁讲了用 Go 做全文索引的 bleve？",  # jieba tags 全文索引 a name; 全 is a rare surname
        "Ezbuy 的工程师在跨数据中心部分讲了什么方案？",  # 程 is a surname, but 程师 is the end of 工程师
        "Who was Google Cloud Next for?",  # capitalised words, but no name
    ],
)
def test_no_person_in_questions_without_one(question):
    assert asked_person(question) is None


@pytest.mark.parametrize(
    ("question", "alias"),
    [
        ("What did Kai-Fu Lee say about AI?", "kai fu lee"),
        ("What did Li Kaifu say about AI?", "li kaifu"),
        ("What did Lee say about AI?", None),  # a surname spelling alone names no one
    ],
)
def test_a_chinese_name_is_found_in_hong_kong_and_taiwan_spellings(question, alias):
    found = analyze(question, ("李开复", "张学友")).speaker
    assert found == ("李开复" if alias else None)


def test_stranger_versus_person_named_in_the_prose():
    def in_notes(name: str) -> str | None:
        return "jeff dean" if name.lower() == "jeff dean" else None

    query = analyze("What did Jeff Dean say about TPUs?", PEOPLE, in_notes=in_notes)
    assert (query.mentioned, query.unknown_person, query.overview) == ("Jeff Dean", None, False)
    assert analyze("What did Jeff Dean talk about?", PEOPLE, in_notes=in_notes).overview
    stranger = analyze("What did 张祥雨 say about Vision Transformers?", PEOPLE, in_notes=in_notes)
    assert stranger.unknown_person == "张祥雨"
    assert stranger.language == "en"  # the name is not what the answer's language follows


@pytest.mark.parametrize(
    "topic",
    [
        "的报告讲了什么",
        "讲了哪些工作？",
        "what are the main ideas?",
        "summarize talk",
        "What did talk about?",
        "",
        "的报告题目是什么？",
        "What was the title of talk?",
        "What did teach in this lecture?",
        "的开场演讲讲了什么？",
        "What did discuss in his lightning talk?",
        "的演讲关注的是什么？",
        "What was the talk focused on?",
    ],
)
def test_overview_questions(topic):
    assert is_overview(topic)


@pytest.mark.parametrize(
    "topic",
    [
        "what did say about shortcuts",
        "讲的 shortcut 是什么",
        "HRNet 的主要思想",
        "what did he teach about convolution",
        "的演讲关注了哪些安全问题？",
    ],
)
def test_topic_questions_are_no_overview(topic):
    assert not is_overview(topic)


def test_overview_question_sets_the_flag():
    query = analyze("王井东的报告讲了什么", ("王井东",))
    assert (query.speaker, query.overview) == ("王井东", True)
    assert not analyze("王井东讲的 HRNet 为什么要用 repeated fusion？", ("王井东",)).overview


def _chunk(headings, text, start, images=(), speaker="韩松") -> Chunk:
    return Chunk("talk.md", "Notes", headings, start, start + 2, text, speaker, "MIT", "09:40", images)


def test_overview_lists_each_section_once_in_order_with_citations():
    talk = ("2. TinyML",)
    chunks = [
        _chunk(talk, "2. TinyML", 1, images=("/a.png",)),
        _chunk((*talk, "2.1 ProxylessNAS"), "Latency is the feedback. Hardware in the loop.\nMore text here.", 4),
        _chunk((*talk, "2.1 ProxylessNAS"), "A second chunk of the same section.", 7),
        _chunk((*talk, "2.2 AMC"), "2.2 AMC", 10, images=("/b.png", "/c.png")),
    ]
    hits = [Hit(c, 1.0 / (n + 1)) for n, c in enumerate(chunks)]
    answer = compose_overview(Query("韩松讲了什么", "讲了什么", speaker="韩松", language="zh", overview=True), hits)
    lines = answer.text.split("\n")
    assert lines[0] == "韩松（MIT，09:40）的报告「2. TinyML」共 3 部分："
    assert lines[1] == "- 开场幻灯片 1 张 [1]"
    assert lines[2] == "- 2.1 ProxylessNAS：Latency is the feedback. Hardware in the loop. [2]"
    assert lines[3] == "- 2.2 AMC：这一部分只有幻灯片（2 张），没有文字笔记 [3]"
    assert [c.chunk.start for c in answer.citations] == [1, 4, 10]
    assert not answer.abstained and "no written notes)" not in answer.text


@pytest.mark.parametrize(
    ("language", "lead"),
    [
        ("en", "韩松 gave 2 talks in “Conf 2022” (Keynote; Tiny Engines), in 3 parts:"),
        ("zh", "韩松在「Conf 2022」中有 2 场报告（Keynote、Tiny Engines），共 3 部分："),
    ],
)
def test_a_speaker_with_several_talks_in_a_note_gets_them_named_not_the_programme_as_one_talk(language, lead):
    conf = ("Conf 2022",)
    chunks = [
        _chunk((*conf, "Keynote"), "Java is free again.", 3),
        _chunk((*conf, "Keynote", "Impression"), "A nice overview.", 8),
        _chunk((*conf, "Tiny Engines"), "Small models run on chips.", 20),
    ]
    query = Query("q", "", speaker="韩松", language=language, overview=True)
    answer = compose_overview(query, [Hit(c, 1.0) for c in chunks])
    assert answer.text.split("\n")[0] == lead
    # One talk with sub-sections keeps its own lead.
    one = compose_overview(query, [Hit(c, 1.0) for c in chunks[:2]])
    assert one.text.split("\n")[0] in (
        "韩松's talk (MIT, 09:40), “Keynote”, in 2 parts:",
        "韩松（MIT，09:40）的报告「Keynote」共 2 部分：",
    )


def test_an_overview_line_skips_the_speakers_byline_and_a_label_left_with_a_links_word():
    talk = ("从小白到写作",)
    chunks = [
        _chunk(talk, "—韩松 MIT\nAbstract: html\n地点：三号厅\n先写逻辑，再写语言。", 1),
        _chunk((*talk, "润色"), "Slides: pdf\nUse one term for one thing.", 5),
    ]
    query = Query("韩松讲了什么", "讲了什么", speaker="韩松", language="zh", overview=True)
    lines = compose_overview(query, [Hit(c, 1.0) for c in chunks]).text.split("\n")
    assert lines[1:] == ["- 先写逻辑，再写语言。 [1]", "- 润色：Use one term for one thing. [2]"]
    # A part with nothing to say is not counted: two parts, not three.
    bare = [_chunk(talk, "—韩松 MIT", 1), *chunks[1:], _chunk((*talk, "问答"), "Q&A", 9)]
    assert compose_overview(query, [Hit(c, 1.0) for c in bare]).text.split("\n")[0].endswith("共 2 部分：")
    # A sentence that names the speaker and says more is kept.
    kept = _chunk(talk, "韩松 argued that latency is the feedback.", 1)
    assert "argued" in compose_overview(query, [Hit(kept, 1.0)]).text


def test_a_talk_with_only_its_title_in_the_notes_is_answered_with_the_title():
    heading = _chunk(("Rust 与区块链",), "Rust 与区块链", 1, speaker="王伟")
    answer = compose_overview(
        Query("王伟讲了什么", "讲了什么", speaker="王伟", language="zh", overview=True), [Hit(heading, 1.0)]
    )
    assert not answer.abstained and [c.chunk.start for c in answer.citations] == [1]
    assert answer.text.split("\n")[1] == "- Rust 与区块链：笔记只记下了题目 [1]"


@pytest.mark.parametrize(
    ("topic", "rest", "event"),
    [
        ("在第五届 CSSConf 上都讲了些什么？", "都讲了些什么？", "第五届 CSSConf"),
        ("在 Respond 2016 第一天讲了什么？", "讲了什么？", "Respond 2016 第一天"),
        ("Summarize talk at QCon Guangzhou 2019.", "Summarize talk", "QCon Guangzhou 2019"),
        ("What did talk about at the Beijing Rust meetup?", "What did talk about ?", "Beijing Rust meetup"),
        ("What was session at PyCon about?", "What was session about?", "PyCon"),
    ],
)
def test_a_talk_placed_at_an_event_asks_for_the_talk(topic, rest, event):
    assert event_overview(topic) == (rest, event)


@pytest.mark.parametrize(
    "topic",
    [
        "在 Rust 唠嗑室讲了什么技术？",  # a topic beside the event
        "在 ECCV 预会议上讲了哪些量化训练的方法？",
        "What did say about caching at Google?",
        "What did talk about at scale?",  # no event: a lower-case word
        "讲了什么",  # no event at all
    ],
)
def test_a_topic_beside_or_without_an_event_is_no_placed_talk(topic):
    assert event_overview(topic) is None


@pytest.mark.parametrize(
    ("topic", "asked"),
    [
        ("是哪家单位的？他讲了什么？", True),  # one of two questions asks for the talk
        ("分享的主题是什么？作者为什么特别欣赏他？", True),
        ("What was talk about, and what did the writer say about his slides?", True),
        ("What did talk about at the Ruby meetup, and what else did he bring?", True),
        ("Which talk did give, and in which slots does it appear in the programme?", True),
        ("What did say about caching, and in which year?", False),
        ("What was talk about and why did the writer like it?", True),
        ("What did show in his lightning talk, and what can you do on that site?", True),
        ("在演讲里演示了什么？他写了哪个组件？", True),
        ("What paper did present and what does it do?", True),  # a reading group's talk is a paper
        ("What did say about the paper by Hinton, and why?", False),
        ("What did say about caching and why does it matter?", False),
        ("在第五届 CSSConf 上都讲了些什么？", True),
        ("在 jQuery UK 上主张些什么？", True),  # what the speaker stood for: the talk
        ("在 jQuery UK 上提出了哪些缓存方案？", False),
        ("What did say about caching, and why?", False),  # "and why" asks for no talk
        ("在 keynote 上问了观众什么问题？结果怎样？", False),
        ("What did say about pruning? What else did he say?", False),
    ],
)
def test_a_question_among_several_may_ask_for_the_talk(topic, asked):
    assert talk_asked(topic, known_event=lambda event: True) is asked


def test_a_talk_at_an_event_the_notes_do_not_know_is_no_talk_asked():
    assert not talk_asked("在 NeurIPS 上都讲了些什么？", known_event=lambda event: False)


def test_a_speakers_name_misspelt_by_one_letter_in_the_question_or_the_notes_is_the_speaker():
    query = analyze("What was Pavan Balaji's talk at HPC-China 2024 about?", ("Pavan Balaj", "Tom Wilkie"))
    assert query.speaker == "Pavan Balaj" and "Balaji" not in query.topic
    assert analyze("What did Tom Lane say?", ("Pavan Balaj", "Tom Wilkie")).speaker is None  # another name
    assert analyze("What did Tom Wilkies say?", ("Pavan Balaj", "Tom Wilkie")).speaker == "Tom Wilkie"


def test_a_person_gave_a_talk_only_where_a_sentence_naming_them_says_so():
    chunks = [
        Chunk(
            "a.md", "A", ("Day 1",), 1, 2, "As Jeff Dean said, scale matters. Go came from Rob Pike and Ken Thompson."
        ),
        Chunk("a.md", "A", ("Lightning",), 3, 4, "Then Bhasker Kode talked about instrumenting Go code."),
        Chunk("a.md", "A", ("Talks",), 5, 6, "vw + vh === vnice - Craig Sharkie, Front-end Developer"),
        Chunk("a.md", "A", ("Extra",), 7, 8, "我和 GitCafe 的 Kumalee 一起清点了礼品。然后是一丝的分享。"),
        Chunk("a.md", "A", ("Comics",), 9, 10, "- He had a talk at Google and got questions by Donald Knuth"),
        Chunk("a.md", "A", ("Watch",), 11, 12, "- Spectre: Secrets and Security - by Chandler Carruth"),
    ]
    mentions = Mentions(chunks)
    assert mentions.gave_talk("Bhasker Kode")
    assert mentions.gave_talk("Craig Sharkie")  # a name after a title and a dash
    assert mentions.gave_talk("一丝")
    assert not mentions.gave_talk("Jeff Dean")  # quoted
    assert not mentions.gave_talk("Ken Thompson")  # named as an author
    assert not mentions.gave_talk("Kumalee")  # the sentence with a talk in it does not name him
    assert not mentions.gave_talk("Donald Knuth")  # asked questions at someone's talk
    assert mentions.gave_talk("Chandler Carruth")


def test_mentions_find_a_name_in_any_form_and_mask_its_chunks():
    chunks = [
        Chunk("a.md", "A", ("Panel",), 1, 2, "As Jeff Dean said, scale matters."),
        Chunk("a.md", "A", ("Other",), 3, 4, "Nothing about him. 何恺明 was cited."),
    ]
    mentions = Mentions(chunks)
    assert mentions.find("Jeff Dean") == "jeff dean"
    assert mentions.find("Dean Jeff") == "jeff dean"  # either order
    assert mentions.find("Kaiming He") is None
    assert mentions.find("何恺明") == "何恺明"
    assert mentions.mask("Jeff Dean").tolist() == [True, False]
    assert mentions.find("Geoffrey Hinton") is None


def test_a_chinese_name_the_notes_only_mention_is_found_by_its_pinyin_either_way_round():
    from rag.glossary import pinyin_spellings

    chunks = [
        Chunk("a.md", "A", ("Keynote",), 1, 2, "Google 大中华区的总裁陈俊挺，说中文听起来怪怪的。"),
        Chunk("a.md", "A", ("Booths",), 3, 4, "展示区有很多 demo。"),
    ]
    spellings = pinyin_spellings(["陈俊挺", "总裁", "展示区"])
    mentions = Mentions(chunks, lambda pinyin: tuple(spellings.get(pinyin, ())))
    assert mentions.find("Chen Junting") == "陈俊挺"
    assert mentions.mask("Junting Chen").tolist() == [True, False]
    assert mentions.find("Zhan Shiqu") is None  # 展示区 spells no two-word name's pinyin
    assert Mentions(chunks).find("Chen Junting") is None  # without the notes' spellings, a stranger


def test_a_surname_alone_names_a_person_but_not_one_syllable_of_pinyin():
    chunks = [
        Chunk("a.md", "A", ("Storage",), 1, 2, "Hank Zhao showed the new battery stack."),
        Chunk("a.md", "A", ("Networks",), 3, 4, "赵静 Jing Zhao talked about network agents."),
        Chunk("a.md", "A", ("Panel",), 5, 6, "Bengio argued for bigger models."),
    ]
    mentions = Mentions(chunks)
    assert mentions.mask("Hank Zhao").tolist() == [True, False, False]  # not every Zhao
    assert mentions.mask("Samy Bengio").tolist() == [False, False, True]  # "Bengio" alone is still him


@pytest.mark.parametrize(
    ("topic", "terms"),
    [
        ("Zotero 怎么导入和管理参考文献？", ["Zotero"]),
        ("Who were the guests at the Pizza Party held by MiraclePlus (奇绩创坛)?", ["Pizza", "Party"]),  # glossed
        ("shell 脚本里怎么用 if 判断文件是否存在？", ["shell"]),  # every Latin word of a Chinese question but stopwords
        ("How does the Raft consensus algorithm elect a leader?", ["Raft"]),
        ("What is RLHF and why use k8s?", ["RLHF", "k8s"]),  # capitals or digits past the first letter
        ("Explain the main ideas of ResNet-50", ["ResNet-50"]),
        ("How do diffusion models generate images?", []),
        ("What did say about the talk?", []),
    ],
)
def test_named_terms_are_the_words_a_note_must_contain(topic, terms):
    assert named_terms(topic) == terms


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Tom say about Prometheus?", "Tom Wilkie"),
        ("What Did Karen Say", "Karen M. Sandler"),
        ("What did Tom Lane say about the planner?", None),  # another Tom
        ("What did Dan North say?", None),
    ],
)
def test_a_first_name_alone_names_its_one_speaker_but_not_another_person_of_that_name(question, speaker):
    assert analyze(question, ("Tom Wilkie", "Dan Kohn", "Karen M. Sandler")).speaker == speaker


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Web Unleashed 2019 的门票多少钱？", "price"),
        ("How much did a ticket to ffconf 2019 cost?", "price"),
        ("How much does a paid jOOQ license cost?", "price"),
        ("Smashing Meets Accessibility 是哪一天舉辦的？", "date"),
        ("When did Todd Parker say jQuery Mobile 2.0 would ship?", "date"),
        ("What is the lottery ticket hypothesis about?", None),
        ("How can an error budget decide whether to page someone or just open a ticket?", None),
        ("When is java.lang.OutOfMemoryError thrown?", None),  # when in another sense
        ("什么时候引用别人的话必须加引号？", None),
        ("参会费用是谁帮忙承担的？", None),
        ("How many people attended the meetup?", "headcount"),
        ("这次研讨会共有多少人参加？", "headcount"),
        ("How many layers does the network have?", "count"),  # the layers, with a number beside them
    ],
)
def test_a_question_asking_for_a_price_a_date_a_headcount_or_a_count(question, kind):
    assert answer_type(question) == kind


def test_what_gives_a_price_a_date_or_a_headcount():
    assert gives("price", "Tickets were $499.") and gives("price", "门票 299 元") and gives("price", "完全免费")
    assert not gives("price", "The conference had 700 people.")
    assert gives("date", "It ships on 12 March.") and gives("date", "2024年11月7日") and gives("date", "下周三发布")
    assert not gives("date", "coming soon in jQuery Mobile (1.1 ish)")
    assert gives("date", "2020年开始支持 3.0 版本") and not gives("date", "VALSE2020 的报告")
    assert gives("headcount", "a workshop where 25+ people learnt Go") and gives("headcount", "近千人参会")
    assert gives("headcount", "大约 300 多人") and not gives("headcount", "The model has 50 layers.")
    assert gives("headcount", "10 to 12 person groups") and not gives("headcount", "a 20% share")


def test_who_someone_is_is_asked_of_anyone_the_notes_name():
    from rag.question_kinds import asks_who

    assert asks_who("Who is Chen Junting and what did the writer remark about him?")
    assert asks_who("笔记里提到的张磊是做什么的？") and asks_who("张三是谁")
    assert not asks_who("What did Jane Roe talk about?")
    assert is_overview("Who is and what did the writer remark about him?")  # the sentences naming him answer


def test_an_english_question_with_a_chinese_name_in_brackets_is_answered_in_english():
    from rag.query import language_of

    assert language_of("Who were the guests at the Pizza Party held by MiraclePlus (奇绩创坛)?") == "en"
    assert language_of("Kubernetes 和 Docker Swarm 比较") == "zh"
    assert language_of("What did say about shortcut连接?") == "en"


def test_two_people_with_one_pinyin_resolve_the_same_way_in_every_process():
    # "Shen Xuelun" spells both 沈雪伦 and 沈雪仑: the one chosen must not depend on a set's order, which changes
    # with the process's hash seed.
    code = "from rag.query import Roster; print(Roster(['沈雪伦', '沈雪仑']).find('What did Shen Xuelun say?')[0])"
    found = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout.strip()
        for seed in range(6)
    }
    assert len(found) == 1, found


def test_a_titled_surname_two_speakers_share_is_no_stranger():
    question = "张老师讲连接池监控时是从什么故事讲起的？"
    shared = analyze(question, ["张鑫", "张惟师", "Jane Roe"])
    assert shared.unknown_person is None and shared.speaker is None  # one of them, the question does not say who
    assert analyze(question, ["张鑫", "Jane Roe"]).speaker == "张鑫"
    assert analyze(question, ["李卓桓", "Jane Roe"]).unknown_person == "张老师"
