"""Speakers that trip reports name in English prose ("given by", "a tutorial from", "Jane Roe's talk"), notes
without headings whose talks are a title line over a name line, person lists after a label, role words after
a name, and a Chinese name before an unspaced hyphen. Small notes written for these tests."""

from __future__ import annotations

import pytest

from rag.heading_names import from_heading
from rag.notes import parse_note
from rag.prose_speakers import speaker_in_sentence
from rag.speakers import split_people


def speaker_at(text: str) -> dict[int, str | None]:
    """Every line a chunk covers → that chunk's speaker."""
    return {n: c.speaker for c in parse_note(text, "note.md").chunks for n in range(c.start, c.end + 1)}


@pytest.mark.parametrize(
    "sentence, people",
    [
        ("It was given by Marta Quinlan, a professor of linguistics at a big school.", ["Marta Quinlan"]),
        ("Another good talk is Fraud at scale given by Oskar Lindqvist from Acme.", ["Oskar Lindqvist"]),
        (
            "The next tutorial was a two-parter on Parsing from Dana Whitfield and Viktor Hale.",
            ["Dana Whitfield", "Viktor Hale"],
        ),
        ('Maria Lindgren\'s "Sensors in Health" was an interesting tale.', ["Maria Lindgren"]),
        ("They were eclipsed by Tomas Berg's talk on two hard problems.", ["Tomas Berg"]),
        ("The highlight was Elena Sorokina's presentation on the toy tasks.", ["Elena Sorokina"]),
        ("The first talk here is Licenses given by Hubber Priya Raman.", ["Priya Raman"]),
        ("Another talk by Marta Quinlan covered caching.", ["Marta Quinlan"]),
        ("Then Maria Lindgren gave a great talk on sensors.", ["Maria Lindgren"]),
        ("Unlike Tomas Berg, Oskar Lindqvist gave a short talk.", ["Oskar Lindqvist"]),
        ("I really enjoyed Tomas Berg's keynote on sorting.", ["Tomas Berg"]),
        ("The last talk I went to on Sunday was by Marta Quinlan on lying with charts.", ["Marta Quinlan"]),
        ("Then Oskar Lindqvist who I had met at dinner gave a talk on cheap microscopes.", ["Oskar Lindqvist"]),
        (
            "I meant to see a talk on data from PDFs but got a short talk from Maria Lindgren instead.",
            ["Maria Lindgren"],
        ),
        ('After lunch came a talk titled "Charts that lie" presented by Rafael. He is from Lisbon.', ["Rafael"]),
        ("I joined the docs club thanks to Maria Lindgren, who gave an inspiring talk.", ["Maria Lindgren"]),
        ("Another great two-part talk was Tomas Berg's about text, a deep dive.", ["Tomas Berg"]),
        ("That talk was by Yeray Díaz Díaz on dependency injection.", ["Yeray Díaz Díaz"]),
        ("The first talk I attended was on graph search by David R. Maciver (a regular).", ["David R. Maciver"]),
    ],
)
def test_english_prose_that_says_who_gives_the_talk(sentence, people):
    assert [name for name, _ in speaker_in_sentence(sentence)] == people


@pytest.mark.parametrize(
    "sentence",
    [
        "As Tomas Berg said, scale matters.",
        "The proof was given by Marta Quinlan in 1995.",  # given by, but no talk
        "We heard a talk from Northwind Research on graphs.",  # an organisation after "from"
        "Tomas Berg's paper on sorting is a classic.",  # a paper's author
        "The talk was about a paper by Tomas Berg on sorting.",
        "This builds on Maria Lindgren's work on sensors.",
        "Tomas Berg mentioned this work in his keynote.",
        "At lunch we discussed Tomas Berg's talk from the morning.",
        "Building on Tomas Berg's keynote, the panel argued about drift.",
        "A talk by Northwind Labs on scaling.",
        "I gave a talk on my project.",
        "Tomas Berg gave me a ride.",
        "The paper by Tomas Berg is a classic.",
        "The talk about the novel was inspired by Marta Quinlan.",  # by, but not who gave it
        "Everyone who knew Tomas Berg gave a toast.",
        "The keynote was given by Grace.",  # a first name that is an English word
        "The proof was given by Rafael.",  # given by, but no talk
    ],
)
def test_english_prose_that_names_no_speaker(sentence):
    assert speaker_in_sentence(sentence) == []


