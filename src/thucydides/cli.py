"""The `thucydides` command: each command checks its arguments, then calls one library function.

User errors print one red line and exit with status 1; `--debug` shows the traceback instead.
Inputs that cannot be used are not errors of the run: they are listed, one line each, and the
run goes on.
"""

from __future__ import annotations

import glob
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from . import __version__
from .analytics import QUERY_LIMIT
from .coder import Coder, text_document
from .errors import ThucydidesError, require_extra
from .pipeline import CODING_CHUNK, ExtractOptions, extract
from .settings import Settings, describe, load_settings, masked
from .store import RUN_STATUSES, Store, store_failure
from .textsafety import json_line, printable
from .types import Document, Event, Rejection, RunSummary

app = typer.Typer(
    name="thucydides",
    help="Political event data from news text: who did what to whom, when and where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stdout = Console()
stderr = Console(stderr=True)
MAX_REJECTIONS_SHOWN = 20
CODE_BATCH = 32  # records `thucydides code` parses together

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Settings file (TOML); default ./thucydides.toml if present."),
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="DuckDB store file [default: ./thucydides.duckdb].")
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Learned scorer model (`thucydides train`): a file, 'packaged' or 'none' "
        "[default: setting scorer_model].",
    ),
]
LexiconDirOption = Annotated[
    Path | None,
    typer.Option("--lexicon-dir", help="Directory of lexicon files added to the packaged ones."),
]


