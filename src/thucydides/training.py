"""Training the learned scorer (coder/learned.py) from annotated articles: `thucydides train`.

Annotation files are the gold of `thucydides evaluate --articles` (evaluate_articles.py): one
sentence a line, with its text or its offsets in an article, and its events. Each article is
coded whole by the rule coder with the scorer's candidate generator watching; a candidate belongs
to the gold sentence whose span holds its trigger (as evaluate scores events), and it is a positive
example when its (source, target, PLOVER type) matches one of that sentence's gold events under
evaluate's rules (an empty gold source or target matches anything).

The model is a logistic regression with an L2 penalty, fitted by L-BFGS (scipy.optimize) over
binary features indexed by a vocabulary (features seen at least MIN_COUNT times). scikit-learn is
not a dependency and a linear model this size needs nothing more; it is fast on a CPU and each
weight can be read. Scores are cross-validated by article (k folds, fixed seed): the folds'
out-of-fold scores choose the two thresholds of `select` (the best F1 with precision at least
TARGET_PRECISION, else at least the rules' precision on the same folds, else the most precise
setting), and a dev set, if
given, is scored by the final model that never saw it, beside the rules alone.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, sparse

from .coder import Coder, text_document
from .coder.learned import Candidate, EventScorer, SentenceCandidates, propose_document, select
from .errors import InputError
from .evaluate_articles import (
    Article,
    GoldSentence,
    PredTriple,
    RealNewsGold,
    load_articles,
    load_realnews_gold,
    pair_triples,
    sentence_spans,
    with_sentences_from,
)
from .lexicon import lexicon_version
from .types import Event

ERROR_CODE = "T704"  # training cannot go on (no data, dev set inside the training data)
MIN_COUNT = 2
DEFAULT_L2 = 8.0
DEFAULT_FOLDS = 5
DEFAULT_SEED = 2026
THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(15))  # 0.2 .. 0.9
# Thresholds tried for the events the rules make themselves (see scorer.select).
RULE_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
# Precision the thresholds must reach: the target if any pair reaches it, else the
# rules' own precision on the same folds (the scorer may add recall, never lose precision).
TARGET_PRECISION = 0.70
# How far the model may overrule the rules (see `cross_validate`).
POLICIES = ("add", "decide")
DEFAULT_POLICY = "add"


@dataclass
class TrainingSentence:
    """One gold sentence with the candidates proposed in it and the rule coder's events."""

    gold: GoldSentence
    candidates: list[Candidate]
    rule_triples: dict[PredTriple, float]  # the rules' triples with their confidence
    labels: list[int] = field(default_factory=list)


