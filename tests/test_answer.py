"""Composing the answer from hits (rag/answer.py): pure, no model and no index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answer import compose, hit_scores, match
from rag.question_kinds import answer_type
from rag.types import Chunk, Hit, Query

THRESHOLD = 1.0


def tokenize(text: str) -> list[str]:
    return text.lower().split()


def chunk(heading: str, text: str, images: tuple[str, ...] = ()) -> Chunk:
    return Chunk(
        file="talk.md",
        title="Talk",
        headings=("1. Talk", heading),
        start=1,
        end=2,
        text=text,
        speaker="Ada",
        images=images,
    )


def test_closest_sections_of_an_abstention_are_in_score_order():
    # Fused rank (the order of hits) and relevance (what the score shows) disagree, as they often do.
    hits = [
        Hit(chunk("A", "alpha"), score=0.05, relevance=0.4),
        Hit(chunk("B", "beta"), score=0.04, relevance=0.1),
        Hit(chunk("C", "gamma"), score=0.03, relevance=0.7),
    ]
    answer = compose(Query("pizza?", "pizza"), hits, ["pizza"], tokenize, THRESHOLD)
    assert answer.abstained
    assert [c.chunk.headings[-1] for c in answer.citations] == ["C", "A", "B"]
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert [round(c.score, 4) for c in answer.citations] == [round(match(r, THRESHOLD), 4) for r in (0.7, 0.4, 0.1)]


def test_the_sections_of_a_talk_asked_for_score_one_wherever_they_are_shown():
    # "What else did he say?": the speaker carried over and no topic; the talk's sections have no relevance.
    query = Query("what else did he say?", "", speaker="Ada", carried_over=True)
    hits = [Hit(chunk("A", "alpha first."), score=0.5), Hit(chunk("B", "beta second."), score=0.3)]
    answer = compose(query, hits, [], tokenize, THRESHOLD)
    assert not answer.abstained and [c.score for c in answer.citations] == [1.0, 1.0]
    assert hit_scores(query, hits, [], THRESHOLD) == [1.0, 1.0]


def test_a_section_of_only_slides_is_described_in_the_answers_language():
    slides = chunk("Related Works", "Related Works", images=("/images/a.png",))
    hits = [Hit(slides, score=0.05, relevance=2.0)]
    chinese = compose(Query("相关工作", "Related Works", language="zh"), hits, ["related"], tokenize, THRESHOLD)
    assert chinese.text.splitlines()[1] == "- 「Related Works」（1 张幻灯片，没有文字笔记） [1]"
    english = compose(Query("related works", "Related Works"), hits, ["related"], tokenize, THRESHOLD)
    assert english.text.splitlines()[1] == "- “Related Works” (1 slide, no written notes) [1]"


def test_a_section_of_only_a_heading_says_so_in_words_not_zero_slides():
    heading = chunk("Future Work", "Future Work")
    hits = [Hit(heading, score=0.05, relevance=2.0)]
    english = compose(Query("future work", "Future Work"), hits, ["future"], tokenize, THRESHOLD)
    assert english.text.splitlines()[1] == "- “Future Work” (the notes record only this heading) [1]"
    chinese = compose(Query("未来工作", "Future Work", language="zh"), hits, ["future"], tokenize, THRESHOLD)
    assert chinese.text.splitlines()[1] == "- 「Future Work」（笔记只记下了这个标题） [1]"


def test_a_slide_line_cut_off_mid_sentence_is_quoted_with_the_statement_that_finishes_it():
    text = "\n".join(
        [
            "The Essence of Search",
            "An extreme case: search collapse, in which all",
            "edges in the super-network are dominated by",
            "0.00",
            "96.0",
            "skip-connect, a weak operator, yet accuracy stays high",
            "Current solution: early termination of the search",
        ]
    )
    slide = Chunk("talk.md", "Talk", ("1. Talk", "Search"), 1, 2, text, "Ada", images=("/s.png",), slide="/s.png")
    answer = compose(Query("collapse", "collapse"), [Hit(slide, score=0.5, relevance=2.0)], ["collapse"], tokenize, 1.0)
    quoted = answer.text.splitlines()
    cut = next(n for n, line in enumerate(quoted) if line.startswith("- “edges in the super-network are dominated by”"))
    assert quoted[cut + 1].startswith("- “skip-connect, a weak operator") and "0.00" not in answer.text, answer.text


def slide_of(heading: str, text: str, image: str, images: tuple[str, ...] = ("/a.png", "/b.png", "/c.png")) -> Chunk:
    return Chunk("talk.md", "Talk", ("1. Talk", heading), 1, 2, text, "Ada", images=images, slide=image)


def test_a_section_is_quoted_from_its_slide_that_answers_most_strongly_not_the_first_ranked():
    # The ranking puts the section's title slide first; its sibling further down has the asked words.
    title = slide_of("Kites", "Kites and wind\nA short history of kites", "/a.png")
    answer_slide = slide_of("Kites", "Why kites fly\nLift comes from wind pressure on the sail", "/b.png")
    other = chunk("Boats", "Boats fly sails as kites do.")
    weak = chunk("Birds", "Birds fly.")
    hits = [
        Hit(title, score=0.9, relevance=1.2),
        Hit(other, score=0.8, relevance=1.1),
        Hit(weak, score=0.7, relevance=0.5),  # below the threshold: cites nothing
        Hit(answer_slide, score=0.1, relevance=1.9),  # fourth: beyond the sources an answer cites
    ]
    answer = compose(Query("why do kites fly", "why do kites fly"), hits, ["kites", "fly"], tokenize, THRESHOLD)
    assert answer.citations[0].chunk.slide == "/b.png", answer.text
    assert answer.citations[0].score > match(1.5, THRESHOLD)  # the score shown is the slide's own
    assert "Lift comes from wind pressure" in answer.text
    # The section keeps its place among the sections; the hits themselves keep their order.
    assert answer.citations[1].chunk is other and answer.hits[0].chunk is title


def test_each_covering_slide_of_a_section_is_a_different_one_strongest_first():
    first = slide_of("Kites", "Kites\nkites are old", "/a.png")
    second = slide_of("Kites", "Kites fly\nkites fly on wind", "/b.png")
    hits = [Hit(first, score=0.9, relevance=1.2), Hit(second, score=0.8, relevance=1.6)]
    answer = compose(Query("kites fly", "kites fly"), hits, ["kites", "fly"], tokenize, THRESHOLD)
    assert [c.chunk.slide for c in answer.citations] == ["/b.png", "/a.png"], answer.text


def test_a_line_repeated_on_the_next_slide_is_quoted_once():
    # Slides built up one step at a time repeat their lines; the second source quotes what it adds.
    build_one = slide_of("Kites", "Box kites\nbox kites carry weather instruments", "/a.png")
    build_two = slide_of("Kites", "Box kites\nbox kites carry weather instruments\nbox kites flew in 1893", "/b.png")
    hits = [Hit(build_two, score=0.9, relevance=1.6), Hit(build_one, score=0.8, relevance=1.5)]
    answer = compose(Query("box kites", "box kites"), hits, ["box", "kites"], tokenize, THRESHOLD)
    lines = answer.text.splitlines()[1:]
    assert sum("carry weather instruments" in line for line in lines) == 1, answer.text
    assert sum("Box kites”" in line for line in lines) == 1, answer.text


def test_a_price_or_a_date_the_covering_sections_do_not_give_is_not_answered():
    about = [Hit(chunk("Opening", "Web Unleashed opened with a talk on design systems."), score=0.5, relevance=1.5)]
    asked = Query(
        "Web Unleashed 2019 的门票多少钱？", "Web Unleashed 2019 的门票多少钱？", language="zh", asks_for="price"
    )
    answer = compose(asked, about, ["web", "unleashed", "门票"], tokenize, THRESHOLD)
    assert answer.abstained and "没有给出价格" in answer.text
    priced = [Hit(chunk("Tickets", "Tickets cost $499 for both days."), score=0.5, relevance=1.5)]
    assert not compose(asked, priced, ["web", "unleashed", "门票"], tokenize, THRESHOLD).abstained
    dated = Query("When did Ada say 2.0 would ship?", "When did say 2.0 would ship?", asks_for="date")
    answer = compose(dated, about, ["2.0", "ship"], tokenize, THRESHOLD)
    assert answer.abstained and "give no date" in answer.text


def test_a_headcount_in_the_next_chunk_of_a_covering_section_answers_but_not_one_from_another_section():
    workshop = chunk("Day one", "The first day was a Go workshop for newcomers.")
    count = replace(chunk("Day one", "Some 25+ people learnt Go there."), start=9, end=9)
    elsewhere = chunk("Party", "About 300 people came to the party.")
    asked = Query(
        "How many people came to the workshop?", "How many people came to the workshop?", asks_for="headcount"
    )
    hits = [Hit(workshop, score=0.9, relevance=1.5), Hit(count, score=0.5, relevance=0.5)]
    answer = compose(asked, hits, ["people", "workshop"], tokenize, THRESHOLD)
    assert not answer.abstained and "25+ people" in answer.text
    # The chunk with the number may rank below other sections' chunks: it still answers, from its section.
    others = [Hit(replace(elsewhere, text=f"Talk {n} on Go."), score=0.6, relevance=0.6) for n in range(4)]
    answer = compose(asked, [hits[0], *others, hits[1]], ["people", "workshop"], tokenize, THRESHOLD)
    assert not answer.abstained and "25+ people" in answer.text
    hits = [Hit(workshop, score=0.9, relevance=1.5), Hit(elsewhere, score=0.5, relevance=0.5)]
    answer = compose(asked, hits, ["people", "workshop"], tokenize, THRESHOLD)
    assert answer.abstained and "give no number of people" in answer.text


def test_a_count_of_things_the_covering_sections_name_without_a_number_is_not_answered():
    about = [Hit(chunk("Tips", "We run Lambda functions for every part of the business."), score=0.5, relevance=1.5)]
    question = "How many Lambda functions does A Cloud Guru run?"
    asked = Query(question, question, asks_for=answer_type(question))
    answer = compose(asked, about, ["lambda", "functions", "cloud", "guru"], tokenize, THRESHOLD)
    assert answer.abstained and "give no number" in answer.text
    counted = [Hit(chunk("Tips", "They run some 400 Lambda functions in production."), score=0.5, relevance=1.5)]
    assert not compose(asked, counted, ["lambda", "functions", "cloud", "guru"], tokenize, THRESHOLD).abstained
    # Notes in the other language do not name the thing as asked: not judged.
    chinese = [Hit(chunk("技巧", "他们在生产环境里运行 Lambda 函数。"), score=0.5, relevance=1.5)]
    assert not compose(asked, chinese, ["lambda", "functions", "cloud", "guru"], tokenize, THRESHOLD).abstained


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many Lambda functions does it run?", "count"),
        ("石继志的公司一共有多少名员工？", "count"),
        ("How many people attended?", "headcount"),
        ("MAE 的遮挡比例多少最好？", None),
        ("Why are connected devices risky?", None),
    ],
)
def test_what_a_question_asks_to_count(question, kind):
    assert answer_type(question) == kind