@contextmanager
def _user_errors(debug: bool) -> Iterator[None]:
    """One red line and exit 1 for errors we raise on purpose; a traceback only with --debug."""
    try:
        yield
    except (ThucydidesError, duckdb.Error) as exc:
        if debug:
            raise
        if isinstance(exc, duckdb.Error):  # not met by a Store method: DuckDB's message names it
            exc = store_failure("the store", exc, doing="store error")
        # The message is data (paths, record ids, pip extras in brackets): never Rich markup.
        stderr.print(f"[red]error:[/red] {_shown(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        stderr.print("[red]interrupted[/red]")
        raise typer.Exit(130) from None


def _shown(value: object) -> str:
    """VALUE as data for a Rich console: markup escaped, control characters (an ESC sequence
    rewrites the terminal) and undecodable name bytes shown as \\xNN."""
    return escape(printable(str(value)))


def _version(value: bool) -> None:
    if value:
        stdout.print(f"thucydides {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """Political event data from news text."""


@app.command("extract")
def extract_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or glob patterns ('-' for standard input): "
            ".txt .html .jsonl .json .csv .tsv .warc(.gz) and .gz of those."
        ),
    ],
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Also write documents.jsonl, events.jsonl, rejects.jsonl and summary.json "
            "to this directory.",
        ),
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not write to the DuckDB store.")
    ] = False,
    lexicon_dir: LexiconDirOption = None,
    model: ModelOption = None,
    config: ConfigOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes doing the cleaning and coding (1: this process only) "
            "[default: all cores].",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    debug: DebugOption = False,
) -> None:
    """Read, clean and deduplicate news pages, code their events, and store both.

    A run killed midway and started again with the same arguments goes on where it stopped.
    """
    with _user_errors(debug):
        settings = load_settings(config, db=db).replace(scorer_model=model)
        if lexicon_dir is not None and not lexicon_dir.is_dir():
            raise ThucydidesError(f"--lexicon-dir {lexicon_dir}: not a directory", code="T501")
        total = _count_inputs(paths)
        n_workers = workers or os.cpu_count() or 1
        if total is not None:
            # Each worker loads the model: no more workers than there are chunks to give them.
            n_workers = max(1, min(n_workers, math.ceil(total / CODING_CHUNK)))
        options = ExtractOptions(
            out_dir=out,
            lexicon_dir=lexicon_dir,
            use_store=not no_store,
            on_error="raise" if debug else "skip",
            workers=n_workers,
        )
        shown = 0

        def report(item: Document | Rejection, summary: RunSummary) -> None:
            nonlocal shown
            if isinstance(item, Rejection):
                shown += 1
                if shown <= MAX_REJECTIONS_SHOWN:
                    stderr.print(
                        f"[yellow]rejected[/yellow] {_shown(item)}", highlight=False, soft_wrap=True
                    )

        with _progress(quiet, total, loading_model=options.code_events) as advance:

            def on_item(item: Document | Rejection, summary: RunSummary) -> None:
                report(item, summary)
                advance(summary)

            summary = extract(paths, settings, options, on_item=on_item)
        if shown > MAX_REJECTIONS_SHOWN:
            where = f" (all in {out / 'rejects.jsonl'})" if out else ""
            stderr.print(f"... and {shown - MAX_REJECTIONS_SHOWN} more rejected{where}")
        _print_summary(summary, settings, options)


_ONE_DOCUMENT_SUFFIXES = {".txt", ".html", ".htm", ".xhtml"}


def _count_inputs(paths: Iterable[str]) -> int | None:
    """How many inputs PATHS hold, when that is cheap to know: files of one document each and
    JSONL lines (counted without parsing). None for anything else (stdin, compressed, WARC...)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            files += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        elif path.is_file():
            files.append(path)
        else:
            files += [Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file()]
    total = 0
    for file in files:
        suffix = file.suffix.lower()
        if suffix in _ONE_DOCUMENT_SUFFIXES:
            total += 1
        elif suffix == ".jsonl":
            with file.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        else:
            return None
    return total


@contextmanager
def _progress(
    quiet: bool,
    total: int | None = None,
    *,
    loading_model: bool = True,
    console: Console | None = None,
) -> Iterator[Callable[[RunSummary], None]]:
    """The progress line of `extract`. Until the first document is through it says that the
    language model is loading (LOADING_MODEL: the run codes events), which takes seconds."""
    columns: list[Any] = [
        SpinnerColumn(),
        TextColumn("[bold]extract[/bold]"),
        TextColumn("{task.fields[stage]}"),
    ]
    if total is not None:
        columns += [BarColumn(bar_width=20), TextColumn("{task.completed:,}/{task.total:,}")]
    columns += [
        TextColumn(
            "{task.fields[read]} read, {task.fields[docs]} documents, "
            "{task.fields[rejected]} rejected"
        ),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    ]
    if total is not None:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    console = console or stderr
    progress = Progress(
        *columns,
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )
    stage = "loading the language model ..." if loading_model else ""
    with progress:
        task = progress.add_task(
            "extract", total=total, read=0, docs=0, rejected=0, rate="", stage=stage
        )

        def advance(summary: RunSummary) -> None:
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{summary.read / elapsed:,.0f}/s" if elapsed > 1 else ""
            progress.update(
                task,
                completed=summary.read,
                read=summary.read,
                docs=summary.cleaned,
                rejected=summary.rejected,
                rate=rate,
                stage="",
            )

        yield advance


def _print_summary(summary: RunSummary, settings: Settings, options: ExtractOptions) -> None:
    table = Table(title="thucydides extract", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    rows: list[tuple[str, Any]] = [
        ("inputs read", summary.read),
        ("documents cleaned", summary.cleaned),
        ("  exact duplicates", summary.exact_duplicates),
        ("  near duplicates", summary.near_duplicates),
        ("  not in a coded language (kept, flagged)", summary.skipped_language),
        ("repeated paragraphs removed", summary.repeated_paragraphs),
        ("rejected", summary.rejected),
    ]
    rows += [(f"  [{code}]", count) for code, count in sorted(summary.rejections_by_code.items())]
    if options.code_events:
        rows += [
            ("documents coded", summary.coded),
            ("  not coded: about sport (off_topic.tsv)", summary.off_topic),
            ("events", summary.events),
            ("  told before by another document (merged)", summary.merged_events),
        ]
    if options.use_store:
        rows += [("stored (new)", summary.stored), ("already in the store", summary.already_stored)]
    # A few inputs take longer than a second (the model loads): "0 inputs/s" would mislead.
    rate_text = f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"
    rows.append(("time", f"{summary.seconds:.1f} s ({rate_text} inputs/s)"))
    for name, value in rows:
        table.add_row(name, f"{value:,}" if isinstance(value, int) else str(value))
    stdout.print(table)
    if options.use_store:
        stdout.print(f"store: {settings.db}")
    if options.out_dir is not None:
        events = " events.jsonl," if options.code_events else ""
        stdout.print(
            f"output: {options.out_dir}/documents.jsonl,{events} rejects.jsonl, summary.json"
        )


@app.command("code")
def code_command(
    file: Annotated[
        str,
        typer.Argument(
            help='JSONL records {"id", "text", "date"} (one sentence or a whole article each); '
            "'-' or nothing for standard input."
        ),
    ] = "-",
    lexicon_dir: LexiconDirOption = None,
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error",
            help="skip: a record the coder fails on is reported (T30x) and the rest coded; "
            "raise: stop with the error.",
        ),
    ] = "skip",
    model: ModelOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Code events in JSONL records and write them to standard output as JSONL, one per line.

    Each event's doc_id is its record's id.
    Bad records are reported on standard error, one line each; the rest are coded.
    """
    with _user_errors(debug):
        if on_error not in ("skip", "raise"):
            raise ThucydidesError(f"--on-error {on_error!r}: use skip or raise", code="T501")
        settings = load_settings(config).replace(scorer_model=model)
        # Open the input first: a missing file should not wait for the model to load.
        source = sys.stdin if file == "-" else _open_text(file)
        coder = Coder(settings, lexicon_dir)
        name = "<stdin>" if file == "-" else file
        out = sys.stdout
        batch: list[tuple[str, str | None, str]] = []

        def write_batch() -> None:
            # Records are coded CODE_BATCH at a time: spaCy parses a batch faster than one by one.
            documents = [text_document(text, date, doc_id) for text, date, doc_id in batch]
            for _, events in coder.code_documents(documents, on_error=on_error):
                if isinstance(events, Rejection):
                    stderr.print(
                        f"[yellow]rejected[/yellow] {_shown(events)}",
                        highlight=False,
                        soft_wrap=True,
                    )
                    continue
                for event in events:
                    out.write(json_line(event.to_record()))
            out.flush()
            batch.clear()

        for item in iter_code_records(source, name):
            if isinstance(item, Rejection):
                stderr.print(
                    f"[yellow]rejected[/yellow] {_shown(item)}", highlight=False, soft_wrap=True
                )
                continue
            batch.append(item)
            if len(batch) >= CODE_BATCH:
                write_batch()
        write_batch()


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[
        Path,
        typer.Argument(
            help="Gold events: a PLOVER gold-standard JSON file, or JSONL lines "
            '{"text", "date", "source", "target", "event"}.'
        ),
    ],
    errors: Annotated[
        int, typer.Option("--errors", help="Also list this many wrongly coded sentences.")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print how the scores are computed.")
    ] = False,
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles",
            help="Articles (JSONL or .jsonl.gz, {id, text[, date, publisher, url]}) the "
            "sentence-level GOLD was drawn from: each is coded whole and scored by sentence.",
        ),
    ] = None,
    calibration: Annotated[
        bool,
        typer.Option(
            "--calibration", help="With --articles: print precision by confidence and threshold."
        ),
    ] = False,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence", help="With --articles: drop events below this (default: setting)."
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option(
            "--publisher", help="With --articles: the outlet of articles that name none (BBC)."
        ),
    ] = None,
    lexicon_dir: LexiconDirOption = None,
    model: ModelOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Score the event coder on gold data: P/R/F1 on (source, target, type) and more."""
    with _user_errors(debug):
        from .evaluate import describe_scoring, evaluate_gold, format_report, load_gold

        if explain:
            # Plain write: the text is wrapped already, and rich would re-wrap it at 80 columns.
            sys.stdout.write(describe_scoring() + "\n\n")
        settings = load_settings(config).replace(scorer_model=model)
        if articles is not None:
            coder = Coder(settings, lexicon_dir)
            if min_confidence is None:
                # A learned scorer's own threshold decides; the rules' confidence is another scale.
                min_confidence = 0.0 if coder.scorer is not None else settings.min_confidence
            _evaluate_articles(
                gold,
                articles,
                coder,
                min_confidence=min_confidence,
                publisher=publisher,
                errors=errors,
                calibration=calibration,
                as_json=as_json,
            )
            return
        items = load_gold(gold)
        coder = Coder(settings, lexicon_dir)
        report = evaluate_gold(items, batch_coder=coder.code_plover_texts)
        if as_json:
            stdout.print_json(json.dumps(report.to_dict()))
        else:
            sys.stdout.write(format_report(report, errors=errors) + "\n")


def _evaluate_articles(
    gold: Path,
    articles: Path,
    coder: Coder,
    *,
    min_confidence: float,
    publisher: str | None,
    errors: int,
    calibration: bool,
    as_json: bool,
) -> None:
    from .evaluate_articles import Article, evaluate_articles, format_realnews_report

    coder.merge_mentions = False  # scored by sentence: every telling of an event counts
    coder.min_confidence = 0.0  # the threshold is applied when scoring, so --calibration sees all

    def code(items: list[Article]) -> Iterator[tuple[str, str, list[Event]]]:
        return coder.code_articles(
            (a.doc_id, a.text, a.date, a.publisher or publisher, a.url) for a in items
        )

    report = evaluate_articles(gold, articles, code, min_confidence=min_confidence)
    if as_json:
        stdout.print_json(json.dumps(report.to_dict(errors=errors)))
    else:
        sys.stdout.write(
            format_realnews_report(report, errors=errors, calibration=calibration) + "\n"
        )


def iter_code_records(
    lines: Iterable[str], name: str
) -> Iterator[tuple[str, str | None, str] | Rejection]:
    """(text, date, id) for each JSONL record; a Rejection naming the line for a bad one."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            # Without the newline: in a cut-off string it reads as "Invalid control character".
            record = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            # exc.msg alone ends in "at": say where, as extract does.
            message = f"malformed JSON: {exc.msg} (column {exc.colno})"
            yield Rejection(where, "read", "T104", message)
            continue
        if not isinstance(record, dict):
            yield Rejection(where, "read", "T104", "a record must be a JSON object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            named = f"record {record['id']!r}" if "id" in record else "record"
            yield Rejection(where, "read", "T105", f"{named} has no text")
            continue
        doc_id = record.get("id")
        date = record.get("date")
        yield (
            text,
            str(date) if date else None,
            str(doc_id) if doc_id is not None else f"{name}:{number}",
        )


def _open_text(file: str) -> Iterator[str]:
    """The lines of FILE; raises at once (not when first read) if it cannot be opened."""
    path = Path(file)
    # Not is_file(): a pipe such as `code <(zcat x.gz)` is no regular file but reads fine.
    if not path.exists():
        raise ThucydidesError(f"{file}: no such file", code="T101")
    if path.is_dir():
        raise ThucydidesError(f"{file}: is a directory, not a JSONL file", code="T101")
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ThucydidesError(f"{file}: cannot read: {exc.strerror}", code="T101") from None
    return _lines(handle)


def _lines(handle: IO[str]) -> Iterator[str]:
    with handle:
        yield from handle


@app.command("train")
def train_command(
    gold: Annotated[
        list[str],
        typer.Argument(
            help="Annotation files (the gold of `evaluate --articles`; glob patterns allowed)."
        ),
    ],
    articles: Annotated[
        list[Path],
        typer.Option(
            "--articles",
            help="Articles files (JSONL or .jsonl.gz, {id, text[, date, publisher]}) the "
            "annotations refer to; repeat for several.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The model file to write (JSON).")],
    dev: Annotated[
        Path | None,
        typer.Option("--dev", help="Gold to score the trained model on; never trained on."),
    ] = None,
    dev_articles: Annotated[
        Path | None, typer.Option("--dev-articles", help="The articles of --dev.")
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", help="The outlet of articles that name none (BBC)."),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the folds.")] = 2026,
    l2: Annotated[float, typer.Option("--l2", help="L2 penalty of the regression.")] = 8.0,
    positive_weight: Annotated[
        float,
        typer.Option("--positive-weight", help="Class weight of the gold-matching candidates."),
    ] = 1.0,
    policy: Annotated[
        str,
        typer.Option(
            "--policy",
            help="add: keep the rules' events, the model only adds; decide: it may also drop "
            "and replace them.",
        ),
    ] = "add",
    lexicon_dir: LexiconDirOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Train the learned scorer on annotated articles; print cross-validated and dev scores.

    Scores are cross-validated by article; the thresholds are the best F1 of the folds with
    precision at least 0.70, else at least the rules' own precision there. The rules alone are
    scored beside it on the same sentences. The dev set is never trained on.
    """
    with _user_errors(debug):
        from .training import TrainingRun, run_training

        gold_paths = _expand_globs(gold)
        settings = load_settings(config).replace(scorer_model="none")
        coder = Coder(settings, lexicon_dir)
        run = TrainingRun(
            gold_paths=gold_paths,
            article_paths=list(articles),
            out=out,
            dev=dev,
            dev_articles=dev_articles,
            publisher=publisher,
            folds=folds,
            seed=seed,
            l2=l2,
            positive_weight=positive_weight,
            policy=policy,
        )

        def say(line: str) -> None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

        run_training(coder, run, progress=say)


def _expand_globs(patterns: list[str]) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        matched = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matched:
            raise ThucydidesError(f"{pattern}: no file matches", code="T704")
        out.extend(Path(m) for m in matched)
    return out


@app.command("export")
def export_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="File to write, '-' for standard output (for parquet: a new or empty directory).",
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, csv, parquet (partitioned by event month), gdelt (GDELT 2.0 events "
            "table), icews (ICEWS coded events), plover (PLOVER JSON lines) or polecat "
            "(POLECAT-style table).",
        ),
    ] = "jsonl",
    since: Annotated[
        str | None, typer.Option("--since", help="Events on or after this date (YYYY[-MM[-DD]]).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Events on or before this date (YYYY[-MM[-DD]]).")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor", help="Events with this actor code as source or target: RUS, RUSMIL."
        ),
    ] = None,
    dyad: Annotated[
        str | None,
        typer.Option("--dyad", help="Events between two actor codes, either way: 'RUS,UKR'."),
    ] = None,
    include_coarse_dates: Annotated[
        bool,
        typer.Option(
            "--include-coarse-dates",
            help="gdelt, icews, plover: also events dated to a week, month or year (or undated), "
            "dated by their article's publication, the coarse date in a last column.",
        ),
    ] = False,
    include_monadic: Annotated[
        bool,
        typer.Option(
            "--include-monadic", help="gdelt, icews: also events without a target (Actor2 empty)."
        ),
    ] = False,
    max_lag: Annotated[
        int | None,
        typer.Option(
            "--max-lag",
            help="Leave out events more than DAYS before their article (retold history).",
            metavar="DAYS",
        ),
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Write the store's events (one per real-world event, with its evidence) to a file."""
    with _user_errors(debug):
        from .export import FORMATS, export_events

        if fmt.strip().lower() not in FORMATS:  # before opening the store: fail fast
            raise ThucydidesError(
                f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}", code="T501"
            )
        settings = load_settings(config, db=db)
        if not Path(settings.db).exists():
            raise ThucydidesError(
                f"{settings.db}: no store here (run `thucydides extract` first)", code="T401"
            )
        # Read-only, so that an export runs while `serve` or a notebook holds the store.
        with Store(settings.db, read_only=True) as store:
            rows = export_events(
                store,
                fmt,
                "-" if str(out) == "-" else out,
                since=since,
                until=until,
                actor=actor,
                dyad=dyad,
                include_coarse_dates=include_coarse_dates,
                include_monadic=include_monadic,
                max_lag=max_lag,
            )
        if str(out) == "-":  # standard output holds the data: the count goes to stderr
            typer.echo(f"{rows:,} events written to standard output", err=True)
        else:
            stdout.print(f"{rows:,} events written to {out}", highlight=False)