@dataclass
class Scores:
    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(matched {self.matched}, predicted {self.predicted}, gold {self.gold})"
        )

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def file_hash(paths: Iterable[str | Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(str(p) for p in paths):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


# Where each gold event's trigger is, relative to its sentence: (start, end), or None when the
# gold does not say. Keyed by (article id, gold line id); in the order of the line's triples.
GoldTriggers = dict[tuple[str, str], list[tuple[int, int] | None]]


def gold_triggers(path: str | Path, sentences: Sequence[GoldSentence]) -> GoldTriggers:
    """The trigger of each gold event of PATH, from `trigger_start`/`trigger_end` (offsets in
    the article) or from the `trigger` words found in the sentence."""
    by_key = {(s.doc_id, s.record_id): s for s in sentences}
    out: GoldTriggers = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        key = (str(record.get("doc")), str(record.get("id") or f"{Path(path).name}:{number}"))
        sentence = by_key.get(key)
        if sentence is None:
            continue
        spans: list[tuple[int, int] | None] = []
        for event in record.get("events") or []:
            if not isinstance(event, dict) or not str(event.get("plover") or "").strip():
                continue
            start, end = event.get("trigger_start"), event.get("trigger_end")
            words = event.get("trigger")
            if isinstance(start, int) and isinstance(end, int) and sentence.span is not None:
                spans.append((start - sentence.span[0], end - sentence.span[0]))
            elif isinstance(words, str) and words.strip():
                at = sentence.sentence.lower().find(words.strip().lower())
                spans.append((at, at + len(words.strip())) if at >= 0 else None)
            else:
                spans.append(None)
        out[key] = spans
    return out


def load_annotations(
    gold_paths: Sequence[str | Path],
    article_paths: Sequence[str | Path],
    skipped: list[str],
    publisher: str | None = None,
) -> tuple[list[GoldSentence], dict[str, Article], GoldTriggers]:
    """The gold sentences of every file (text read from the articles where only offsets are
    given), the articles they name, and where the gold events' triggers are."""
    sentences: list[GoldSentence] = []
    for path in gold_paths:
        gold = load_realnews_gold(path)
        skipped.extend(gold.skipped)
        sentences.extend(gold.sentences)
    wanted = {s.doc_id for s in sentences}
    articles: dict[str, Article] = {}
    for path in article_paths:
        articles.update(load_articles(path, wanted - set(articles), skipped))
    gold = with_sentences_from(RealNewsGold(sentences), articles, skipped)
    dates = {s.doc_id: s.date for s in gold.sentences if s.date}
    articles = {
        k: replace(a, date=a.date or dates.get(k), publisher=a.publisher or publisher)
        for k, a in articles.items()
    }
    triggers: GoldTriggers = {}
    for path in gold_paths:
        triggers.update(gold_triggers(path, gold.sentences))
    return gold.sentences, articles, triggers


def collect(
    coder: Coder,
    sentences: Sequence[GoldSentence],
    articles: dict[str, Article],
    triggers: GoldTriggers | None = None,
) -> list[TrainingSentence]:
    """Code each article with candidates; the candidates of each gold sentence, labelled: a
    candidate is right when its triple matches a gold event of the sentence whose trigger (when
    the gold gives it) holds the candidate's trigger word."""
    by_doc: dict[str, list[GoldSentence]] = defaultdict(list)
    for s in sentences:
        if s.doc_id in articles:
            by_doc[s.doc_id].append(s)
    documents = []
    for doc_id in by_doc:
        a = articles[doc_id]
        document = text_document(a.text, a.date, doc_id)
        metadata = replace(document.metadata, publisher=a.publisher, url=a.url)
        documents.append(replace(document, metadata=metadata))
    out: list[TrainingSentence] = []
    for document, parsed in coder.parser.parse_many(documents, keep=coder.sentence_filter):
        gold_lines = by_doc[document.doc_id]
        proposed: list[SentenceCandidates] = []
        events: list[Event] = []
        if not isinstance(parsed, Exception) and not coder.off_topic.topic_of(document.body):
            proposed, events = propose_document(
                coder.events,
                coder.generator,
                document.doc_id,
                (s for s in parsed if s.tokens),
                coder.context_for(document),
            )
        spans = sentence_spans(document.body, [g.sentence for g in gold_lines])
        for gold, span in zip(gold_lines, spans, strict=True):
            mine: list[Candidate] = []
            rules: dict[PredTriple, float] = {}
            if span is not None:
                for found in proposed:
                    mine.extend(c for c in found.candidates if span[0] <= c.trigger_start < span[1])
                for e in events:
                    if span[0] <= e.trigger_start < span[1] and e.plover_type:
                        t = _triple(e.source.key, e.target.key if e.target else None, e.plover_type)
                        rules[t] = max(rules.get(t, 0.0), e.confidence)
            item = TrainingSentence(gold, mine, rules)
            where = (triggers or {}).get((gold.doc_id, gold.record_id), [])
            offset = span[0] if span is not None else 0
            item.labels = [int(is_gold_event(gold, where, c, offset)) for c in mine]
            out.append(item)
    return out


def _triple(source: str, target: str | None, kind: str) -> PredTriple:
    return (source, None if target == "---" else target, kind)


def is_gold_event(
    gold: GoldSentence,
    triggers: Sequence[tuple[int, int] | None],
    candidate: Candidate,
    sentence_start: int,
) -> bool:
    """CANDIDATE's triple matches a gold event of GOLD whose trigger (TRIGGERS, relative to
    the sentence; None: not given) holds the candidate's trigger (a character of slack for
    typography the cleaner changed)."""
    at = candidate.trigger_start - sentence_start
    for k, triple in enumerate(gold.triples):
        span = triggers[k] if k < len(triggers) else None
        if span is not None and not span[0] - 2 <= at < span[1] + 2:
            continue
        if pair_triples([triple], [candidate.triple])[0]:
            return True
    return False


def matches_gold(gold: GoldSentence, triple: PredTriple) -> bool:
    """TRIPLE matches one of GOLD's events under evaluate's rules."""
    matched, _, _ = pair_triples(gold.triples, [triple])
    return bool(matched)


# --- fitting ------------------------------------------------------------------------------------


def build_vocabulary(
    items: Sequence[TrainingSentence], min_count: int = MIN_COUNT
) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for c in item.candidates:
            for f in set(c.features):
                counts[f] += 1
    names = sorted(f for f, n in counts.items() if n >= min_count)
    return {f: k for k, f in enumerate(names)}


def design_matrix(candidates: Sequence[Candidate], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for r, c in enumerate(candidates):
        for k in {vocabulary[f] for f in c.features if f in vocabulary}:
            rows.append(r)
            cols.append(k)
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(candidates), len(vocabulary)))


def fit_logistic(
    x: sparse.csr_matrix,
    y: np.ndarray,
    l2: float = DEFAULT_L2,
    max_iter: int = 300,
    positive_weight: float = 1.0,
) -> tuple[np.ndarray, float]:
    """Weights and bias minimising the log loss plus L2/2 * |w|^2 (the bias is not penalised);
    each positive example counts POSITIVE_WEIGHT times (a class weight)."""
    d = x.shape[1]
    xt = x.T.tocsr()
    weight = np.where(y > 0, positive_weight, 1.0)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:d], params[d]
        z = x @ w + b
        # log(1 + e^z) - y z, computed without overflow
        value = float(np.sum(weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * w @ w)
        p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, stable
        residual = weight * (p - y)
        grad = np.empty(d + 1)
        grad[:d] = xt @ residual + l2 * w
        grad[d] = residual.sum()
        return value, grad

    result = optimize.minimize(
        loss,
        np.zeros(d + 1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter},
    )
    params = result.x
    return params[:d], float(params[d])


def train_scorer(
    items: Sequence[TrainingSentence],
    *,
    l2: float = DEFAULT_L2,
    threshold: float = 0.5,
    min_count: int = MIN_COUNT,
    positive_weight: float = 1.0,
) -> EventScorer:
    vocabulary = build_vocabulary(items, min_count)
    candidates = [c for item in items for c in item.candidates]
    labels = np.asarray([label for item in items for label in item.labels], dtype=np.float64)
    if not candidates or labels.sum() == 0:
        raise InputError("training data", "no candidate matches a gold event", code=ERROR_CODE)
    weights, bias = fit_logistic(
        design_matrix(candidates, vocabulary), labels, l2, positive_weight=positive_weight
    )
    return EventScorer(vocabulary, weights, bias, threshold)


# --- scoring ------------------------------------------------------------------------------------


def set_scores(scorer: EventScorer, items: Sequence[TrainingSentence]) -> None:
    for item in items:
        sums: dict[int, float] = {}
        for c in item.candidates:
            c.score = scorer.score(c, sums)


def score_at(
    items: Sequence[TrainingSentence],
    threshold: float,
    rule_threshold: float | None = None,
    keep_rules: bool = False,
) -> Scores:
    """Scores of the triples `select` keeps at the thresholds (candidates scored already)."""
    total = Scores(0, 0, 0)
    for item in items:
        kept = select(item.candidates, threshold, rule_threshold, keep_rules=keep_rules)
        _add(total, item.gold, [c.triple for c in kept])
    return total


def score_with(scorer: EventScorer, items: Sequence[TrainingSentence]) -> Scores:
    """Scores of SCORER's kept triples against the gold of ITEMS."""
    set_scores(scorer, items)
    return score_at(items, scorer.threshold, scorer.rule_threshold, scorer.keep_rules)


def score_rules(items: Sequence[TrainingSentence], min_confidence: float) -> Scores:
    total = Scores(0, 0, 0)
    for item in items:
        predicted = [t for t, conf in item.rule_triples.items() if conf >= min_confidence]
        _add(total, item.gold, predicted)
    return total


def _add(total: Scores, gold: GoldSentence, predicted: Sequence[PredTriple]) -> None:
    unique = list(dict.fromkeys(predicted))
    matched, _, _ = pair_triples(gold.triples, unique)
    total.matched += len(matched)
    total.predicted += len(unique)
    total.gold += len(gold.triples)


def folds_by_article(
    items: Sequence[TrainingSentence], k: int, seed: int
) -> list[list[TrainingSentence]]:
    docs = sorted({item.gold.doc_id for item in items})
    random.Random(seed).shuffle(docs)
    fold_of = {doc: n % k for n, doc in enumerate(docs)}
    folds: list[list[TrainingSentence]] = [[] for _ in range(k)]
    for item in items:
        folds[fold_of[item.gold.doc_id]].append(item)
    return folds


@dataclass
class CrossValidation:
    # (threshold, rule threshold, keep the rules' events where they made one) -> scores
    by_threshold: dict[tuple[float, float, bool], Scores]
    threshold: tuple[float, float, bool]
    rules: Scores

    @property
    def best(self) -> Scores:
        return self.by_threshold[self.threshold]


def cross_validate(
    items: Sequence[TrainingSentence],
    *,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    l2: float = DEFAULT_L2,
    min_count: int = MIN_COUNT,
    rules_min_confidence: float = 0.4,
    positive_weight: float = 1.0,
    policy: str = DEFAULT_POLICY,
    progress: Callable[[str], None] | None = None,
) -> CrossValidation:
    """Out-of-fold scores at every setting of `select` that POLICY allows, folds by article;
    the one chosen by `choose_setting`.

    POLICY "add": the rules' events are kept (their trigger words get no other event), and the
    model adds events at trigger words the rules made none of, above a threshold. (Letting it
    drop rule events it gives less than 0.05 or 0.1 gained 0.002 precision on the folds and
    lost 0.06 recall on the PLOVER dev sentences.) "decide": the model may also drop rule
    events and put its own pair in their place (the thresholds of both and keep_rules are all
    chosen on the folds): for annotations whose conventions differ from the rules'. On articles
    the rules were tuned on it loses the rules' precision (see the README)."""
    if policy not in POLICIES:
        raise InputError("policy", f"not one of {', '.join(POLICIES)}", code=ERROR_CODE)
    parts = folds_by_article(items, folds, seed)
    if policy == "add":
        grid = [(t, 0.0, True) for t in THRESHOLDS]
    else:
        grid = [(t, r, k) for t in THRESHOLDS for r in RULE_THRESHOLDS for k in (False, True)]
    totals = {g: Scores(0, 0, 0) for g in grid}
    for n, held in enumerate(parts):
        train = [item for m, part in enumerate(parts) if m != n for item in part]
        if not held or not train:
            continue
        scorer = train_scorer(train, l2=l2, min_count=min_count, positive_weight=positive_weight)
        set_scores(scorer, held)
        for t, r, k in grid:
            s = score_at(held, t, r, k)
            totals[t, r, k].matched += s.matched
            totals[t, r, k].predicted += s.predicted
            totals[t, r, k].gold += s.gold
        if progress is not None:
            progress(f"fold {n + 1}/{len(parts)}: {score_at(held, 0.5).line()} at 0.5")
    rules = score_rules(items, rules_min_confidence)
    chosen = choose_setting(totals, rules.precision)
    if progress is not None:
        for g in grid:
            if g[1:] == chosen[1:]:
                progress(f"  threshold {g[0]}: {totals[g].line()}")
        for k, r in sorted({(g[2], g[1]) for g in grid}):
            t = max((g[0] for g in grid if g[1:] == (r, k)), key=lambda t: (totals[t, r, k].f1, -t))
            progress(
                f"  best at rule threshold {r}{', rules kept' if k else ''}: "
                f"threshold {t}: {totals[t, r, k].line()}"
            )
    return CrossValidation(totals, chosen, rules)


Setting = tuple[float, float, bool]  # (threshold, rule threshold, rules kept)


def choose_setting(totals: dict[Setting, Scores], rules_precision: float) -> Setting:
    """The best F1 with precision at least TARGET_PRECISION, else at least RULES_PRECISION (the
    rules' own on the same sentences), else the most precise setting: the scorer may add
    recall, never trade the rules' precision for it (the best F1 at any precision added events
    at 0.42 precision on the annotations, where the rules had 0.62)."""
    for target in (TARGET_PRECISION, rules_precision):
        good = [g for g in totals if totals[g].precision >= target and totals[g].matched]
        if good:
            return max(good, key=lambda g: (totals[g].f1, g[2], -g[0], -g[1]))
    return max(totals, key=lambda g: (totals[g].precision, totals[g].f1, g[2], -g[0], -g[1]))


def training_info(
    gold_paths: Sequence[str | Path],
    article_paths: Sequence[str | Path],
    coder: Coder,
    items: Sequence[TrainingSentence],
    seed: int,
    l2: float,
) -> dict[str, Any]:
    return {
        "gold_files": [str(p) for p in gold_paths],
        "gold_hash": file_hash(gold_paths),
        "articles_hash": file_hash(article_paths),
        "lexicon_version": lexicon_version(coder.lexicon_dir),
        "spacy_model": coder.settings.model,
        "sentences": len(items),
        "articles": len({i.gold.doc_id for i in items}),
        "gold_events": sum(len(i.gold.triples) for i in items),
        "candidates": sum(len(i.candidates) for i in items),
        "positives": sum(sum(i.labels) for i in items),
        "seed": seed,
        "l2": l2,
        "min_count": MIN_COUNT,
    }


@dataclass
class TrainingRun:
    """What `thucydides train` was asked to do."""

    gold_paths: list[Path]
    article_paths: list[Path]
    out: Path
    dev: Path | None = None
    dev_articles: Path | None = None
    publisher: str | None = None
    folds: int = DEFAULT_FOLDS
    seed: int = DEFAULT_SEED
    l2: float = DEFAULT_L2
    rules_min_confidence: float = 0.4
    positive_weight: float = 1.0
    policy: str = DEFAULT_POLICY


def run_training(
    coder: Coder, run: TrainingRun, progress: Callable[[str], None] = lambda _: None
) -> EventScorer:
    """Collect, cross-validate by article, train on everything, score the dev set, save."""
    skipped: list[str] = []
    sentences, articles, triggers = load_annotations(
        run.gold_paths, run.article_paths, skipped, run.publisher
    )
    for line in skipped[:20]:
        progress(f"skipped: {line}")
    dev_items: list[TrainingSentence] = []
    if run.dev is not None:
        dev_sentences, dev_arts, dev_triggers = load_annotations(
            [run.dev], [run.dev_articles or run.article_paths[0]], skipped, run.publisher
        )
        shared = sorted({s.doc_id for s in dev_sentences} & {s.doc_id for s in sentences})
        if shared:
            raise InputError(
                str(run.dev),
                f"{len(shared)} dev articles are in the training data ({', '.join(shared[:5])})",
                code=ERROR_CODE,
            )
    progress(f"coding {len(articles)} training articles ({len(sentences)} gold sentences)")
    items = collect(coder, sentences, articles, triggers)
    if not items:
        raise InputError(str(run.gold_paths[0]), "no gold sentence found", code=ERROR_CODE)
    cv = cross_validate(
        items,
        folds=run.folds,
        seed=run.seed,
        l2=run.l2,
        rules_min_confidence=run.rules_min_confidence,
        positive_weight=run.positive_weight,
        policy=run.policy,
        progress=progress,
    )
    threshold, rule_threshold, keep_rules = cv.threshold
    progress(
        f"cross-validated by article ({run.folds} folds), threshold {threshold} "
        f"(events the rules make: {rule_threshold}"
        f"{'; where the rules made one, theirs only' if keep_rules else ''}):"
    )
    progress(f"  scorer       {cv.best.line()}")
    progress(f"  rules alone  {cv.rules.line()}")
    scorer = train_scorer(
        items, l2=run.l2, threshold=threshold, positive_weight=run.positive_weight
    )
    scorer.rule_threshold = rule_threshold
    scorer.keep_rules = keep_rules
    scorer.rule_min_confidence = run.rules_min_confidence
    info = training_info(run.gold_paths, run.article_paths, coder, items, run.seed, run.l2)
    info["policy"] = run.policy
    info["positive_weight"] = run.positive_weight
    info["cv"] = {"folds": run.folds, "scorer": cv.best.to_dict(), "rules": cv.rules.to_dict()}
    if run.dev is not None:
        dev_items = collect(coder, dev_sentences, dev_arts, dev_triggers)
        dev_score = score_with(scorer, dev_items)
        dev_rules = score_rules(dev_items, run.rules_min_confidence)
        progress(f"dev {run.dev.name} ({len(dev_items)} sentences, never trained on):")
        progress(f"  scorer       {dev_score.line()}")
        progress(f"  rules alone  {dev_rules.line()}")
        info["dev"] = {
            "file": run.dev.name,
            "scorer": dev_score.to_dict(),
            "rules": dev_rules.to_dict(),
        }
    scorer.info = info
    run.out.parent.mkdir(parents=True, exist_ok=True)
    scorer.save(run.out)
    progress(f"wrote {run.out} ({len(scorer.vocabulary)} features)")
    return scorer
