"""The learned scorer: candidates and their features, labels from gold, the model file, and
`thucydides train` end to end on invented annotated articles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from typer.testing import CliRunner

from thucydides.cli import app
from thucydides.coder import Coder, text_document
from thucydides.coder.learned import (
    Candidate,
    EventScorer,
    ScoredCoding,
    SentenceCandidates,
    dependency_path,
    propose_document,
)
from thucydides.coder.mentions import DocumentContext
from thucydides.errors import InputError
from thucydides.evaluate_articles import GoldSentence
from thucydides.training import cross_validate, fit_logistic, is_gold_event, training_info
from thucydides.types import Event

PUBLISHED = "2019-05-06"


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def proposed(coder: Coder, text: str) -> list[SentenceCandidates]:
    document = text_document(text, PUBLISHED, "t")
    sentences = coder.parser.parse(document)
    found, _ = propose_document(
        coder.events,
        coder.generator,
        "t",
        [s for s in sentences if s.tokens],
        coder.context_for(document),
    )
    return found


def test_dependency_path_names_subject_and_object(coder: Coder) -> None:
    sentence = coder.parser.parse(text_document("Germany criticised France.", PUBLISHED, "t"))[0]
    actors = coder.events.mentions.analyse(sentence, DocumentContext())
    words = [t.text for t in sentence.tokens]
    trigger, germany, france = (words.index(w) for w in ("criticised", "Germany", "France"))
    assert dependency_path(actors, trigger, germany) == ("nsubj>", 1)
    assert dependency_path(actors, trigger, france) == ("dobj>", 1)


def test_candidates_cross_actors_and_mark_the_rules_event(coder: Coder) -> None:
    (found,) = proposed(coder, "Germany criticised France on Monday.")
    triples = {c.triple for c in found.candidates}
    assert ("DEU", "FRA", "ACCUSE") in triples
    assert ("DEU", None, "ACCUSE") in triples  # "no target" is a candidate too
    assert ("FRA", "DEU", "ACCUSE") in triples  # the model decides who is who
    ruled = [c for c in found.candidates if c.rule_event is not None]
    assert {c.triple for c in ruled} == {("DEU", "FRA", "ACCUSE")}
    features = set(ruled[0].features)
    assert {"rule:made", "src:role:nsubj@trigger", "tgt:role:dobj@trigger"} <= features
    assert "lemma:criticise" in features


def test_negation_and_modal_cues_are_features(coder: Coder) -> None:
    (found,) = proposed(coder, "Germany would not criticise France.")
    features = {f for c in found.candidates for f in c.features}
    assert {"neg", "modal:would"} <= features


def _candidate(coder: Coder, trigger_start: int) -> Candidate:
    (found,) = proposed(coder, "Germany criticised France on Monday.")
    c = next(c for c in found.candidates if c.triple == ("DEU", "FRA", "ACCUSE"))
    c.trigger_start = trigger_start
    return c


def test_labels_follow_evaluates_matching_and_the_gold_trigger(coder: Coder) -> None:
    gold = GoldSentence("g", "t", PUBLISHED, "s", (("DEU", "", "ACCUSE"),), (100, 140))
    at_trigger = _candidate(coder, 108)
    # An empty gold target matches any target, as `evaluate` scores it.
    assert is_gold_event(gold, [(8, 18)], at_trigger, 100)
    assert is_gold_event(gold, [None], at_trigger, 100)  # no trigger given: the triple decides
    elsewhere = _candidate(coder, 130)
    assert not is_gold_event(gold, [(8, 18)], elsewhere, 100)
    other_type = GoldSentence("g", "t", PUBLISHED, "s", (("DEU", "FRA", "ASSAULT"),), (100, 140))
    assert not is_gold_event(other_type, [None], at_trigger, 100)


def test_fit_logistic_learns_the_sign_of_each_feature() -> None:
    rng = np.random.default_rng(1)
    x = sparse.csr_matrix(rng.integers(0, 2, size=(400, 3)).astype(float))
    y = (x[:, [0]].toarray().ravel() == 1).astype(float)  # only feature 0 decides
    weights, bias = fit_logistic(x, y, l2=0.1)
    assert weights[0] > 3 and abs(weights[1]) < 1 and abs(weights[2]) < 1
    assert bias < -1


def test_model_file_round_trip_and_bad_file(tmp_path: Path) -> None:
    scorer = EventScorer({"a": 0, "b": 1}, np.array([1.5, -2.0]), 0.25, 0.6, {"seed": 7})
    path = tmp_path / "m.json"
    scorer.save(path)
    again = EventScorer.load(path)
    assert again.probability(["a"]) == pytest.approx(scorer.probability(["a"]))
    assert again.threshold == 0.6 and again.info == {"seed": 7}
    assert again.explain(["a", "b", "unknown"])[0] == ("b", -2.0)
    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        EventScorer.load(tmp_path / "bad.json")
    assert caught.value.code == "T703"


# --- end to end: a user's own annotations change the coder's decisions --------------------------

COUNTRIES = ["France", "Germany", "Spain", "Italy", "Poland", "Austria", "Portugal", "Greece"]
CODES = {
    "France": "FRA",
    "Germany": "DEU",
    "Spain": "ESP",
    "Italy": "ITA",
    "Poland": "POL",
    "Austria": "AUT",
    "Portugal": "PRT",
    "Greece": "GRC",
}


def _invented_articles() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Invented articles by a user whose annotation convention codes accusations but not
    meetings (they study conflict only): the rules code both."""
    articles: list[dict[str, object]] = []
    gold: list[dict[str, object]] = []
    for n in range(12):
        a, b = COUNTRIES[n % 8], COUNTRIES[(n + 3) % 8]
        accusing = f"{a} accused {b} of breaking the fishing agreement."
        meeting = f"{a} and {b} held talks on the fishing agreement."
        weather = "The weather at the coast was mild for the season."
        text = "\n\n".join(["Fishing row", accusing, weather, meeting])
        doc = f"inv-{n}"
        articles.append({"id": doc, "text": text, "date": PUBLISHED})
        accused = text.index("accused")
        gold += [
            {
                "id": f"{doc}-1",
                "doc": doc,
                "date": PUBLISHED,
                "start": text.index(accusing),
                "end": text.index(accusing) + len(accusing),
                "events": [
                    {
                        "source": CODES[a],
                        "target": CODES[b],
                        "plover": "ACCUSE",
                        "cameo": "112",
                        "trigger_start": accused,
                        "trigger_end": accused + len("accused"),
                    }
                ],
            },
            {"id": f"{doc}-2", "doc": doc, "date": PUBLISHED, "sentence": weather, "events": []},
            {"id": f"{doc}-3", "doc": doc, "date": PUBLISHED, "sentence": meeting, "events": []},
        ]
    return articles, gold