# -- analytics and plots (thucydides.analytics, thucydides.plots) ------------------------------
# Imported inside the commands: matplotlib alone takes longer to load than most commands run.

FirstActorArgument = Annotated[
    str, typer.Argument(help="First actor: a country or actor code (KOR, RUSMIL).")
]
SecondActorArgument = Annotated[str, typer.Argument(help="Second actor (see --level).")]
LevelOption = Annotated[
    str | None,
    typer.Option(
        "--level",
        help="What an actor is: 'country' (its country, or an organisation's own code: TUR "
        "takes in TURGOV and TURMIL) or 'code' (the exact actor code). Default: country for "
        "a three-letter code, else code; dyad and top count alike.",
    ),
]
ByOption = Annotated[
    str, typer.Option("--by", help="Period: day, week (Monday to Sunday), month or year.")
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="First day counted: YYYY, YYYY-MM or YYYY-MM-DD.")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Last day counted: YYYY, YYYY-MM or YYYY-MM-DD.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")]


@contextmanager
def _read_store(db: str | None, config: Path | None, sandbox: bool = False) -> Iterator[Store]:
    """The store named by --db or the settings, opened read-only; T401 when there is none."""
    settings = load_settings(config, db=db)
    if Path(settings.db).is_dir():
        raise ThucydidesError(
            f"{settings.db}: cannot open the store: a directory, not a store file", code="T401"
        )
    if not Path(settings.db).is_file():
        raise ThucydidesError(
            f"{settings.db}: no store here (run `thucydides extract` first)", code="T401"
        )
    with Store(settings.db, read_only=True, sandbox=sandbox) as store:
        yield store


