"""The event coder assembled: lexicons, the spaCy parse and the steps, over documents.

`Coder` is what the pipeline, the `code` and `evaluate` commands and the Python API use. It loads
every lexicon once; coding a document keeps no state beyond that document (`DocumentContext`).
Only sentences that could hold an event are parsed (`Coder.could_hold_event`): one with a trigger
word and something that can be an actor. That is where the speed comes from.

`EventCoder` takes one document's parsed sentences through the steps in order (the package doc
lists them): each sentence's mentions, its trigger candidates and their events (assembly.py),
its "said X must" demands, statements and appeals; then the confidence of every event
(scoring.py) and one event per retold event (merging.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from ..actors import ActorLexicon
from ..clean import normalise_typography
from ..dedup import content_hash
from ..lexicon import load_table
from ..metadata import PublisherLexicon
from ..nlp import Parser
from ..places import Gazetteer
from ..readers import without_surrogates
from ..settings import Settings
from ..types import Document, Event, EventDate, Metadata, OffsetMap, Rejection, Sentence, Span
from .appeals import requests_of, wishes
from .assembly import Assembler, nominal_event, verbal_event
from .candidates import TriggerLexicon, find_triggers, governed_triggers, word_lemmas
from .coreference import main_subject
from .dating import DateResolver, date_from_retelling, is_past_retelling, retold_from
from .holders import event_on_its_date
from .learned import (
    CandidateGenerator,
    EventScorer,
    ScoredCoding,
    propose_document,
    resolve_scorer_model,
)
from .mentions import DocumentContext, MentionFinder, SentenceActors, countries_of
from .merging import merge_events
from .placing import PlaceFinder
from .scoring import with_confidence
from .speech import (
    CLAIMING_VERBS,
    STATEMENT_VERBS,
    EvaluationLexicon,
    demanded_clauses,
    statement_events,
)
from .typing import CameoTable

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-.]*")
_TOPIC_WORD = re.compile(r"[a-z][a-z\-]*")
# A date the text states: a year, or a month with a day or year ("4 March", "Apr. 27, 2011").
# "May" alone is a modal verb; only with a number is it the month.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_STATED_DATE = re.compile(
    rf"\b(?:1[89]|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}(?!\w)|\b{_MONTH}\s+\d{{1,4}}\b"
)
# Words that can stand for an actor already named in the document.
_REFERRING_WORDS = frozenset(
    [
        "he",
        "she",
        "they",
        "we",
        "it",
        "his",
        "her",
        "their",
        "our",
        "its",
        "them",
        "us",
        "i",
        "side",
        "sides",
        "government",
        "ministry",
        "minister",
        "president",
        "officials",
        "official",
        "leader",
        "south",  # "the South", "the North" in a story about the Koreas
        "north",
    ]
)


class OffTopic:
    """Documents about sport (lexicons/off_topic.tsv): their "attacks" and "defeats" are games.

    A document is off topic when it uses at least MIN_DISTINCT different words of one topic and
    they make up at least MIN_SHARE of its words. On the BBC corpus this takes out four in five
    sports reports and 2 of 417 politics articles.
    """

    MIN_DISTINCT = 3
    MIN_SHARE = 0.01

    def __init__(self, lexicon_dir: str | Path | None = None) -> None:
        self.words: dict[str, str] = {}
        self.phrases: dict[str, str] = {}
        for row in load_table("off_topic.tsv", ("word", "topic"), lexicon_dir):
            word = " ".join(row.values["word"].lower().split())
            if word:
                (self.phrases if " " in word else self.words)[word] = row.values["topic"]

    def topic_of(self, text: str) -> str | None:
        lower = text.lower()
        words = _TOPIC_WORD.findall(lower)
        hits: dict[str, list[str]] = {}
        for word in words:
            topic = self.words.get(word)
            if topic is not None:
                hits.setdefault(topic, []).append(word)
        for phrase, topic in self.phrases.items():
            if phrase in lower:
                hits.setdefault(topic, []).extend([phrase] * lower.count(phrase))
        for topic, found in hits.items():
            if len(set(found)) >= self.MIN_DISTINCT and len(found) >= self.MIN_SHARE * len(words):
                return topic
        return None


class EventCoder:
    """Codes the sentences of one document at a time, step by step. Holds lexicons only; no state
    between documents."""

    def __init__(
        self,
        mentions: MentionFinder,
        triggers: TriggerLexicon,
        cameo: CameoTable,
        dates: DateResolver,
        places: PlaceFinder,
        evaluations: EvaluationLexicon | None = None,
    ) -> None:
        self.evaluations = evaluations or EvaluationLexicon()
        self.mentions = mentions
        self.triggers = triggers
        self.cameo = cameo
        self.dates = dates
        self.places = places
        self.assembler = Assembler(cameo, dates, places)

    # -- document level ---------------------------------------------------------------------

    def code_document(
        self,
        doc_id: str,
        sentences: Iterable[Sentence],
        context: DocumentContext,
        *,
        merge: bool = True,
        observe: Callable[[Sentence, SentenceActors], None] | None = None,
    ) -> list[Event]:
        """The events of a document, in order; with MERGE, one event per retold event.
        OBSERVE, if given, sees each sentence's analysis while the context is that of the
        sentence (the learned scorer proposes its candidates there: learned.py)."""
        events: list[Event] = []
        for sentence in sentences:
            actors = self.mentions.analyse(sentence, context)
            dated: list[tuple[str, EventDate]] = []
            events.extend(self.code_sentence(sentence, actors, dated))
            if observe is not None:
                observe(sentence, actors)
            if dated:
                # A retelling dates earlier events: their people hold the offices of that date.
                # Only the last sentences' events can change (read and rewritten in place:
                # a long article retells on many sentences).
                start = retold_from(events, sentence.index)
                told = events[start:]
                date_from_retelling(events, sentence.index, dated)
                named = context.countries
                for k, old in enumerate(told, start):
                    if events[k] is not old:
                        events[k] = event_on_its_date(events[k], self.mentions.lexicon, named)
            context.remember(actors.mentions_in(range(len(sentence.tokens))))
            context.last_subject = main_subject(actors)
        events = with_confidence(events)
        return merge_events(events) if merge else events

    # -- sentence level ---------------------------------------------------------------------

    def code_sentence(
        self,
        sentence: Sentence,
        actors: SentenceActors,
        dated: list[tuple[str, EventDate]] | None = None,
    ) -> list[Event]:
        """The events of one sentence. DATED, if given, collects (CAMEO root, date) of triggers
        that made no event but carry a date."""
        found = find_triggers(self.triggers, sentence, actors)
        consumed: set[int] = set()
        for item in found:
            consumed |= item.object_tokens
        by_index = {item.index: item for item in found}
        governed = governed_triggers(actors, found)
        assemble = partial(self.assembler.events, sentence, actors)
        events: list[Event] = [e for d in demanded_clauses(actors) for e in assemble(d)]
        for item in found:
            if item.index in governed or item.index in consumed:
                continue
            if item.rule.pos == "noun":
                draft = nominal_event(self.cameo, actors, item)
            else:
                draft = verbal_event(self.cameo, actors, item, by_index, governed)
            made = assemble(draft) if draft is not None else []
            events.extend(made)
            if not made and dated is not None and is_past_retelling(actors, item):
                # An event told again without its actors may still date it ("the two
                # accords reached Apr. 27"): the document level uses that.
                date = self.dates.for_trigger(sentence, actors, item.index, "past")
                if date.source == "text":
                    dated.append((item.rule.cameo[:2], date))
        events.extend(statement_events(actors, self.evaluations, events, assemble))
        events.extend(e for d in wishes(actors) for e in assemble(d))
        return requests_of(sentence, actors, events, assemble)


class Coder:
    """Documents or texts in, events out."""

    def __init__(
        self,
        settings: Settings | None = None,
        lexicon_dir: str | Path | None = None,
        *,
        nlp: Any = None,
        parse_all: bool = False,
        model: str | Path | None = None,
    ) -> None:
        settings = settings or Settings()
        self.settings = settings
        # The user's lexicon directory, if any: a trained model records its content hash.
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir is not None else None
        self.actors = ActorLexicon(lexicon_dir)
        self.triggers = TriggerLexicon(lexicon_dir)
        self.cameo = CameoTable(lexicon_dir)
        self.publishers = PublisherLexicon(lexicon_dir)
        self.off_topic = OffTopic(lexicon_dir)
        self.evaluations = EvaluationLexicon(lexicon_dir)
        self.events = EventCoder(
            MentionFinder(self.actors),
            self.triggers,
            self.cameo,
            DateResolver(),
            PlaceFinder(Gazetteer(lexicon_dir)),
            self.evaluations,
        )
        self.parser = Parser(nlp if nlp is not None else settings.model)
        self.parse_all = parse_all  # parse every sentence (slower; for comparison)
        # The learned scorer (learned.py): MODEL, else the setting; none means the rules alone.
        self.generator = CandidateGenerator(self.triggers, self.cameo, self.evaluations)
        model_path = resolve_scorer_model(
            str(model) if model is not None else settings.scorer_model
        )
        self.scorer = EventScorer.load(model_path) if model_path is not None else None
        # One event per retold event (False: every telling, as sentence-level scoring needs).
        self.merge_mentions = True
        # Events less sure than this are not given out (evaluation sets 0 to see them all). A
        # learned scorer's events are kept by its own threshold (its score is another scale).
        self.min_confidence = settings.min_confidence if self.scorer is None else 0.0
        # CAMEO 01 statements have no PLOVER type: no event in our output unless asked for
        # (an analyst reads "X commented" as no event between actors).
        self.statements = settings.statements
        # Events of bodies coded so far, so an exact duplicate is not parsed twice. Bounded.
        self._coded_by_hash: dict[str, tuple[str, list[Event]]] = {}

    # -- what to parse ------------------------------------------------------------------------

    def could_hold_event(self, text: str, named_before: bool = True) -> bool:
        """A trigger word and something that can be an actor: else no event can come out.

        The actor can be a name from the lexicons (a country, its people or capital, an
        organisation, an office holder) or, when the document has named one before
        (NAMED_BEFORE), an agent word ("police", "minister") or a word that refers back ("they",
        "the two sides"): those are coded from what was named. Then also a trigger with a
        stated date and no actor: it may date an event told before.
        """
        words = _WORD.findall(text)
        if words and words[-1].endswith(".") and words[-1].count(".") == 1:
            words[-1] = words[-1][:-1]  # "with Sweden." ends the sentence; "U.S." keeps its dots
        lemmas = self.triggers.lemmas
        if not any(not lemmas.isdisjoint(word_lemmas(w)) for w in words) and not (
            self._states_an_evaluation(words)
        ):
            return False
        if self.actors.phrase_matches(words) or self._names_a_people(words):
            return True
        if not named_before:
            return False
        if _STATED_DATE.search(text):
            # A trigger with a date and no actor may retell an earlier event ("The accord was
            # signed on 4 March 2011"): it dates that event (dating.date_from_retelling).
            return True
        agents = self.actors.agents
        org_heads = self.actors.org_heads
        if _names_an_organisation(words):
            return True
        for w in words:
            lower = w.lower()
            if lower in _REFERRING_WORDS or lower in org_heads:
                return True
            if agents.longest_at([lower], 0) is not None:
                return True
            if lower.endswith("s") and agents.longest_at([lower[:-1]], 0) is not None:
                return True
        return False

    def introduces_an_organisation(self, text: str) -> bool:
        """ "Irish airline Aer Lingus", "Oslo-based ferry operator Fjordlinje": a sentence that
        gives a company the lexicons do not know its country. It is parsed even without a
        trigger, so that the document knows whose the company is when it acts later."""
        words = _WORD.findall(text)
        heads = self.actors.org_heads
        for k, word in enumerate(words):
            place = word[:-6] if word.endswith("-based") else word
            if not place[:1].isupper() or self.actors.countries.lookup(place) is None:
                continue
            following = words[k + 1 : k + 5]
            for j, other in enumerate(following[:-1]):
                if other.lower() in heads and following[j + 1][:1].isupper():
                    return True
        return False

    def _states_an_evaluation(self, words: list[str]) -> bool:
        """A statement verb and an evaluative word: "X said Y had failed" (speech.py)."""
        forms = [word_lemmas(w) for w in words]
        if any(not CLAIMING_VERBS.isdisjoint(f) for f in forms):
            return True
        polarity = self.evaluations.polarity
        if not any(not STATEMENT_VERBS.isdisjoint(f) for f in forms):
            return False
        if any(any(lemma in polarity for lemma in f) for f in forms):
            return True
        return any(
            all(any(word in f for f in forms) for word in phrase)
            for phrase in self.evaluations.phrases
        )

    def _names_a_people(self, words: list[str]) -> bool:
        """ "Bolivians", "Palestinians": a people named in the plural."""
        for word in words:
            if word[:1].isupper() and word.endswith("s") and word[1:-1].islower():
                match = self.actors.countries.lookup(word[:-1])
                if match is not None and match.kind == "demonym":
                    return True
        return False

    def sentence_filter(self, document: Document) -> Callable[[str], bool]:
        """could_hold_event for the sentences of DOCUMENT, read in order."""
        named = [False]
        home = self.context_for(document).home_country is not None

        def keep(text: str) -> bool:
            if not named[0] and self.actors.phrase_matches(_WORD.findall(text)):
                named[0] = True
            return self.could_hold_event(
                text, named_before=named[0] or home
            ) or self.introduces_an_organisation(text)

        return keep

    # -- coding -----------------------------------------------------------------------------

    def context_for(self, document: Document) -> DocumentContext:
        published = _date_of(document.metadata.published)
        home = None
        if document.metadata.publisher:
            outlet = self.publishers.find(document.metadata.publisher)
            home = outlet.country if outlet and outlet.country else None
        if home is None and document.metadata.url:
            outlet = self.publishers.by_url(document.metadata.url)
            home = outlet.country if outlet and outlet.country else None
        words = _WORD.findall(document.body)
        named = countries_of(self.actors.phrase_matches(words, on=published), words)
        return DocumentContext(
            published=published, home_country=home or None, document_countries=named
        )

    def code_document(self, document: Document, sentences: list[Sentence]) -> list[Event]:
        if self.scorer is not None:
            return self._scored_document(document, sentences, self.scorer)
        events = self.events.code_document(
            document.doc_id,
            (s for s in sentences if s.tokens),
            self.context_for(document),
            merge=self.merge_mentions,
        )
        return [e for e in events if e.confidence >= self.min_confidence and self._typed(e)]

    def _typed(self, event: Event) -> bool:
        """Is EVENT written: a PLOVER type, or a statement when statements are asked for."""
        return bool(event.plover_type) or self.statements

    def _scored_document(
        self, document: Document, sentences: list[Sentence], scorer: EventScorer
    ) -> list[Event]:
        """The rules propose (with every candidate of learned.py), the learned scorer decides."""
        proposed, _ = propose_document(
            self.events,
            self.generator,
            document.doc_id,
            (s for s in sentences if s.tokens),
            self.context_for(document),
        )
        coding = ScoredCoding(scorer, self.events.assembler)
        events = [e for found in proposed for e in coding.events_of(found)]
        events = merge_events(events) if self.merge_mentions else events
        return [e for e in events if e.confidence >= self.min_confidence and self._typed(e)]

    def code_documents(
        self, documents: Iterable[Document], *, on_error: str = "raise"
    ) -> Iterator[tuple[Document, list[Event] | Rejection]]:
        """Each document with its events, in order; parsed in batches across documents.

        Documents with a skip_reason, or off topic (sport), get none. An exact duplicate of a
        document coded earlier in the run is not parsed again: it gets that document's events
        under its own doc_id (each copy is one more article reporting them, which
        cross-document merging counts). With
        on_error="skip", a document the coder fails on (a bug) gets a T301 Rejection instead.
        """
        keep = None if self.parse_all else self.sentence_filter
        coded = self._coded_by_hash
        plan: deque[tuple[Document, str]] = deque()
        seen: set[str] = set(coded)

        def to_parse() -> Iterator[Document]:
            for document in documents:
                if document.skip_reason or self.off_topic.topic_of(document.body):
                    action = "skip"
                elif _reuse_key(document) in seen:
                    action = "reuse"
                else:
                    action = "code"
                    seen.add(_reuse_key(document))
                plan.append((document, action))
                yield document if action == "code" else replace(document, paragraphs=())

        for _, sentences in self.parser.parse_many(to_parse(), keep=keep):
            document, action = plan.popleft()
            if isinstance(sentences, Exception):
                if on_error == "raise":
                    raise sentences
                yield document, _internal_error(document, "parsing", sentences, "T302")
                continue
            if action == "skip":
                yield document, []
                continue
            if action == "reuse" and _reuse_key(document) in coded:
                yield (
                    document,
                    [_moved(e, document.doc_id) for e in coded[_reuse_key(document)][1]],
                )
                continue
            try:
                events = self.code_document(document, sentences)
            except Exception as exc:
                if on_error == "raise":
                    raise
                yield document, _internal_error(document, "coding events", exc, "T301")
                continue
            if len(coded) > 50_000:
                coded.clear()  # a bound on memory; duplicates are usually close together
                seen.clear()
            coded[_reuse_key(document)] = (document.doc_id, events)
            yield document, events

    def code_text(
        self, text: str, published: dt.date | str | None = None, doc_id: str = "text"
    ) -> list[Event]:
        """Events of one text (a sentence or a whole article), dated against PUBLISHED."""
        return self.code_texts([(text, published, doc_id)])[0]

    def code_texts(
        self, items: Iterable[tuple[str, dt.date | str | None, str]]
    ) -> list[list[Event]]:
        documents = [text_document(text, published, doc_id) for text, published, doc_id in items]
        out: list[list[Event]] = []
        for _, events in self.code_documents(documents):
            if isinstance(events, Rejection):  # not with on_error="raise"; for the type checker
                raise RuntimeError(str(events))
            out.append(events)
        return out

    def code_articles(
        self, articles: Iterable[tuple[str, str, str | None, str | None, str | None]]
    ) -> Iterator[tuple[str, str, list[Event]]]:
        """(doc id, clean body, events) of each (doc id, text, date, publisher, url) article."""
        documents = []
        for doc_id, text, published, publisher, url in articles:
            document = text_document(text, published, doc_id)
            metadata = replace(document.metadata, publisher=publisher, url=url)
            documents.append(replace(document, metadata=metadata))
        for document, events in self.code_documents(documents, on_error="skip"):
            yield document.doc_id, document.body, [] if isinstance(events, Rejection) else events

    def code_plover_texts(
        self, items: Iterable[tuple[str, dt.date | str | None, str]]
    ) -> list[list[Event]]:
        """As code_texts, keeping only events PLOVER has a type for (not CAMEO's 01
        statements): what PLOVER gold data can score."""
        return [[e for e in events if e.plover_type] for events in self.code_texts(items)]


def _names_an_organisation(words: list[str]) -> bool:
    """An acronym ("LSE", "BAA"): a name the lexicons may not know, which the parser may find
    to be an organisation. (Any two capitalised words would have the filter keep a fifth more
    of a news corpus's sentences, for few events.)"""
    return any(len(word) >= 2 and word.isupper() and word.isalpha() for word in words)


def code(
    text: str, date: dt.date | str | None = None, *, coder: Coder | None = None
) -> list[Event]:
    """The events of TEXT (a sentence or an article) published on DATE.

    Loads the lexicons and the spaCy model on each call unless CODER is given: to code many
    texts, make one Coder and call its code_text or code_texts.
    """
    return (coder or Coder()).code_text(text, date)


def text_document(text: str, published: dt.date | str | None, doc_id: str) -> Document:
    """A Document for a bare text: typography normalised, one paragraph per non-empty line."""
    text = without_surrogates(text)  # API callers' strings have not been through a reader
    body, _ = normalise_typography(text.replace("\r\n", "\n"))
    paragraphs = []
    position = 0
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped)
            paragraphs.append(Span(start, start + len(stripped)))
        position += len(line) + 1
    if isinstance(published, dt.date):
        published = published.isoformat()
    return Document(
        doc_id=doc_id,
        content_hash=content_hash(body),
        source_path="-",
        location=doc_id,
        media_type="text/plain",
        raw_text=text,
        body=body,
        paragraphs=tuple(paragraphs),
        offset_map=OffsetMap(),
        metadata=Metadata(published=published or None),
    )


def _internal_error(document: Document, step: str, exc: Exception, code: str) -> Rejection:
    """A document a step failed on (a bug, or input no rule foresaw), as a coded rejection."""
    message = " ".join(str(exc).split())[:300]
    return Rejection(
        document.location,
        "code",
        code,
        f"internal error while {step}: {type(exc).__name__}: {message}",
    )


def _reuse_key(document: Document) -> str:
    """Copies of one text reuse its events only when published the same day: the date decides
    office holders' and parties' roles and the events' dates."""
    return f"{document.content_hash}|{document.metadata.published or ''}"


def _moved(event: Event, doc_id: str) -> Event:
    event_id = hashlib.sha256(f"{doc_id}|{event.event_id}".encode()).hexdigest()[:16]
    return replace(event, doc_id=doc_id, event_id=event_id)


def _date_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
