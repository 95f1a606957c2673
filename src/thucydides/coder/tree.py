"""Walks over a sentence's dependency tree that several steps share.

Each takes the sentence (`SentenceActors`: its tokens and each token's children) and a token
index, and returns token indexes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .mentions import SentenceActors

# Dependencies from a verb down into its objects and their describing words.
OBJECT_PATH = frozenset(
    {"dobj", "obj", "prep", "pobj", "prt", "dative", "attr", "oprd", "compound", "nmod", "poss"}
    | {"amod", "appos", "npadvmod", "nummod", "quantmod"}
)
# Prepositions of place.
LOCATIVE = frozenset({"in", "at", "near", "inside", "throughout", "across"})


def subtree(actors: SentenceActors, i: int) -> list[int]:
    """I and every token below it (in the order found, not sorted)."""
    out = [i]
    stack = [i]
    while stack:
        j = stack.pop()
        for child in actors.children[j]:
            out.append(child)
            stack.append(child)
    return out


def near_objects(actors: SentenceActors, i: int, depth: int = 5, places: bool = True) -> list[int]:
    """Tokens below I in its objects and prepositional phrases, nearest first, not in clauses;
    without PLACES, not inside "in"/"at" phrases either."""
    out: list[int] = []
    frontier = [i]
    for _ in range(depth):
        following = []
        for j in frontier:
            for child in actors.children[j]:
                token = actors.tokens[child]
                if token.dep not in OBJECT_PATH or token.pos == "VERB":
                    continue
                if not places and token.dep == "prep" and token.text.lower() in LOCATIVE:
                    continue
                out.append(child)
                following.append(child)
        frontier = following
    return out


def located(actors: SentenceActors, i: int) -> set[int]:
    """Tokens below I inside "in"/"at" phrases."""
    out: set[int] = set()
    for j in near_objects(actors, i):
        token = actors.tokens[j]
        if token.dep == "prep" and token.text.lower() in LOCATIVE:
            out.update(phrase_subtree(actors, j))
    return out


def phrase_subtree(actors: SentenceActors, i: int, places: bool = True) -> list[int]:
    """The subtree of I without the clauses inside it (relative clauses, complements), and
    without its "in"/"at" phrases unless PLACES."""
    out = [i]
    stack = [i]
    while stack:
        j = stack.pop()
        for child in actors.children[j]:
            token = actors.tokens[child]
            if token.dep in {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj"}:
                continue
            if not places and token.dep == "prep" and token.text.lower() in LOCATIVE:
                continue
            out.append(child)
            stack.append(child)
    return out