def test_talks_in_bold_given_by_someone_in_a_note_without_headings():
    note = (
        "I went to a conference last month and it was great.\n\n"
        "The first talk I liked is **Licenses for Everyone** given by Hubber [Priya Raman](https://example.org/p).\n"
        "Priya showed us why a license matters.\n\n"
        "Another good talk is **Fraud at Scale**\ngiven by Oskar Lindqvist from Acme. Oskar used forests.\n\n"
        "I also gave a short lightning talk on my summer project, which made me nervous.\n"
    )
    at = speaker_at(note)
    assert (at[1], at[3], at[7], at[9]) == (None, "Priya Raman", "Oskar Lindqvist", None)


def test_title_lines_over_name_lines_in_a_note_without_headings():
    note = (
        "Highlights:\n\n"
        "[Security on a Shoestring](https://example.org/v1)  \nKelsey Moreno-Hart  \nGreat talk on security.\n\n"
        "[Teaching the Hard Parts](https://example.org/v2)  \nDana Whitfield (Acme)  \nI loved this one.\n\n"
        "[Removing the Lock](https://example.org/v3)  \nViktor Hale  \nWatch it.\n"
    )
    at = speaker_at(note)
    assert (at[1], at[5], at[9], at[13]) == (None, "Kelsey Moreno-Hart", "Dana Whitfield", "Viktor Hale")


def test_bold_title_lines_over_name_lines():
    note = (
        "Highlights:\n\n"
        "**Security on a Shoestring**  \nKelsey Moreno-Hart  \nGreat talk on security.\n\n"
        "**Teaching the Hard Parts**  \nMarta Quinlan (Acme)  \nI loved this one.\n\n"
        "**Removing the Lock**  \nGreat talk, watch it.  \nReally.\n"
    )
    at = speaker_at(note)
    assert (at[1], at[4], at[8], at[12]) == (None, "Kelsey Moreno-Hart", "Marta Quinlan", None)


def test_title_lines_over_sentences_name_no_one():
    note = (
        "[Security on a Shoestring](https://example.org/v1)  \nGreat talk, watch it.  \n\n"
        "[Teaching the Hard Parts](https://example.org/v2)  \nI loved this one.\n"
    )
    assert set(speaker_at(note).values()) == {None}


def test_one_title_over_a_name_is_no_programme():
    note = "[Security on a Shoestring](https://example.org/v1)  \nKelsey Moreno-Hart  \nGreat talk.\n"
    assert set(speaker_at(note).values()) == {None}


def test_a_keynote_sub_section_under_a_section_of_keynotes_has_its_own_speaker():
    note = (
        "## Keynotes\n\n"
        'Maria Lindgren\'s "Sensors in Health" was about trials.\n\n'
        'Tomas Berg\'s "Networks at Large" was about graphs.\n\n'
        "### Two Hard Problems\n\n"
        "Both were eclipsed by Elena Sorokina's talk on two hard problems. The first is drift.\n"
    )
    at = speaker_at(note)
    assert (at[3], at[5], at[9]) == ("Maria Lindgren", "Tomas Berg", "Elena Sorokina")


def test_a_sentence_citing_a_person_in_a_sub_section_names_no_one():
    note = (
        "## Keynotes\n\n"
        'Maria Lindgren\'s "Sensors in Health" was about trials.\n\n'
        'Tomas Berg\'s "Networks at Large" was about graphs.\n\n'
        "### Notes\n\n"
        "As Elena Sorokina said, drift is everywhere.\n"
    )
    assert speaker_at(note)[9] == "Tomas Berg"  # the talk in effect, not the person cited


def test_a_comma_list_of_people_with_organisations_keeps_everyone():
    # 李开复 and 高文 are dictionary words; their (Org) says they are people here.
    people = split_people("姚期智 (清华大学), Alex Wolf (某大学), 高文 (北京大学), 李开复 (创新工场)")
    assert [name for name, _ in people] == ["姚期智", "Alex Wolf", "高文", "李开复"]


def test_role_words_after_a_name_stay_its_roles():
    assert split_people("陈立平，独立研究员、顾问") == [("陈立平", "独立研究员、顾问")]
    assert [n for n, _ in split_people("张三（清华）、李四")] == ["张三", "李四"]


def test_a_panel_label_lists_guests_and_its_host_is_not_the_speaker():
    note = "## 圆桌论坛\n\n主持人: 李向阳 (某大学)\n\n嘉宾: 高文 (北京大学), 李开复 (创新工场), 李向阳 (某大学)\n\n讨论了很多。\n"
    chunk = parse_note(note, "note.md").chunks[0]
    assert chunk.speaker == "高文" and set(chunk.people) == {"高文", "李开复", "李向阳"}


