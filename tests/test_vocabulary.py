"""rag/vocabulary.py: a question's words meet the notes' own words. Pure: a set of words and the glossary."""

from __future__ import annotations

from rag.vocabulary import Vocabulary


def test_words_that_spell_out_an_acronym_of_the_notes_are_translated_to_it():
    notes = Vocabulary(["snn", "training", "gnn"])
    found = notes.translations(["spiking", "neural", "network", "hard", "train"])
    assert all("snn" in found[word] for word in ("spiking", "neural", "network"))
    assert "snn" not in found["hard"] and "snn" not in found["train"]
    # Two words are too few ("nn"), an acronym the notes don't write is none, and one typed as such stays.
    assert not any("nn" in t for t in Vocabulary(["nn"]).translations(["neural", "network"]).values())
    assert "cnn" not in Vocabulary(["snn"]).translations(["convolutional", "neural", "network"])["neural"]
    assert "snn" not in Vocabulary(["snn"]).translations(["snn", "spiking", "neural", "network"])["spiking"]


def test_glosses_the_notes_use_come_first():
    assert Vocabulary(["服务"]).translate("service")[0] == "服务"
    assert Vocabulary(["润色"]).translate("polishing")[0] == "润色"  # the dictionary lists only "polish"


def test_a_gloss_meets_the_form_the_notes_write_it_in():
    assert "prediction" in Vocabulary(["prediction"]).translate("预测")  # CEDICT glosses "to predict"
    assert "predict" in Vocabulary([]).translate("预测")  # notes without it keep the gloss as it is
    assert "recommendations" in Vocabulary(["recommendations"]).translate("推荐")


def test_chinese_words_cut_apart_get_the_whole_words_translation():
    notes = Vocabulary(["blockchain", "deep", "learning"])
    found = notes.translations(["区块", "链", "诞生"])
    assert "blockchain" in found["区块"] and "blockchain" in found["链"]
    assert "blockchain" not in found["诞生"]
    assert "blockchain" not in Vocabulary(["区块链"]).translations(["区块", "链"])["区块"]  # notes write it whole


def test_a_word_meets_its_numeronym_either_way():
    notes = Vocabulary(["k8s", "internationalization", "kind"])
    assert "k8s" in notes.translate("kubernetes")
    assert notes.translate("i18n") == ("internationalization",)
    assert notes.unknown_term("What is new in Kubernetes 1.9?", lambda text: text.lower().split()) is None
    # Only the exact count matches, and a word the notes write as typed needs no other spelling.
    assert "k8s" not in notes.translate("kuberne") and notes.translate("k4d") == ()
    assert "k8s" not in Vocabulary(["k8s", "kubernetes"]).translate("kubernetes")
    # The tokenizer stems plurals: "Kubernetes" is kept as "kubernete", still k8s.
    assert Vocabulary(["k8s"]).translate("kubernete") == ("k8s",)
    assert Vocabulary(["kubernete"]).translate("k8s") == ("kubernete",)


def test_an_english_phrase_meets_the_one_chinese_word_its_glosses_spell():
    notes = Vocabulary(["软件架构", "架构"])
    found = notes.translations(["software", "architecture", "talk"])
    assert "软件架构" in found["software"] and "软件架构" in found["architecture"]
    assert "软件架构" not in found["talk"]
    # Glosses that spell no word of the notes add nothing; a Chinese word between breaks the phrase.
    assert "软件架构" not in Vocabulary(["架构"]).translations(["software", "architecture"])["software"]
    assert "软件架构" not in notes.translations(["software", "的", "architecture"])["software"]


def test_an_event_is_known_when_the_notes_have_most_of_its_words_as_written_or_translated():
    def tokenize(text: str) -> list[str]:
        return text.lower().replace("-", " ").split()

    notes = Vocabulary(["qcon2019", "qcon", "广州", "cssconf", "2019"])
    assert notes.knows("QCon Guangzhou 2019", tokenize)  # qcon as written, guangzhou as 广州
    assert notes.knows("第五届 CSSConf", tokenize)  # one of two words
    assert not notes.knows("JSConf 2019", tokenize)  # the year counts for nothing
    assert not notes.knows("NeurIPS Vancouver workshop", tokenize)
    assert Vocabulary(["valse2020", "在线"]).knows("VALSE 2020", tokenize)  # the notes glue the year on
    assert not Vocabulary(["valset"]).knows("VALSE 2020", tokenize)


def test_a_section_of_a_note_that_never_names_the_asked_term_does_not_answer():
    from rag.fusion import terms_found
    from rag.text import Tokenizer, normalize_text

    tokenize = Tokenizer().tokens
    notes = Vocabulary(tokenize("LeadDev London 2022 was held in the Barbican. Coalesce had over 2500 people."))
    asked = notes.asked_terms("How many people attended LeadDev London 2022?", tokenize)
    assert asked == [("leaddev",)]  # London is an ordinary word, 2022 a year in every programme
    assert terms_found(asked, normalize_text("LeadDev London 2022 (Day 1)\nLast week I was at LeadDev.")) == 1.0
    assert terms_found(asked, normalize_text("Coalesce 2022\nOver 2500 people from all over the world.")) == 0.0
    assert notes.asked_terms("How many people attended Kubecon?", tokenize) == []  # no note has it: unknown_term's
