"""Speakers in shapes found on blind sets of real notes by other authors (sets 28–31): an italic byline
followed by a link to the talk's video, two people in one byline, podcast `**Guest:**` labels, HackMD's
`[name=…]` author tags, an "Author:" sub-heading naming the tutorial above, whose talk a front-matter
description says the note is, Chinese recaps that name the speakers in turn ("首先, @handle", "然后, 温总以…介绍了")
and traditional-script prose. Small notes written for these tests, the negative cases beside them."""

from __future__ import annotations

import pytest

from rag.english_givers import whose_talk
from rag.heading_names import from_heading
from rag.labels import label
from rag.mentions import Mentions
from rag.notes import parse_note
from rag.prose_speakers import bold_opening, speaker_in_sentence
from rag.speakers import split_people
from rag.types import Chunk
from tests.test_recap_shapes import talks


def test_an_italic_byline_may_end_in_a_link_to_the_video_and_name_two_people():
    note = (
        "# Conference\n\n"
        "## Playing with Engineering\n_Ann Thomas_ [:video_camera:](https://example.com/v1)\n\n* play is social\n\n"
        "## A Meaningful Career\n_Taylor Poindexter and Scott Hanselman_ [:video_camera:](https://example.com/v2)\n\n"
        "* set long-term goals\n\n"
        "## Hallway\n_great coffee_ [:camera:](https://example.com/p)\n\n* people\n"
    )
    chunks = parse_note(note, "note.md").chunks
    people = {chunk.headings[-1]: chunk.people for chunk in chunks}
    assert people["Playing with Engineering"] == ("Ann Thomas",)
    assert people["A Meaningful Career"] == ("Taylor Poindexter", "Scott Hanselman")
    assert people["Hallway"] == ()


def test_a_lowercase_sentence_after_speaker_in_a_bullet_is_a_note_on_speaking_not_a_talk():
    note = "## Closing talk\n_Alex Miller_\n\n* every talk is a favorite\n* speaker: match expectations set in submission\n"
    assert talks(note) == [(1, "Alex Miller")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("**Guest:** Adrian Cockroft ", ("speaker", "Adrian Cockroft")),
        ("> [name=發表者 isabel, chihao]", ("speaker", "isabel, chihao")),
        ("- [name=Wei]", ("speaker", "Wei")),
        ("發表者：bruce", ("speaker", "bruce")),
        ("[name](https://example.com)", None),  # a link, not a tag
        ("Guests: 50 people came", None),  # a headcount names no one
    ],
)
def test_guest_labels_and_hackmd_name_tags(line, expected):
    assert label(line, str) == expected


def test_a_guest_label_and_a_name_tag_open_each_talk_and_a_headcount_names_no_one():
    note = (
        "### Episode 225 Systems Performance\n\n**Guest:** Brendan Gregg from Netflix\n\nThe USE method.\n\n"
        "## 蜂警區地圖\n> [name=發表者 deeper]\n- 地圖\n\n"
        "## Meetup\n\nGuests: 50 people came\n\nPizza.\n"
    )
    assert talks(note) == [(1, "Brendan Gregg"), (7, "deeper"), (11, None)]


def test_a_name_then_from_and_an_organisation_splits_but_an_organisation_of_a_place_does_not():
    assert split_people("Brendan Gregg from Netflix") == [("Brendan Gregg", "Netflix")]
    assert split_people("Jane Roe of Acme Labs") == [("Jane Roe", "Acme Labs")]
    assert split_people("Bank of America") == [("Bank of America", None)]


def test_an_author_heading_under_a_tutorial_names_the_tutorial_and_its_parts():
    note = (
        '# Tutorial "Introduction to MLOps"\n\n- Talk page: https://example.com\n\n'
        "#### Author:\n\n- Tobias Sterbak\n- example.com\n\n## Agenda\n\n- Tracking\n"
    )
    assert {chunk.speaker for chunk in parse_note(note, "note.md").chunks} == {"Tobias Sterbak"}


@pytest.mark.parametrize(
    ("description", "speaker"),
    [
        ("A comprehensive summary of Andrew Ng's talk at the 2016 Bay Area Deep Learning School", "Andrew Ng"),
        ("Notes on Jane Roe's keynote", "Jane Roe"),
        ("My favorite talks of the year", None),
        ("What I learned at PyCon's tutorial day", None),  # an event's, not a person's
    ],
)
def test_whose_talk_a_description_says(description, speaker):
    found = whose_talk(description)
    assert (found[0][0] if found else None) == speaker