@pytest.mark.parametrize("heading, person", [("李开复-AI", "李开复"), ("王井东-HRNet", "王井东")])
def test_a_chinese_name_before_an_unspaced_hyphen(heading, person):
    found = from_heading(heading)
    assert found and found[0][0][0] == person


@pytest.mark.parametrize(
    "heading", ["HRNet-高分辨率", "模型压缩", "HRNet：高分辨率网络", "顾问-职责", "微服务-架构", "结论-展望"]
)
def test_headings_with_an_unspaced_hyphen_that_name_no_one(heading):
    assert from_heading(heading) is None


def test_a_write_up_opening_on_its_speakers_page_or_handle_names_the_speaker():
    note = (
        "# Fest\n\n## Day one\n\n### Peer-to-peer apps\nrating: 4 stars\n\n"
        "[Nora Lindqvist](https://twitter.com/noral), a great talk on local-first sync.\n\n"
        "### HTTP/2 push\n\nOwen Hartley [@ohartley](https://twitter.com/ohartley), resource loading is hard.\n\n"
        "### A real PWA\n\nPaula Brennan, [@pbrennan](https://twitter.com/pbrennan) started with a story.\n\n"
        "### Kubernetes\n\n[Kubernetes](https://k8s.io), the orchestrator, got a new release.\n\n"
        "### Wrap-up\n\nWe had fun.\n\nThird.\n\n[Nora Lindqvist](https://twitter.com/noral), thanks again.\n"
    )
    found = speaker_at(note)
    assert [found[n] for n in (8, 12, 16, 20, 24)] == ["Nora Lindqvist", "Owen Hartley", "Paula Brennan", None, None]


@pytest.mark.parametrize(
    ("sentence", "person"),
    [
        ("某社区 SIG Maintainer 祁文远分享了框架的发展。", "祁文远"),  # a Latin role delimits the name
        ("SIG Committer 靳海波围绕当前的显示协议进行讲解。", "靳海波"),
        ("开发工程师邬思敏带大家回顾了框架的演进历史。", "邬思敏"),
    ],
)
def test_chinese_write_ups_that_say_who_gives_the_talk(sentence, person):
    assert speaker_in_sentence(sentence) == [(person, None)]


@pytest.mark.parametrize(
    "sentence",
    ["AWS 高级带来了新的功能。", "这个项目围绕数据安全进行讲解。", "他带大家回顾了历史。", "Cloud 高性能带来了收益。"],
)
def test_chinese_write_ups_that_name_no_one(sentence):
    assert speaker_in_sentence(sentence) == []


def test_list_items_opening_with_a_bold_title_are_talks_each_of_the_name_after_it():
    note = (
        "# Trip\n\n## Talks I saw\n\nA sampling of what I liked.\n\n"
        "* **Unsafe Defaults** Marta Quinlan made good points about library defaults.\n\n"
        "* **Shaping Things** Oskar Lindqvist's keynote was about ethics.\n\n"
        "* **Seven Wastes** A fun talk on lean software.\n\n"
        "* **Docs Matter** I joined the docs club thanks to Paula Brennan, who gave a fine talk on it.\n\n"
        "## Swag\n\nSocks.\n"
    )
    found = speaker_at(note)
    assert [found[n] for n in (5, 7, 9, 11, 13, 17)] == [
        None,
        "Marta Quinlan",
        "Oskar Lindqvist",
        None,
        "Paula Brennan",
        None,
    ]
    # One bold-titled item naming someone is no run of talks: a list of reading, say.
    one = "# Trip\n\n## Reading\n\n* **Unsafe Defaults** Marta Quinlan wrote it.\n\n* **Lean** A book.\n"
    assert set(speaker_at(one).values()) == {None}


def test_numbered_items_opening_with_a_linked_title_or_a_talk_word_are_talks_each():
    note = (
        "# Conf\n\n## Day 2\n\nTalks I went to:\n\n"
        "1. [Keynote by Marta Quinlan](https://example.org/1) An interesting talk about community.\n"
        "2. [Ruby in government](https://example.org/2) A good talk.\n"
        "3. [Heaps of memory](https://example.org/3) Oskar Lindqvist is a core developer and makes puns.\n"
        "4. Keynote- Unlearning by Paula Brennan - learning never ends.\n"
    )
    found = speaker_at(note)
    assert [found[n] for n in (5, 7, 8, 9, 10)] == [None, "Marta Quinlan", None, "Oskar Lindqvist", "Paula Brennan"]
    # A list of links to read names no talks, however many it has.
    reading = (
        "# Links\n\n## To watch\n\n1. [Heaps](https://example.org/a) by Oskar Lindqvist\n"
        "2. [Docs](https://example.org/b) - by Marta Quinlan\n3. Keynote by Paula Brennan\n"
    )
    assert set(speaker_at(reading).values()) == {None}


