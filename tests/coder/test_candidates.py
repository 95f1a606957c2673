"""Trigger candidates (coder/candidates.py): lexicon rows matched on a parsed sentence -> Found."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from thucydides.coder.candidates import (
    BASE_LAYER,
    TRIGGER_COLUMNS,
    TriggerLexicon,
    complement_of,
    find_triggers,
    governed_triggers,
    is_base,
    word_lemmas,
)

from .coder_steps import Read, found_at, index_of


def test_a_particle_verb_matches_its_row(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("The opposition called for an inquiry into the sale.")
    item = found_at(triggers, actors, "called")
    assert (item.rule.lemma, item.rule.particle) == ("call", "for")
    assert item.particle_index == index_of(actors, "for")


def test_the_row_naming_the_object_wins_over_the_plain_verb(
    read: Read, triggers: TriggerLexicon
) -> None:
    actors = read("Thailand opened an investigation into the border incident.")
    item = found_at(triggers, actors, "opened")
    assert ("investigation",) in item.rule.objects
    assert item.rule.cameo.startswith("09")
    assert index_of(actors, "investigation") in item.object_tokens


def test_a_noun_trigger_inside_the_verbs_object_is_consumed(
    read: Read, triggers: TriggerLexicon
) -> None:
    """ "rejected an offer of talks" is a rejection of talks: the offer is not coded again."""
    actors = read("Egypt rejected an offer of talks from Sudan.")
    item = found_at(triggers, actors, "rejected")
    assert item.rule.cameo == "125"
    assert {index_of(actors, "offer"), index_of(actors, "talks")} <= item.object_tokens


def test_a_describing_participle_is_no_candidate(read: Read, triggers: TriggerLexicon) -> None:
    actors = read("The visiting minister praised Chile.")
    found = find_triggers(triggers, actors.sentence, actors)
    assert [actors.tokens[f.index].text for f in found] == ["praised"]


def test_a_trigger_governed_by_another_is_its_complement(
    read: Read, triggers: TriggerLexicon
) -> None:
    actors = read("Brazil agreed to hold talks with Bolivia.")
    found = find_triggers(triggers, actors.sentence, actors)
    by_index = {f.index: f for f in found}
    governed = governed_triggers(actors, found)
    agreed, hold = index_of(actors, "agreed"), index_of(actors, "hold")
    assert governed == {hold: agreed}
    complement = complement_of(actors, by_index[agreed], by_index, governed)
    assert complement is not None and complement.index == hold
    assert complement_of(actors, by_index[hold], by_index, governed) is None


def test_a_purpose_clause_with_its_own_subject_is_not_governed(
    read: Read, triggers: TriggerLexicon
) -> None:
    actors = read("Chile protested after Peru arrested two fishermen.")
    found = find_triggers(triggers, actors.sentence, actors)
    assert {actors.tokens[f.index].text for f in found} >= {"protested", "arrested"}
    assert governed_triggers(actors, found) == {}


def test_word_lemmas_guess_the_forms_of_trigger_words() -> None:
    assert "meet" in word_lemmas("met")
    assert "plan" in word_lemmas("planned")
    assert "talk" in word_lemmas("Talks")
    assert "agree" in word_lemmas("agreed")
    assert "seize" in word_lemmas("seized")
    assert "meet" not in word_lemmas("meat")


def test_demonstrating_something_is_showing_it_not_a_protest(
    read: Read, triggers: TriggerLexicon
) -> None:
    """ "demonstrated that ...", "demonstrated their resolve": no protest candidate."""
    for text in (
        "Chilean unions demonstrated that the reform had failed.",
        "The unions demonstrated their resolve.",
    ):
        actors = read(text)
        assert find_triggers(triggers, actors.sentence, actors) == [], text
    actors = read("Chilean unions demonstrated for higher pensions.")
    assert found_at(triggers, actors, "demonstrated").rule.cameo.startswith("14")


def test_a_fronted_preposition_is_not_the_verbs_particle(
    read: Read, triggers: TriggerLexicon
) -> None:
    """ "In Santiago, the minister gave a speech" is not "give in"; "gave in to" is."""
    actors = read("In Santiago, the minister gave a speech.")
    assert find_triggers(triggers, actors.sentence, actors) == []
    actors = read("The union gave in to the government.")
    item = found_at(triggers, actors, "gave")
    assert (item.rule.lemma, item.rule.particle) == ("give", "in")


def test_the_base_layer_fills_gaps_and_ours_win(read: Read, tmp_path: Path) -> None:
    """Rows of the imported base layer code words ours lack; where one of our rows matches a
    word, it wins even over a more specific base row; a base row with the conditions of one of
    ours is not loaded."""
    header = "\t".join((*TRIGGER_COLUMNS, "source")) + "\n"
    base = tmp_path / BASE_LAYER
    base.write_text(
        header
        + "051\tverb\tbefriend\t\t\t\t\t\t\tCAMEO.2.0.txt:1\n"  # a word we lack
        + "112\tverb\tcriticize\t\tplan\t\t\t\t\tCAMEO.2.0.txt:2\n"  # more specific
        + "110\tverb\tcriticize\t\t\t\t\t\t\tCAMEO.2.0.txt:3\n",  # as ours: not loaded
        encoding="utf-8",
    )
    triggers = TriggerLexicon(base_layer=base)
    befriended = found_at(triggers, read("Chile befriended Peru."), "befriended")
    assert (befriended.rule.cameo, befriended.rule.entry) == ("051", f"{BASE_LAYER}:2")
    assert is_base(befriended.rule)
    criticized = found_at(triggers, read("Chile criticized the plan of Peru."), "criticized")
    assert not is_base(criticized.rule) and criticized.rule.cameo == "111"
    rows = triggers.rules[("verb", "criticize")]
    assert [r.entry for r in rows if is_base(r)] == [f"{BASE_LAYER}:3"]
    ours = TriggerLexicon(base_layer=False).rules
    assert not any(is_base(r) for r in ours[("verb", "criticize")])
    assert ("verb", "befriend") not in ours  # without the layer the word is no trigger


def _trigger_words(triggers: TriggerLexicon, read: Read, text: str) -> list[str]:
    actors = read(text)
    return [actors.tokens[f.index].text for f in find_triggers(triggers, actors.sentence, actors)]


def test_a_trigger_word_in_another_sense_is_no_candidate(
    read: Read, triggers: TriggerLexicon
) -> None:
    """trigger_senses.tsv: prices, attracting voters, pleas in court, stirring up, forecasts."""
    words = partial(_trigger_words, triggers, read)
    assert words("The report looks at the fees that Vodafone and Orange charge operators.") == []
    assert words("British banks charge customers high fees.") == []
    assert words("The Irish council charges for parking.") == []
    assert words("The Tories appeal to young voters.") == []
    assert words("The former Irish minister pleaded not guilty.") == []
    assert words("The Irish premier whipped up support for the plan.") == []
    assert "warned" not in words("The French minister warned that high oil prices posed a threat.")


def test_the_event_sense_of_those_words_stays(read: Read, triggers: TriggerLexicon) -> None:
    words = partial(_trigger_words, triggers, read)
    assert words("Prosecutors charged the French minister with fraud.") == ["charged"]
    assert words("The French president appealed to the voters to stay calm.") == ["appealed"]
    assert words("The French president pleaded with Germany to help.") == ["pleaded"]
    assert words("The French president warned that Germany would face consequences.") == ["warned"]


def test_hosting_refugees_or_a_base_is_no_visit(read: Read, triggers: TriggerLexicon) -> None:
    words = partial(_trigger_words, triggers, read)
    assert words("Chile, which hosts a million Peruvian refugees, closed its border.") == ["closed"]
    assert words("Chile hosts a large US air base.") == []
    assert words("Chile hosted the Peruvian president.") == ["hosted"]


def test_accepting_a_point_or_talking_of_something_is_no_event(
    read: Read, triggers: TriggerLexicon
) -> None:
    words = partial(_trigger_words, triggers, read)
    assert "accept" not in words("I accept that the aims of the Chilean policy are sound.")
    assert "talking" not in words("Chilean officials were talking darkly of a threat.")
    assert "accepted" in words("Chile accepted the Peruvian proposal.")