def test_a_front_matter_description_names_the_speaker_of_a_note_that_names_no_one_else():
    note = (
        '---\ntitle: "Nuts and Bolts"\nexcerpt: "A summary of Andrew Ng\'s talk at the school"\n---\n\n'
        "Intro.\n\n### Trends\n\nAccording to Ng, data matters.\n"
    )
    assert {chunk.speaker for chunk in parse_note(note, "note.md").chunks} == {"Andrew Ng"}


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("首先, @龙泉寺扫地僧", "龙泉寺扫地僧"),
        ("最后是极简工程师 @金泽 分享自己独有的技术理解尝试:", "金泽"),
        ("然后, 温总以千锤百炼的语速介绍了 APISIX", "温总"),
        ("第一天最後是 Rust 核心成員 Steve Klabnik 帶來的 talk", "Steve Klabnik"),  # traditional script
        ("首先我们介绍了背景", None),  # a pronoun
        ("然后大家分享了经验", None),  # a common word
        ("最后张三以为是对的", None),  # 以为: thought, not presented
        ("然后, 联系 @support 即可", None),  # a handle, not next in turn
    ],
)
def test_chinese_recaps_name_the_speakers_in_turn_also_in_traditional_script(sentence, speaker):
    found = speaker_in_sentence(sentence)
    assert (found[0][0] if found else None) == speaker


def test_a_recap_of_talks_in_turn_by_handle_splits_its_section():
    note = (
        "## 内容:\n\n首先大妈主持开场。\n\n首先, @龙泉寺扫地僧\n\n汇报了 mini-blink 的成果。\n\n"
        "然后, 温总以很快的语速介绍了 APISIX\n\n- 开源两周\n\n最后是极简工程师 @金泽 分享自己的尝试:\n\n- Flutter\n"
    )
    assert talks(note) == [(1, None), (5, "龙泉寺扫地僧"), (9, "温总"), (13, "金泽")]


def test_a_link_after_at_the_opening_a_recap_is_the_event_not_its_speaker():
    note = (
        "Last weekend I was at the [Barcamp Oldenburg](http://example.org/). Sessions are pitched.\n\n"
        "## Sessions\n\nWe started with [Jane Roe](https://example.com/jane) presenting her work.\n"
    )
    assert talks(note) == [(1, None), (3, "Jane Roe")]


def test_a_bold_title_by_a_name_inside_a_paragraph_opens_that_persons_talk_but_a_bold_book_does_not():
    note = (
        "## Day 0\n\nThe first talk I attended was **A Flight Over the Landscape by Carson Anderson, Weave**. "
        "Carson gave an intro.\n\n"
        "I also enjoyed the session **Open Source Jobs by Clyde Seepersad** on hiring.\n\n"
        "## Day 1\n\nDuring the breaks I read **Dune by Frank Herbert** between talks.\n"
    )
    assert talks(note) == [(1, "Carson Anderson"), (5, "Clyde Seepersad"), (7, None)]


@pytest.mark.parametrize(
    ("heading", "speaker", "affiliation"),
    [
        ("Alizishaan Khatri @Kony Machine Learning Engineer", "Alizishaan Khatri", "Kony Machine Learning Engineer"),
        ("Nathan Cheever @AdvancedMD Ds", "Nathan Cheever", "AdvancedMD Ds"),
        ("Brad Miro @google", "Brad Miro", None),  # a handle, not an organisation
        ("James Meickle- KEYNOTE: Beyond Burnout", "James Meickle", "KEYNOTE: Beyond Burnout"),
        ("Jane Roe, jane@example.com", "Jane Roe", None),  # an e-mail address is no organisation
        ("Jane Roe - jane@example.com - Acme", "Jane Roe", "Acme"),
        ("Self- Supervised Learning", None, None),
        ("Deploying @Scale", None, None),
    ],
)
def test_heading_names_with_an_at_organisation_an_email_or_a_dash_glued_to_the_name(heading, speaker, affiliation):
    found = from_heading(heading)
    assert (found[0][0] if found else (None, None)) == (speaker, affiliation)


def test_a_heading_anchor_is_no_part_of_the_heading():
    note = "### Jane Roe - Change Management for Humans {#janeroechange}\n\nNotes.\n"
    chunk = parse_note(note, "note.md").chunks[0]
    assert chunk.headings == ("Jane Roe - Change Management for Humans",) and chunk.speaker == "Jane Roe"


