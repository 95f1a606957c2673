"""Fixtures for the coder's step tests: the real spaCy model and the packaged lexicons, loaded
once, and `read`, which parses a text of our own and gives its last sentence as the coder's steps
see it (SentenceActors), the sentences before it remembered in the document's context."""

from __future__ import annotations

import datetime as dt

import pytest

from thucydides.actors import ActorLexicon
from thucydides.coder.candidates import TriggerLexicon
from thucydides.coder.coreference import main_subject
from thucydides.coder.mentions import DocumentContext, MentionFinder, SentenceActors
from thucydides.coder.pipeline import text_document
from thucydides.coder.typing import CameoTable
from thucydides.nlp import Parser
from thucydides.settings import Settings

from .coder_steps import PUBLISHED, Read


@pytest.fixture(scope="session")
def parser() -> Parser:
    return Parser(Settings().model)


@pytest.fixture(scope="session")
def finder() -> MentionFinder:
    return MentionFinder(ActorLexicon())


@pytest.fixture(scope="session")
def triggers() -> TriggerLexicon:
    return TriggerLexicon()


@pytest.fixture(scope="session")
def cameo() -> CameoTable:
    return CameoTable()


@pytest.fixture(scope="session")
def read(parser: Parser, finder: MentionFinder) -> Read:
    def read(
        text: str, published: dt.date | None = PUBLISHED, home: str | None = None
    ) -> SentenceActors:
        """TEXT's last sentence; one paragraph per line, as in Coder.code_text."""
        document = text_document(text, published, "test")
        sentences = parser.parse(document)
        context = DocumentContext(published=published, home_country=home)
        for sentence in sentences[:-1]:
            actors = finder.analyse(sentence, context)
            context.remember(actors.mentions_in(range(len(sentence.tokens))))
            context.last_subject = main_subject(actors)
        return finder.analyse(sentences[-1], context)

    return read
