"""The event coder: parsed sentences in, CAMEO and PLOVER events out, one module per step.

`Coder` (pipeline.py) is what the pipeline, the `code` and `evaluate` commands and the Python API
use: it loads the lexicons and the spaCy model once, picks the sentences worth parsing, and
hands each document's parsed sentences to `EventCoder`, which takes every sentence through the
steps below in order. Records between the steps are in records.py.

1. mentions.py     the sentence's noun phrases -> `Mention`s (countries, organisations, people,
                   agent words), with the document read so far (`DocumentContext`)
2. coreference.py  pronouns, "the two sides", names and bodies told before -> one antecedent
                   or none
3. candidates.py   trigger words and phrases of lexicons/triggers.tsv -> `Found` candidates
4. modality.py     negated, hypothetical, conditional, planned or asserted (`Modality`)
5. typing.py       the CAMEO code the trigger gives here (and with it PLOVER type, Goldstein
                   and QuadClass, from thucydides.codes)
6. arguments.py    source and target from the trigger's own grammatical roles; the pairs of
                   actors an event joins
7. speech.py       statements that accuse or praise, "said X must" demands;
   appeals.py      "called for X to do Y": a request to X, and Y not done
8. dating.py       the event's date from its own clause; placing.py its place
9. assembly.py     a candidate through steps 4-6 -> `EventDraft` -> `Event` records (8)
10. scoring.py     confidence from the evidence (min_confidence drops the unsure)
11. merging.py     the same event told again in the document -> one event
12. learned.py     with a trained model (`--model`, setting scorer_model): many more candidate
                   events with their features, and a linear model deciding which to keep
                   (training: thucydides.training)

Reported speech is not an event of its own: "X said Y did Z" is Z with Y as source (speech
verbs have no trigger rows), and "we" in a quote is the speaker (coreference.speaker_of).
"""

from __future__ import annotations

from .pipeline import Coder, code, text_document

__all__ = ["Coder", "code", "text_document"]
