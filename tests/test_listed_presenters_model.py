"""A keynote's notes that list all of its presenters up front, then give each part "(By Name)": asked what one
of them talked about, the answer is their part, not the whole keynote. With the real model."""

from __future__ import annotations

import pytest

from tests.conftest import index_of_notes

pytestmark = pytest.mark.model

KEYNOTE = """\
---
title: Developer Keynote
---

Presenters:
- Maria Rossi (CEO)
- Ken Tanaka (VP, Lens)
- Anna Novak (CEO, Video)

## 1. Review

Many products with many users each.

## 2. New products

### 2.1 Lens (By Ken Tanaka)

Point the camera at a flower and it names the flower.

### 2.2 Video (By Anna Novak)

Anyone can publish clips; viewing on TVs grew fast.
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory, real_embedder):
    return index_of_notes(tmp_path_factory, real_embedder, {"keynote.md": KEYNOTE})


def test_a_listed_presenter_s_overview_is_their_own_part(index):
    answer = index.ask("What did Anna Novak talk about?")
    assert not answer.abstained, answer.text
    assert {citation.chunk.headings[-1] for citation in answer.citations} == {"2.2 Video (By Anna Novak)"}


def test_a_presenter_with_no_part_of_their_own_still_gets_the_keynote(index):
    answer = index.ask("What did Maria Rossi talk about?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].chunk.headings == ()