def _print_rows(
    rows: list[dict[str, Any]], title: str, as_json: bool, formats: dict[str, str] | None = None
) -> None:
    """ROWS as JSON, or as a table whose numbers use FORMATS (column -> format spec)."""
    if as_json:
        stdout.print_json(json.dumps(rows, default=str))
        return
    formats = formats or {}
    columns = list(rows[0]) if rows else []
    table = Table(*columns, title=title, title_justify="left")
    for row in rows:
        cells = []
        for name in columns:
            value = row[name]
            spec = formats.get(name)
            cells.append("" if value is None else format(value, spec) if spec else str(value))
        table.add_row(*cells)
    stdout.print(table)
    if not rows:
        stdout.print("no rows")


@app.command("dyad")
def dyad_command(
    a: FirstActorArgument,
    b: SecondActorArgument,
    by: ByOption = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    level: LevelOption = None,
    fill: Annotated[
        bool,
        typer.Option(
            "--fill",
            help="A regular series: every period in both directions, 0 where nothing "
            "happened; events dated less precisely than --by are left out.",
        ),
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Events between two actors per period, both directions: counts, Goldstein, QuadClasses."""
    with _user_errors(debug):
        from .analytics import describe_levels, dyad_series

        # Checked before the store is opened, so that a bad value fails fast.
        levels = describe_levels(a, b, level)
        with _read_store(db, config) as store:
            series = dyad_series(
                store, a, b, by=by, since=since, until=until, level=level, fill=fill
            )
        rows = [
            {
                "period": row["label"],  # its form says its precision: 2007, 2012-03
                "direction": row["direction"],
                "events": row["events"],
                "Goldstein sum": row["goldstein_sum"],
                "mean": row["goldstein_mean"],
                **{
                    f"%Q{q}": None if row[f"q{q}"] is None else 100 * row[f"q{q}"]
                    for q in (1, 2, 3, 4)
                },
            }
            for row in series.to_pylist()
        ]
        if as_json:
            rows = [{**row, "level": levels} for row in series.to_pylist()]
        formats = {"Goldstein sum": ".1f", "mean": ".2f"} | {f"%Q{q}": ".0f" for q in range(1, 5)}
        title = (
            f"{a.upper()} - {b.upper()} by {by}, actors by {levels} "
            "(%Q1..%Q4: share of each QuadClass)"
        )
        _print_rows(rows, title, as_json, formats)


@app.command("top")
def top_command(
    by: Annotated[
        str, typer.Option("--by", help="What to rank: dyad, actor or code (CAMEO).")
    ] = "dyad",
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many rows.")] = 20,
    since: SinceOption = None,
    until: UntilOption = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            help="Actors of dyads and actors: 'country' (an organisation's own code when it "
            "has none) or 'code' (full actor codes). Default: country for --by dyad, code for "
            "--by actor; `dyad A B` counts alike at the same level.",
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """The most frequent dyads, actors or event codes in the store."""
    with _user_errors(debug):
        from .analytics import top, top_level

        with _read_store(db, config) as store:
            table = top(store, by=by, limit=limit, since=since, until=until, level=level)
        rows = table.to_pylist()
        formats = {"goldstein_sum": ".1f", "goldstein_mean": ".2f"}
        title = f"top {limit} by {by}"
        if by in ("dyad", "actor"):
            title += f", actors by {top_level(by, level)}"
        _print_rows(rows, title, as_json, formats)


QUERY_FORMATS = ("table", "csv", "json")


@app.command("query")
def query_command(
    sql: Annotated[
        str,
        typer.Argument(
            help="One SELECT statement. Tables: documents, events, runs, ...; the view "
            "merged_events has one row per real-world event."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, csv or json. Default: a table on a terminal (one field a line when "
            "it is too wide for it), CSV when the output goes to a file or a pipe.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Print at most this many rows.")
    ] = QUERY_LIMIT,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Run one read-only SQL query against the store and print the result.

    The query sees the store and nothing else: no files, no extensions, no settings changes.
    """
    with _user_errors(debug):
        from .analytics import query_limited

        chosen = "json" if as_json else fmt
        if chosen is not None and chosen not in QUERY_FORMATS:
            raise ThucydidesError(
                f"--format {chosen!r}: one of {', '.join(QUERY_FORMATS)}", code="T501"
            )
        with _read_store(db, config, sandbox=True) as store:
            result, truncated = query_limited(store, sql, limit)
        rows, columns = result.to_pylist(), result.column_names
        if truncated:
            stderr.print(f"query: showing the first {limit} rows; --limit N for more")
        if chosen is None:
            chosen = "table" if stdout.is_terminal else "csv"
        if chosen == "csv":
            _print_csv(rows, columns)
        elif chosen == "json":
            _print_rows(rows, "", as_json=True)
        else:
            title = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
            _print_table_or_records(rows, columns, title)


def _cell(value: Any) -> str:
    """A value as one line of text: lists and structs as JSON, NULL as nothing."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _print_csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)  # also for no rows: the reader still learns the columns
    writer.writerows([_cell(value) for value in row.values()] for row in rows)
    sys.stdout.flush()


def _print_table_or_records(rows: list[dict[str, Any]], columns: list[str], title: str) -> None:
    """A table when it fits the terminal, else one "name | value" line per field (psql's \\x)."""
    from rich.cells import cell_len

    cells = [[_cell(value) for value in row.values()] for row in rows]
    # The width the table needs with no cell wrapped: each column's widest line, plus borders.
    widths = [cell_len(name) for name in columns]
    for row_cells in cells:
        for i, text in enumerate(row_cells):
            widths[i] = max([widths[i], *(cell_len(line) for line in text.splitlines())])
    natural = 1 + sum(3 + width for width in widths)
    if natural <= stdout.width:
        table = Table(*columns, title=title, title_justify="left")
        for row_cells in cells:
            table.add_row(*(Text(text) for text in row_cells))  # data, not markup
        stdout.print(table)
        if not rows:
            stdout.print("no rows")
        return
    width = max(len(name) for name in columns)
    for number, row in enumerate(rows, 1):
        stdout.print(f"-[ row {number} ]" + "-" * 20, markup=False, highlight=False)
        for name, value in row.items():
            line = f"{name:<{width}} | {_cell(value)}"
            stdout.print(line, markup=False, highlight=False, soft_wrap=True)
    stdout.print(title, markup=False, highlight=False)


plot_app = typer.Typer(
    name="plot", help="Draw the store's data to .png, .svg or .html.", no_args_is_help=True
)
app.add_typer(plot_app, name="plot")
PlotOutOption = Annotated[
    Path, typer.Option("--out", "-o", help="File to write: .png, .svg or .html (page + table).")
]


@plot_app.command("dyad")
def plot_dyad_command(
    a: FirstActorArgument,
    b: SecondActorArgument,
    out: PlotOutOption,
    by: ByOption = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Two actors' relations over time: cooperation above, conflict below, Goldstein line."""
    with _user_errors(debug):
        from .plots import plot_dyad

        with _read_store(db, config) as store:
            path = plot_dyad(store, a, b, out, by=by, since=since, until=until)
        stdout.print(f"wrote {path}", highlight=False)


@plot_app.command("network")
def plot_network_command(
    out: PlotOutOption,
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """The country network: who acts on whom, how often, how cooperatively."""
    with _user_errors(debug):
        from .plots import plot_network

        with _read_store(db, config) as store:
            path = plot_network(store, out, since=since, until=until)
        stdout.print(f"wrote {path}", highlight=False)


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Serve the HTTP API (/api, documented at /docs) and the web dashboard over the store."""
    with _user_errors(debug):
        from .api import create_app, serve

        settings = load_settings(config, db=db)
        api = create_app(settings)
        if host not in {"127.0.0.1", "localhost", "::1"} and settings.api_public_read:
            stderr.print(
                f"[yellow]note:[/yellow] listening on {host}: anyone who can reach it can read "
                "the store (set api_public_read = false to require the token)",
                highlight=False,
            )
        stdout.print(f"serving {settings.db} on http://{host}:{port}/ (Ctrl-C stops)")
        serve(api, settings, host, port, "debug" if debug else "info")


spark_app = typer.Typer(
    name="spark", help="Run the pipeline on Apache Spark (needs pyspark).", no_args_is_help=True
)
app.add_typer(spark_app, name="spark")


@spark_app.command("extract")
def spark_extract_command(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="JSONL, Parquet or WARC file or directory.")
    ],
    output: Annotated[
        str, typer.Argument(help="Directory for documents/, events/ and rejects/ (Parquet).")
    ],
    master: Annotated[
        str, typer.Option("--master", help="Spark master URL: local[4], spark://host:7077 ...")
    ] = "local[2]",
    partitions: Annotated[
        int | None, typer.Option("--partitions", help="Input pieces to code (a few per core).")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--format", help="jsonl, parquet or warc [default: by name].")
    ] = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Code INPUT with Spark; `thucydides import OUTPUT` loads the result into the store."""
    with _user_errors(debug):
        require_extra("pyspark", "spark", "thucydides spark extract")
        from .backends.spark import local_session, spark_extract

        settings = load_settings(config)
        spark = local_session(master)
        try:
            summary = spark_extract(
                spark, input_path, output, settings, partitions, input_format=input_format
            )
        finally:
            spark.stop()
        stdout.print(
            f"{summary.documents} documents ({summary.exact_duplicates} exact and "
            f"{summary.near_duplicates} near duplicates), {summary.events} events, "
            f"{summary.rejected} rejected in {summary.seconds:.1f} s -> {output}",
            highlight=False,
        )


@app.command("import")
def import_command(
    parquet_dir: Annotated[
        Path, typer.Argument(help="Output directory of `thucydides spark extract`.")
    ],
    db: DbOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Load a Spark run's Parquet output into the store (again: nothing twice), merge events."""
    with _user_errors(debug):
        from .backends.spark import import_parquet

        settings = load_settings(config, db=db)
        with Store(settings.db) as store:
            summary = import_parquet(store, parquet_dir, settings)
        stdout.print(
            f"{summary.stored} of {summary.documents} documents and {summary.stored_events} of "
            f"{summary.events} events new, {summary.rejections} rejections, "
            f"{summary.merged_events} events merged -> {settings.db}",
            highlight=False,
        )


@app.command("info")
def info_command(
    db: DbOption = None, config: ConfigOption = None, debug: DebugOption = False
) -> None:
    """Show what the store holds: documents, duplicates, rejections, events, runs."""
    with _user_errors(debug):
        settings = load_settings(config, db=db)
        if not Path(settings.db).exists():
            raise ThucydidesError(
                f"{settings.db}: no store here (run `thucydides extract` first)", code="T401"
            )
        # Read-only (runs() still reports a dead process's run as killed), so that info
        # works while `serve` or a notebook holds the store.
        with Store(settings.db, read_only=True) as store:
            counts = store.query(
                "SELECT count(*) AS documents, count(duplicate_of) AS duplicates, "
                "count(DISTINCT story_id) AS stories, count(skip_reason) AS flagged, "
                "min(published) AS earliest, max(published) AS latest FROM documents"
            ).to_pylist()[0]
            counts["rejections"] = store.count("rejections")
            counts["events"] = store.count("events")
            runs = store.runs()
        table = Table(title=f"store {settings.db}", show_header=False, title_justify="left")
        for name, value in counts.items():
            table.add_row(name, str(value))
        statuses = Counter(run["status"] or "unknown" for run in runs)
        ended = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        table.add_row("runs", f"{len(runs)} ({ended})" if runs else "0")
        if runs and runs[-1]["status"] != "finished":  # the last run stopped early: say how
            last = runs[-1]
            table.add_row(
                "last run",
                f"{last['run_id']} {last['status']}: {RUN_STATUSES.get(last['status'], '')}",
            )
        coded = [run for run in runs if run.get("model")]
        if coded:  # the newest run that coded events says what coded them
            model = coded[-1]["model"]
            table.add_row(
                "model",
                f"{model.get('name') or model.get('setting')} {model.get('version', '')} "
                f"(package {model.get('package', '?')}, spaCy {model.get('spacy', '?')})",
            )
            table.add_row("lexicons", str(coded[-1].get("lexicon_version") or "?"))
            models = {json.dumps(run["model"], sort_keys=True) for run in coded}
            if len(models) > 1:
                table.add_row("", f"({len(models)} different models coded this store's runs)")
        stdout.print(table)


@app.command("settings")
def settings_command(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    debug: DebugOption = False,
) -> None:
    """List every setting with its value, default and meaning.

    Set them in thucydides.toml (a \\[thucydides] table),
    as THUCYDIDES_<NAME> environment variables,
    or with a command's options (highest precedence).
    """
    with _user_errors(debug):
        settings = load_settings(config)
        rows = [
            {
                "name": name,
                "value": masked(name, getattr(settings, name)),
                "default": masked(name, default),
                "help": help_,
            }
            for name, default, help_ in describe()
        ]
        if as_json:
            stdout.print_json(json.dumps(rows))
            return
        table = Table("setting", "value", "default", "meaning", title="settings")
        for row in rows:
            table.add_row(row["name"], str(row["value"]), str(row["default"]), row["help"])
        stdout.print(table)


lexicon_app = typer.Typer(
    name="lexicon",
    help="Lexicon directories: import PETRARCH-2 dictionaries, check, look up, count.",
    no_args_is_help=True,
)
app.add_typer(lexicon_app, name="lexicon")
lexicon_import_app = typer.Typer(
    name="import", help="Write a lexicon directory from another coder's dictionaries.",
    no_args_is_help=True,
)  # fmt: skip
lexicon_app.add_typer(lexicon_import_app, name="import")
LexiconDirArgument = Annotated[Path, typer.Argument(help="A lexicon directory (--lexicon-dir).")]


def _say(line: str) -> None:
    stdout.print(printable(line), markup=False, highlight=False, soft_wrap=True)


@lexicon_import_app.command("petrarch")
def lexicon_import_petrarch_command(
    directory: Annotated[
        Path, typer.Argument(help="Directory of PETRARCH-2 dictionaries (CAMEO.2.0.txt ...).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Lexicon directory to write.")],
    part: Annotated[
        list[str] | None,
        typer.Option(
            "--part", help="Only this part: verbs, actors, agents or discards (repeatable)."
        ),
    ] = None,
    patterns_for: Annotated[
        str,
        typer.Option(
            "--patterns-for",
            help="block: a verb pattern gives rows for every verb of its block (PETRARCH); "
            "comment: only for the verbs its comment names.",
        ),
    ] = "block",
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """Turn PETRARCH-2's verb, actor, agent and discard dictionaries into lexicon files."""
    with _user_errors(debug):
        from .lexicon_import import PARTS, import_petrarch, spacy_lemmatizer
        from .nlp import load_model

        settings = load_settings(config)
        lemmatize = spacy_lemmatizer(load_model(settings.model))
        report = import_petrarch(
            directory, out, lemmatize, part or PARTS, patterns_for=patterns_for
        )
        for line in report.lines():
            _say(line)


@lexicon_app.command("check")
def lexicon_check_command(lexicon_dir: LexiconDirArgument, debug: DebugOption = False) -> None:
    """Problems in a lexicon directory, with file and line; exit 1 if the coder would refuse it."""
    with _user_errors(debug):
        from .lexicon_tools import check_lexicon_dir

        findings = check_lexicon_dir(lexicon_dir)
        for finding in findings:
            _say(str(finding))
        errors = sum(1 for f in findings if f.severity == "error")
        kinds = Counter(f"{f.severity} {f.kind}" for f in findings)
        for kind, count in sorted(kinds.items()):
            _say(f"{count:7d}  {kind}")
        _say(f"{errors} errors, {len(findings) - errors} warnings in {lexicon_dir}")
        if errors:
            raise typer.Exit(1)


@lexicon_app.command("lookup")
def lexicon_lookup_command(
    name: Annotated[str, typer.Argument(help="A name as written in news ('Hamid Karzai').")],
    on: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD: the day office holders hold.")
    ] = None,
    lexicon_dir: LexiconDirOption = None,
    debug: DebugOption = False,
) -> None:
    """What the coder's actor lexicons make of a name, and from which file and row."""
    with _user_errors(debug):
        import datetime as dt

        from .actors import ActorLexicon
        from .lexicon_tools import lookup_name

        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise ThucydidesError(f"--date {on!r} is not YYYY-MM-DD", code="T501") from None
        results = lookup_name(name, ActorLexicon(lexicon_dir), day)
        if not results:
            _say(f"{name!r}: no actor")
            raise typer.Exit(1)
        for result in results:
            _say(
                f"{result.how:<16} {result.text!r:<30} {result.code:<10} {result.detail}"
                f"  [{result.entry} source={result.source or '-'}]"
            )


@lexicon_app.command("stats")
def lexicon_stats_command(
    lexicon_dir: Annotated[
        Path | None, typer.Argument(help="A lexicon directory; none: the packaged lexicons.")
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Rows per lexicon file (packaged and the directory's) and what the coder loads."""
    with _user_errors(debug):
        from .lexicon_tools import lexicon_stats

        stats = lexicon_stats(lexicon_dir)
        table = Table("file", "packaged rows", "directory rows", title="lexicon files")
        for name, (ours, theirs) in stats.files.items():
            table.add_row(name, str(ours), str(theirs))
        stdout.print(table)

        def counts(title: str, counter: Counter[str]) -> None:
            _say(f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))

        counts("trigger rules by CAMEO root", stats.triggers_by_root)
        _say(f"trigger lemmas: {stats.trigger_lemmas}")
        counts("organisations by kind", stats.organizations_by_kind)
        counts("agents by sector", stats.agents_by_sector)
        _say(f"office holders (names): {stats.office_holder_names}")
        counts("off-topic words by topic", stats.off_topic_by_topic)


@lexicon_app.command("unresolved")
def lexicon_unresolved_command(
    db: DbOption = None,
    limit_docs: Annotated[
        int | None, typer.Option("--limit-docs", help="Read at most this many documents.")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many names to list.")] = 50,
    lexicon_dir: LexiconDirOption = None,
    config: ConfigOption = None,
    debug: DebugOption = False,
) -> None:
    """The most frequent actor-like names in the store's documents that code to no actor."""
    with _user_errors(debug):
        from .lexicon_tools import unresolved_names

        settings = load_settings(config, db=db)
        coder = Coder(settings, lexicon_dir)
        with _read_store(db, config) as store:
            names = unresolved_names(store, coder, limit_docs=limit_docs, top=top)
        for item in names:
            labels = ",".join(label for label, _ in item.labels.most_common())
            _say(f"{item.count:6d}  {item.name}  [{labels}]")
            _say(f"        e.g. {item.doc_id}: {item.example[:200]}")
        if not names:
            _say("no unresolved actor-like names")


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `thucydides ... | head` is not an error
        sys.stderr.close()


if __name__ == "__main__":
    main()