def test_train_end_to_end_and_the_model_changes_decisions(tmp_path: Path, coder: Coder) -> None:
    articles, gold = _invented_articles()
    (tmp_path / "articles.jsonl").write_text(
        "".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8"
    )
    (tmp_path / "part-1.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in gold[:18]), encoding="utf-8"
    )
    (tmp_path / "part-2.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in gold[18:]), encoding="utf-8"
    )
    model = tmp_path / "model.json"
    result = CliRunner().invoke(
        app,
        [
            "train",
            str(tmp_path / "part-*.jsonl"),
            "--articles",
            str(tmp_path / "articles.jsonl"),
            "--folds",
            "3",
            "--l2",
            "0.5",
            "--policy",
            "decide",  # this user's convention drops events the rules make
            "-o",
            str(model),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cross-validated by article (3 folds)" in result.output
    assert "rules alone" in result.output
    saved = json.loads(model.read_text(encoding="utf-8"))
    assert saved["info"]["sentences"] == 36 and saved["info"]["seed"] == 2026
    assert [Path(p).name for p in saved["info"]["gold_files"]] == ["part-1.jsonl", "part-2.jsonl"]

    # Countries the training articles never named: the model has learned the trigger, not them.
    text = "Sweden accused Norway of breaking the deal.\n\nSweden and Norway held talks in Oslo."
    rules = {e.plover_type for e in coder.code_text(text, PUBLISHED)}
    assert rules == {"ACCUSE", "CONSULT"}
    learned = Coder(model=model).code_text(text, PUBLISHED)
    assert {e.plover_type for e in learned} == {"ACCUSE"}
    accusation = learned[0]
    assert (accusation.source.key, accusation.target and accusation.target.key) == ("SWE", "NOR")
    assert accusation.confidence >= saved["threshold"]
    assert "lemma:accuse" in accusation.evidence or "ACCUSE|" in accusation.evidence
    assert accusation.to_record()["evidence"] == accusation.evidence


def test_train_refuses_a_dev_set_inside_the_training_data(tmp_path: Path) -> None:
    articles, gold = _invented_articles()
    (tmp_path / "articles.jsonl").write_text(
        "".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8"
    )
    (tmp_path / "gold.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8"
    )
    (tmp_path / "dev.jsonl").write_text(json.dumps(gold[0]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "train",
            str(tmp_path / "gold.jsonl"),
            "--articles",
            str(tmp_path / "articles.jsonl"),
            "--dev",
            str(tmp_path / "dev.jsonl"),
            "-o",
            str(tmp_path / "m.json"),
        ],
    )
    assert result.exit_code == 1
    assert "T704" in result.output and "dev articles are in the training data" in result.output


def test_scoring_by_feature_groups_equals_scoring_every_feature(coder: Coder) -> None:
    """The fast path (group sums shared by a sentence's candidates) scores as the plain sum."""
    (found,) = proposed(coder, "Germany and France criticised Italy, the ministry said.")
    names = sorted({f for c in found.candidates for f in c.features})
    weights = np.random.default_rng(3).normal(size=len(names))
    scorer = EventScorer({n: k for k, n in enumerate(names)}, weights, -0.5, 0.5)
    sums: dict[int, float] = {}
    for c in found.candidates:
        assert scorer.score(c, sums) == pytest.approx(scorer.probability(c.features))


def _scored_events(coder: Coder, scorer: EventScorer, text: str) -> list[Event]:
    document = text_document(text, PUBLISHED, "t")
    sentences = [s for s in coder.parser.parse(document) if s.tokens]
    found, _ = propose_document(
        coder.events, coder.generator, "t", sentences, coder.context_for(document)
    )
    coding = ScoredCoding(scorer, coder.events.assembler)
    return [e for f in found for e in coding.events_of(f)]


def test_a_scorer_event_is_dated_and_placed_as_a_rule_event(coder: Coder) -> None:
    """An event only the model makes (here: no target, which the rules never give this
    sentence) is assembled as the rules' events are: placed where the sentence says."""
    scorer = EventScorer({"tgt:none": 0, "bias": 1}, np.array([6.0, 0.0]), -3.0, 0.5)
    events = _scored_events(coder, scorer, "Germany criticised France in Paris on Monday.")
    mine = [e for e in events if e.rule.endswith(":scorer")]
    assert mine, events
    event = mine[0]
    assert event.target is None and event.source.key == "DEU"
    assert event.location is not None and event.location.name == "Paris"
    assert event.date is not None and event.date_source == "text"  # "on Monday"
    assert event.evidence and "tgt:none" in event.evidence


def test_keep_rules_adds_no_event_where_the_rules_made_one(coder: Coder) -> None:
    """With keep_rules the model may not swap the rules' pair for its own at that trigger."""
    scorer = EventScorer({"tgt:none": 0}, np.array([6.0]), -3.0, 0.5, rule_threshold=0.0)
    text = "Germany criticised France in Paris on Monday."
    swapped = {
        (e.source.key, e.target and e.target.key) for e in _scored_events(coder, scorer, text)
    }
    assert ("DEU", None) in swapped and ("DEU", "FRA") in swapped
    scorer.keep_rules = True
    kept = {(e.source.key, e.target and e.target.key) for e in _scored_events(coder, scorer, text)}
    assert kept == {("DEU", "FRA")}


def test_slots_skip_words_inside_a_larger_phrase(coder: Coder) -> None:
    """ "the US ambassador": one actor slot at the phrase head, not one more at "US" (its
    head's mention already has that actor)."""
    (found,) = proposed(coder, "The US ambassador criticised Germany on Monday.")
    heads = {
        found.actors.tokens[s.head].text
        for c in found.candidates
        for s in (c.source,)
        if s.head >= 0
    }
    assert "ambassador" in heads and "US" not in heads


def test_training_records_the_users_lexicon_directory(tmp_path: Path) -> None:
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    (lexicons / "actors.tsv").write_text("# user actors\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("", encoding="utf-8")
    plain = training_info([gold], [gold], Coder(), [], 1, 1.0)["lexicon_version"]
    user = training_info([gold], [gold], Coder(lexicon_dir=lexicons), [], 1, 1.0)
    assert user["lexicon_version"].startswith(plain + "+user-")
    (lexicons / "actors.tsv").write_text("# user actors, changed\n", encoding="utf-8")
    again = training_info([gold], [gold], Coder(lexicon_dir=lexicons), [], 1, 1.0)
    assert again["lexicon_version"] != user["lexicon_version"]


def test_cross_validate_refuses_an_unknown_policy() -> None:
    with pytest.raises(InputError) as caught:
        cross_validate([], policy="overrule")
    assert caught.value.code == "T704"


def test_the_thresholds_never_trade_the_rules_precision_for_recall() -> None:
    """With no setting as precise as the rules on the folds, the most precise is chosen, not
    the best F1 (which had added events at 0.42 precision where the rules had 0.62)."""
    from thucydides.training import Scores, choose_setting

    totals = {
        (0.2, 0.0, True): Scores(matched=52, predicted=124, gold=233),  # P 0.42, best F1
        (0.5, 0.0, True): Scores(matched=41, predicted=70, gold=233),  # P 0.59
        (0.9, 0.0, True): Scores(matched=33, predicted=53, gold=233),  # P 0.62
    }
    assert choose_setting(totals, rules_precision=0.63) == (0.9, 0.0, True)
    assert choose_setting(totals, rules_precision=0.58) == (0.5, 0.0, True)  # best F1 at >= 0.58
    totals[0.3, 0.0, True] = Scores(matched=50, predicted=70, gold=233)  # P 0.71: the target
    assert choose_setting(totals, rules_precision=0.63) == (0.3, 0.0, True)
