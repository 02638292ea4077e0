"""Index build, store and query plumbing, with a fake embedder (the model is not the point here)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from fakes import FakeEmbedder

import rag
from rag import api, cli, store
from rag.retrieve import Retriever

DATA = Path(__file__).resolve().parent.parent / "data"
FAKE = rag.Settings(model="fake-bigrams", min_relevance=0.2)


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def built(notes, tmp_path):
    embedder = FakeEmbedder()
    report = rag.build_index(notes, tmp_path / "index", FAKE, embedder=embedder)
    return report, embedder, tmp_path / "index"


def test_build_reports_counts(built):
    report, embedder, _ = built
    assert (report.notes, report.chunks, report.speakers) == (2, 39, 5)
    assert report.embedded == embedder.encoded == 39
    assert set(report.added) == {"valse2020-annual-review-1.md", "valse2020-network-architecture.md"}


def test_save_load_gives_same_hits(built, notes):
    _, embedder, index_dir = built
    first = rag.open_index(index_dir, FAKE, embedder=embedder)
    again = rag.open_index(index_dir, FAKE, embedder=embedder)
    for question in ["shortcut 连接", "HRNet repeated fusion", "元学习"]:
        assert [h.chunk for h in first.search(question, k=5)] == [h.chunk for h in again.search(question, k=5)]
    parsed = [c for f in sorted(notes.glob("*.md")) for c in rag.notes.parse_note(f.read_text(), f.name).chunks]
    assert first.chunks == parsed


def test_no_change_reindex_does_nothing_and_one_change_reembeds_one_note(built, notes):
    _, embedder, index_dir = built
    again = rag.build_index(notes, index_dir, FAKE, embedder=embedder)
    assert again.up_to_date and embedder.encoded == 39
    note = notes / "valse2020-annual-review-1.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n# 新章节\n\n新的内容。\n", encoding="utf-8")
    changed = rag.build_index(notes, index_dir, FAKE, embedder=embedder)
    assert changed.changed == ("valse2020-annual-review-1.md",)
    assert changed.embedded == 13  # the changed note's chunks only (12 + the new section)
    (notes / "valse2020-network-architecture.md").unlink()
    removed = rag.build_index(notes, index_dir, FAKE, embedder=embedder)
    assert removed.removed == ("valse2020-network-architecture.md",) and removed.embedded == 0
    index = rag.open_index(index_dir, FAKE, embedder=embedder)
    assert {c.file for c in index.chunks} == {"valse2020-annual-review-1.md"}
    # Reused vectors are the very vectors a fresh build computes.
    fresh = rag.build_index(notes, index_dir, FAKE, embedder=embedder, full=True)
    assert fresh.rebuilt_because == "--full"
    assert np.allclose(
        store.stored_vectors(rag.open_index(index_dir, FAKE, embedder).retriever.vectors),
        store.stored_vectors(index.retriever.vectors),
    )


def test_new_parser_code_parses_again_and_embeds_only_what_changed(built, notes, monkeypatch):
    _, embedder, index_dir = built
    assert store.read_manifest(index_dir)["code"] == api.code_fingerprint()
    monkeypatch.setattr(api, "code_fingerprint", lambda: "another parser")
    upgraded = rag.build_index(notes, index_dir, FAKE, embedder=embedder)
    # Parsed again and written with the new code's tokens, but no chunk's text changed: nothing embedded.
    assert not upgraded.up_to_date and upgraded.embedded == 0 and embedder.encoded == 39
    assert store.read_manifest(index_dir)["code"] == "another parser"
    assert rag.build_index(notes, index_dir, FAKE, embedder=embedder).up_to_date  # and then it is current


def test_model_change_rebuilds_everything(built, notes):
    _, embedder, index_dir = built
    other = rag.Settings(model="another-model")
    embedder.model_id = "another-model"
    report = rag.build_index(notes, index_dir, other, embedder=embedder)
    assert report.rebuilt_because == "model changed (fake-bigrams → another-model)"
    assert report.embedded == 39


def test_missing_and_damaged_index_give_one_line_errors(built, tmp_path):
    _, _, index_dir = built
    with pytest.raises(rag.IndexNotFound, match="run `rag index` first"):
        rag.open_index(tmp_path / "nowhere")
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    chunks_file = generation / "chunks.jsonl"
    chunks_file.write_text(chunks_file.read_text(encoding="utf-8")[:-100], encoding="utf-8")
    with pytest.raises(rag.IndexCorrupt, match=r"rag index --full") as error:
        rag.open_index(index_dir)
    assert "\n" not in str(error.value)


def test_empty_notes_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(rag.NotesError, match="no note"):
        rag.build_index(tmp_path / "empty", tmp_path / "index", FAKE, embedder=FakeEmbedder())


def test_filters_restrict_retrieval(built):
    _, embedder, index_dir = built
    index = rag.open_index(index_dir, FAKE, embedder=embedder)
    assert index.speakers == ["冯佳时", "李国齐", "王井东", "谢凌曦", "韩松"]
    hits = index.search("architecture search", k=10, speaker="谢凌曦")
    assert hits and {h.chunk.speaker for h in hits} == {"谢凌曦"}
    hits = index.search("learning", k=10, note="valse2020-annual-review-1.md")
    assert hits and {h.chunk.file for h in hits} == {"valse2020-annual-review-1.md"}


def test_an_english_word_meets_the_chinese_word_the_notes_use(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# 工具\n\n初创公司可以先用托管服务。\n\n# 写作\n\n投稿前请同事帮忙润色。\n")
    embedder = FakeEmbedder()
    rag.build_index(notes, tmp_path / "index", FAKE, embedder=embedder)
    index = rag.open_index(tmp_path / "index", FAKE, embedder=embedder)
    # The dictionary glosses "service" as 劳务, 勤务, 乘务 before 服务: the word the notes use is the one that
    # finds them. It lists "polish", not "polishing".
    for question, heading in (("managed services", "工具"), ("polishing", "写作")):
        hit = index.search(question, k=1)[0]
        assert (hit.chunk.headings[-1], hit.keyword is not None) == (heading, True)


def test_a_question_about_a_term_no_note_mentions_abstains_and_says_so(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# 数据库\n\nPostgreSQL 的 REST API 版本号放在 URL 里。\n\n# 文献\n\n中文学术平台有知网和万方。\n"
    )
    embedder = FakeEmbedder()
    rag.build_index(notes, tmp_path / "index", FAKE, embedder=embedder)
    index = rag.open_index(tmp_path / "index", FAKE, embedder=embedder)
    answer = index.ask("Zotero 怎么导入文献？")
    assert (answer.abstained, answer.query.unknown_term) == (True, "Zotero")
    assert answer.text.startswith("笔记中没有提到 Zotero")
    english = index.ask("How do Kubernetes pods get scheduled?")
    assert english.query.unknown_term == "Kubernetes" and english.text.startswith("The notes never mention Kubernetes")
    # A term the notes write longer, an ordinary word capitalised, a missing term beside one the notes have.
    for question in ("Where does Postgres put the API version?", "Which Chinese platforms exist?", "REST 和 GraphQL"):
        assert index.understand(question).unknown_term is None, question


def test_named_speaker_restricts_to_their_talk(built):
    _, embedder, index_dir = built
    index = rag.open_index(index_dir, FAKE, embedder=embedder)
    for question in ["what did 冯佳时 say about shortcuts", "What did Jiashi Feng say about shortcut connections?"]:
        answer = index.ask(question)
        assert answer.query.speaker == "冯佳时"
        assert not answer.abstained
        assert answer.citations[0].chunk.headings[-1] == "3.1 MobileNeXt: Bottleneck 模块的修改"
        assert all(c.chunk.speaker == "冯佳时" for c in answer.citations)


def test_invalid_questions(built):
    _, embedder, index_dir = built
    index = rag.open_index(index_dir, FAKE, embedder=embedder)
    with pytest.raises(rag.InvalidQuestion, match="type a question"):
        index.ask("   ")
    with pytest.raises(rag.InvalidQuestion, match="1000 characters"):
        index.ask("why " * 400)


def test_fusion_matches_brute_force_reciprocal_rank(built):
    _, embedder, index_dir = built
    index = rag.open_index(index_dir, FAKE, embedder=embedder)
    retriever: Retriever = index.retriever
    vector = embedder.encode_queries(["latency feedback NAS"])[0]
    tokens = index.tokenizer.tokens("latency feedback NAS")
    n = len(index.chunks)
    cosines = store.stored_vectors(retriever.vectors) @ vector
    dense_order = np.argsort(-cosines, kind="stable")
    bm25 = retriever.bm25.get_scores(tokens)[:n]
    keyword_order = [i for i in np.argsort(-bm25, kind="stable") if bm25[i] > 0]
    expected = np.zeros(n)
    for order in (dense_order, keyword_order):
        for rank, i in enumerate(order):
            expected[i] += 1 / (retriever.rrf_k + rank + 1)
    # Ties (a chunk first in one list, another first in the other) go to the stronger keyword match.
    brute = sorted(range(n), key=lambda i: (-expected[i], -bm25[i], i))[:5]
    hits = retriever.search(vector, tokens, k=5)
    assert [h.index for h in hits] == brute
    assert [round(h.score, 6) for h in hits] == [round(expected[i], 6) for i in brute]


def test_cli_ask_json_schema_and_several_questions_share_one_load(built, monkeypatch, capsys, tmp_path):
    _, embedder, index_dir = built
    loads = []
    monkeypatch.setattr(rag.models, "load_model", lambda settings, model=None: loads.append(model) or embedder)
    config = tmp_path / "rag.yaml"
    config.write_text("model: fake-bigrams\nmin_relevance: 0.2\n", encoding="utf-8")
    questions = ["what did 冯佳时 say about shortcuts", "谁讲了 HRNet?"]
    code = cli.main(["--config", str(config), "ask", "--index", str(index_dir), "--json", *questions])
    assert code == 0 and loads == ["fake-bigrams"]
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert set(first) == {"question", "answer", "abstained", "citations"}
    citation = first["citations"][0]
    assert set(citation) == {
        "n",
        "file",
        "title",
        "section",
        "speaker",
        "affiliation",
        "lines",
        "snippet",
        "score",
        "slide",
    }
    assert citation["n"] == 1 and citation["speaker"] == "冯佳时"
    assert citation["section"].endswith(" > 3.1 MobileNeXt: Bottleneck 模块的修改")
    assert citation["lines"] == [218, 242] and citation["file"] == "valse2020-network-architecture.md"
    assert "[1]" in first["answer"]


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert cli.main(["ask", "--index", str(tmp_path / "none"), "q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rag index" in err
    assert cli.main(["index", str(tmp_path / "missing-notes"), "--index", str(tmp_path / "i")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_config_file_is_checked(tmp_path):
    config = tmp_path / "rag.yaml"
    config.write_text("k: 3\nmin_relevance: 2\nimages_root: /srv/site\n", encoding="utf-8")
    settings = rag.load_settings(config)
    assert (settings.k, settings.min_relevance, settings.images_root) == (3, 2, "/srv/site")
    for text, message in [
        ("k: five\n", "k must be int"),
        ("colour: blue\n", "unknown setting"),
        ("k: [1\n", "not valid YAML"),
        ("- k\n", "must be a mapping"),
    ]:
        config.write_text(text, encoding="utf-8")
        with pytest.raises(rag.RagError, match=message):
            rag.load_settings(config)
