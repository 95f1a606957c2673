"""What an appeal asks for: "called for Israel to allow aid" is a REQUEST to Israel.

The clause an appeal asks for ("for X to do Y", "on X to do Y") names the appeal's target X and
an action Y that is asked for, not done: the caller codes the appeal with target X and drops
the events of Y. Found from the parse: a clause of the appeal word (or, for a noun such as
"demand", of the verb it belongs to) that is an infinitive with its own subject after "for",
or "for X" followed by such an infinitive.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import SentenceActors

CLAUSE_DEPS = frozenset({"advcl", "ccomp", "xcomp", "acl"})


@dataclass(frozen=True, slots=True)
class Requested:
    subject: int  # the one asked (X)
    verb: int  # what X is asked to do (Y)


def _infinitive(actors: SentenceActors, verb: int) -> bool:
    return any(
        actors.tokens[c].dep == "aux" and actors.tokens[c].text.lower() == "to"
        for c in actors.children[verb]
    )


def requested_clause(actors: SentenceActors, trigger: int) -> Requested | None:
    """The "for X to Y" an appeal at TRIGGER asks for, if the parse shows one."""
    tokens = actors.tokens
    owners = [trigger]
    if tokens[trigger].pos == "NOUN" and tokens[trigger].head != trigger:
        owners.append(tokens[trigger].head)  # "repeated its demand for Turkey to recognise"
    for owner in owners:
        for clause in actors.children[owner]:
            if tokens[clause].dep not in CLAUSE_DEPS or not _infinitive(actors, clause):
                continue
            subject = next(
                (c for c in actors.children[clause] if tokens[c].dep in {"nsubj", "nsubjpass"}),
                None,
            )
            if subject is not None and subject < clause:
                return Requested(subject, clause)
            # "demand for Turkey to recognise": the subject hangs on "for" under the appeal.
            for prep in actors.children[trigger]:
                if tokens[prep].dep == "prep" and tokens[prep].text.lower() in {"for", "on"}:
                    pobj = next((c for c in actors.children[prep] if tokens[c].dep == "pobj"), None)
                    if pobj is not None and pobj < clause:
                        return Requested(pobj, clause)
    return None