def test_an_authors_column_beside_the_titles_names_each_talks_speaker():
    note = (
        "## The talks\n\n|Title | Author(s) | Why I watched|\n|:--|:--|:--|\n"
        "|The Dark Side of LLMs|Javan Rasokat|Coding with LLMs|\n|When Exploits Aren't Binary|Maddie Stone|0-days|\n"
    )
    assert talks(note) == [(1, None), (5, "Javan Rasokat"), (6, "Maddie Stone")]


def test_my_impressions_after_a_talk_are_of_that_talk_but_an_overall_summary_is_not():
    note = (
        "#Erica Baker - Diversity and Inclusion Keynote\n\nHer bio.\n\n#My Impressions\nErica spoke well.\n\n"
        "#Summary\nA good day.\n"
    )
    assert talks(note) == [(1, "Erica Baker"), (8, None)]


def test_a_person_gives_a_talk_with_a_bracketed_aside_before_the_verb_but_not_when_only_thanked():
    chunks = [
        Chunk("a.md", "A", (), 1, 2, "第一天最後是 Rust 核心成員 Steve Klabnik （共筆）帶來的 talk"),
        Chunk("a.md", "A", ("致謝",), 3, 4, "感謝 Jane Roe （志工）幫忙。"),
    ]
    mentions = Mentions(chunks)
    assert mentions.gave_talk("Steve Klabnik")
    assert not mentions.gave_talk("Jane Roe")


def test_a_programme_of_tab_separated_time_speaker_and_title_items_with_notes_under_each():
    note = (
        "## Session I\n"
        "- 8:00 - 8:12\tJustin Johnson\tEnd-to-End View Synthesis\n\t- one image\n\t- depth\n"
        "- 8:12 - 8:24\tAlex Schwing\tChirality Nets for Pose\n\t- UIUC\n"
        "- 8:24 - 8:36\tBreak\tCoffee and posters\n"
    )
    assert talks(note) == [(1, "Justin Johnson"), (5, "Alex Schwing"), (7, None)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- **A. Feder Cooper (Yale)** - “Machine Unlearning”", [("A. Feder Cooper", "Yale")]),
        ("- **Bill Marino (Cambridge)** - unlearning and regulation", [("Bill Marino", "Cambridge")]),
        ("**Machine Unlearning (MU)** - a topic", []),
        ("**Kubernetes (K8s)** - orchestration", []),
    ],
)
def test_a_bold_name_may_share_the_bold_with_its_organisation(line, expected):
    assert bold_opening(line) == expected


def test_headings_saying_who_gives_each_of_several_talks_after_a_role():
    note = (
        "# 容器技术沙龙\n\n五个话题。\n\n## 第一个话题的 Speaker 是 Kubernetes Maintainer 马达\n\n调度器。\n\n"
        "## 第二个话题的 Speaker 是搜狗大数据平台资深高级工程师申贤强\n\nDockerOnYarn。\n"
    )
    assert talks(note) == [(1, None), (5, "马达"), (9, "申贤强")]
    assert label("演讲人是来自百度的雷志兴", str) == ("speaker", "来自百度的雷志兴")


def test_list_items_of_notes_opening_on_talks_by_first_names_split_the_section():
    note = (
        "## Day One\n"
        "- Saw a talk by Adam on liquid tensors and the weight of holes in proofs.\n"
        "- A mathematician in rainbow shoes compared category theory to treacle.\n"
        "- Benedikt gave a talk on univalent foundations and the equivalence principle.\n"
        "- I LOVED John's talk on the history of HOL and the isoperimetric theorem.\n"
    )
    assert talks(note) == [(1, "Adam"), (4, "Benedikt"), (5, "John")]


def test_a_list_of_talks_to_watch_by_first_name_or_a_then_is_no_run_of_talks():
    watch = "## Watch\n- Talk by Adam\n- Talk by Benedikt\n"
    then = "## Day\n- Then gave a talk on how we met, a long story.\n- Some gave a talk on other things we saw.\n"
    assert talks(watch) == [(1, None)] and talks(then) == [(1, None)]


def test_the_one_person_a_talks_opening_links_to_their_profile_gives_it_but_not_one_of_two():
    note = (
        "## Keynote\n\nIntro.\n\n## Spotify's Culture of Failure\n\nYou have to clap for folks who talk about their "
        "mistakes: Spotify ([David Xia](https://twitter.com/davidxia_)), who had a segment on deleted clusters.\n\n"
        "## Tools\n\nThe tools came up twice.\n\nThey were written by [Jane Roe](https://github.com/jroe) and "
        "[John Smith](https://github.com/jsmith).\n"
    )
    assert talks(note) == [(1, None), (5, "David Xia"), (9, None)]
