"""Typing (coder/typing.py): the CAMEO code a trigger gives in its sentence."""

from __future__ import annotations

from thucydides.coder.candidates import (
    TriggerLexicon,
    complement_of,
    find_triggers,
    governed_triggers,
)
from thucydides.coder.modality import modality_of
from thucydides.coder.records import Mention, Modality
from thucydides.coder.typing import (
    CameoTable,
    attacks_words,
    code_for_actors,
    intended_code,
    nominal_code,
    verbal_code,
)
from thucydides.types import Actor

from .coder_steps import Read, found_at, index_of


def _verbal(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable, text: str, word: str
) -> tuple[str, str, Modality] | None:
    actors = read(text)
    item = found_at(triggers, actors, word)
    found = find_triggers(triggers, actors.sentence, actors)
    by_index = {f.index: f for f in found}
    complement = complement_of(actors, item, by_index, governed_triggers(actors, found))
    return verbal_code(cameo, actors, item, modality_of(actors, item.index), complement)


def test_a_negated_trigger_gives_its_rows_negated_code(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    typed = _verbal(read, triggers, cameo, "Chile will not accept the proposal.", "accept")
    assert typed is not None
    code, rule, modality = typed
    assert code == "120"  # reject, the row's `negated` column
    assert rule.endswith("+negated") and modality == Modality("asserted", "negated trigger")


def test_a_negated_or_supposed_trigger_without_such_a_code_is_no_event(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    assert _verbal(read, triggers, cameo, "Chile did not sign the treaty.", "sign") is None
    assert _verbal(read, triggers, cameo, "Chile could sign the treaty.", "sign") is None


def test_a_conditional_attack_is_a_threat(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    text = "Chile would attack Peru if it crossed the border."
    typed = _verbal(read, triggers, cameo, text, "attack")
    assert typed is not None
    code, _, modality = typed
    assert code.startswith("138") and modality == Modality("intended", "conditional")


def test_announced_cooperation_is_an_intent(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    typed = _verbal(read, triggers, cameo, "Chile will visit Peru.", "visit")
    assert typed is not None and typed[0] == "036"


def test_a_promise_takes_the_intent_code_of_what_it_promises(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    text = "Brazil promised to sign a treaty with Bolivia."
    typed = _verbal(read, triggers, cameo, text, "promised")
    assert typed is not None
    code, rule, _ = typed
    assert code == cameo.intent_code("057") == "030"
    assert rule.count("triggers.tsv:") == 2  # the promise's row and the signing's


def test_no_fight_against_an_abstraction_and_no_appeal_that_asks(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    assert _verbal(read, triggers, cameo, "Kenyan police fought corruption.", "fought") is None
    text = "Chile asked if Peru would return the envoy."
    assert _verbal(read, triggers, cameo, text, "asked") is None


def test_force_against_words_is_criticism(
    read: Read, triggers: TriggerLexicon, cameo: CameoTable
) -> None:
    actors = read("The Chilean minister attacked the budget.")
    assert attacks_words(actors, index_of(actors, "attacked"), "190")
    assert not attacks_words(actors, index_of(actors, "attacked"), "051")
    actors = read("The opposition launched an attack on the budget.")
    attack = found_at(triggers, actors, "attack")
    assert nominal_code(cameo, actors, attack, Modality("asserted")) == "111"
    actors = read("Rebels launched an attack on the town.")
    attack = found_at(triggers, actors, "attack")
    assert nominal_code(cameo, actors, attack, Modality("asserted")) == "190"


def test_an_announced_cut_in_relations_is_the_cut_and_a_conditional_one_a_threat(
    cameo: CameoTable,
) -> None:
    assert intended_code(cameo, "161", Modality("intended", "will")) == "161"
    assert intended_code(cameo, "161", Modality("intended", "conditional")) == "1313"
    assert intended_code(cameo, "190", Modality("intended")) == "1384"
    assert intended_code(cameo, "057", Modality("intended")) == "030"


def _side(sector: str, role: str | None = None) -> Mention:
    actor = Actor(text="x", start=0, end=1, country="GBR", sector=sector, role=role, entry="t")
    return Mention((actor,), head=0)


def test_parties_fight_with_words_and_offices_clash_in_argument(read: Read) -> None:
    actors = read("Labour attacked the Conservatives.")
    attacked = (index_of(actors, "attacked"),)
    labour, tories = _side("PTY"), _side("PTY")
    assert code_for_actors(actors, "190", attacked, labour, tories) == "111"
    actors = read("Labour beat the Conservatives.")
    assert code_for_actors(actors, "190", (index_of(actors, "beat"),), labour, tories) is None
    actors = read("The judge clashed with ministers.")
    clashed = (index_of(actors, "clashed"),)
    assert code_for_actors(actors, "190", clashed, _side("JUD"), _side("GOV")) == "111"
    assert code_for_actors(actors, "190", clashed, _side("MIL"), _side("GOV")) == "190"