def test_a_heading_with_reference_style_links_names_its_speakers_all_of_them():
    note = (
        "# Conf\n\n## Async in depth - [Marta Quinlan][1] 🌟\n\nNotes.\n\n"
        "## Matching apps - Oskar Lindqvist, Paula Brennan, Tomas Berg\n\nNotes.\n\n"
        "## Firebase - Dana Whitfield, Charlotte Liang\n\nNotes.\n\n"
        "## Linux memory - Maria Lindgren, Red Hat\n\nNotes.\n\n"
        "A matrix a[i][j] stays code.\n\n[1]: https://example.org/marta\n"
    )
    chunks = {c.headings[-1]: c for c in parse_note(note, "n.md").chunks}
    assert chunks["Async in depth - Marta Quinlan 🌟"].speaker == "Marta Quinlan"
    assert chunks["Matching apps - Oskar Lindqvist, Paula Brennan, Tomas Berg"].people == (
        "Oskar Lindqvist",
        "Paula Brennan",
        "Tomas Berg",
    )
    assert chunks["Firebase - Dana Whitfield, Charlotte Liang"].people == ("Dana Whitfield", "Charlotte Liang")
    assert chunks["Linux memory - Maria Lindgren, Red Hat"].people == ("Maria Lindgren",)  # Red Hat: where she works
    assert "a[i][j]" in next(c.text for c in parse_note(note, "n.md").chunks if "matrix" in c.text)


@pytest.mark.parametrize(
    ("heading", "text", "person"),
    [
        ("永旺", "永旺老师分享的主题是《程序员活命指南》。", "永旺"),
        ("狼叔", "狼叔压轴出场，分享的主题是《独立开发》。", "狼叔"),
        ("Trent", "Trent talked about the Phoenix Project.", "Trent"),
        ("总结", "总结一下今天的内容。", None),  # the text opens on the heading, but no talk is given
        ("开源项目", "开源项目分享了很多经验。", None),  # too long for a nickname
        ("项目", "项目介绍了三个模块。", None),  # a common word
    ],
)
def test_a_short_heading_its_text_opens_on_as_who_gives_the_talk(heading, text, person):
    note = f"# 活动\n\n## {heading}\n\n{text}\n\n## 其他\n\n内容。\n"
    assert speaker_at(note)[5] == person


def test_a_heading_that_is_only_a_profile_link_names_the_person_the_note_lists_for_it():
    note = (
        "# Seminar\n\n## Details\n\n- Marta Quinlan - Research Engineer\n- Oskar Lindqvist - Professor\n\n"
        "## Speakers\n\n### https://twitter.com/martaevelyn\n\nSlides here.\n\n"
        "### https://twitter.com/OskarLindqvist\n\nGreat points.\n\n### https://twitter.com/someoneelse\n\nMore.\n"
    )
    chunks = {c.headings[-1]: c.speaker for c in parse_note(note, "n.md").chunks}
    assert chunks["https://twitter.com/martaevelyn"] == "Marta Quinlan"  # the handle holds her first name
    assert chunks["https://twitter.com/OskarLindqvist"] == "Oskar Lindqvist"
    assert chunks["https://twitter.com/someoneelse"] == "@someoneelse"  # no one the note lists


def test_one_named_talk_among_three_noted_talk_items_is_its_own_talk():
    note = (
        "# Conf\n\n## Day 1\n\n1. Keynote by Marta Quinlan [video](https://example.org/v) She spoke about care.\n"
        "2. [Games developers play](https://example.org/2) A fun talk about games.\n"
        "3. [Uncoupling systems](https://example.org/3) Good ideas on queues here.\n"
    )
    found = speaker_at(note)
    assert [found[n] for n in (5, 6, 7)] == ["Marta Quinlan", None, None]


def test_a_clear_name_closing_a_title_and_subtitle_is_the_speaker():
    found = from_heading("Tell Me Moreno - Implementing Feature Flags - Paula Brennan")
    assert found == ([("Paula Brennan", None)], "Tell Me Moreno")
    assert from_heading("Jane Roe - Principal Engineer - Acme") == ([("Jane Roe", "Principal Engineer - Acme")], "")
