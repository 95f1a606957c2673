"""Cross-document event merging: one record per real-world event, with its evidence counts.

The articles are invented for these tests.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from factories import plain_event

from thucydides.merge import merge_events
from thucydides.pipeline import extract
from thucydides.settings import Settings, describe
from thucydides.store import Store
from thucydides.types import Actor, Event

ARTICLE = """Japan and South Korea sign fisheries pact

March 5, 2024

TOKYO - Japanese Foreign Minister Kenji Morita met South Korean Foreign Minister Park Ji-hoon in \
Tokyo on Monday to discuss fishing rights in the East Sea.

On Tuesday, Japan signed a fisheries agreement with South Korea after two days of talks.

Separately, Egypt accused Sudan on Monday of blocking aid convoys near the border.
"""

# The same facts and dates in other words: no sentence is a near copy of the article's.
REWORDED = """Seoul and Tokyo settle fishing dispute

March 5, 2024

South Korea's top diplomat Park Ji-hoon held talks with his Japanese counterpart Kenji Morita on \
Monday in the Japanese capital about contested fishing grounds.

Japan concluded a fishing accord with South Korea on Tuesday, ending a long dispute.

Cairo also criticized Khartoum on Monday, saying Sudanese forces held up aid trucks.
"""

# The same dyad and kind of event a week later: another event.
A_WEEK_LATER = """Japan and South Korea add a second fishing deal

March 12, 2024

Japan signed a second agreement with South Korea on Tuesday covering crab quotas in the northern \
waters.
"""

# The four real events of ARTICLE, as (source key, CAMEO root, target key, date).
REAL_EVENTS = [
    ("EGY", "11", "SDN", "2024-03-04"),
    ("JPN", "04", "KOR", "2024-03-04"),
    ("KOR", "04", "JPN", "2024-03-04"),  # "met" is reciprocal: two directed events
    ("JPN", "05", "KOR", "2024-03-05"),
]


def _merged(store: Store) -> list[dict[str, Any]]:
    return store.query(
        "SELECT coalesce(source_country, source_organization) AS source, cameo_root, "
        "coalesce(target_country, target_organization) AS target, date, cluster_id, "
        "num_mentions, num_sources, num_articles, first_seen, last_seen, documents "
        f"FROM ({store.merged_events_sql()}) ORDER BY date, source, target, cameo_root"
    ).to_pylist()


def _snapshot(store: Store) -> tuple[list[Any], ...]:
    return (
        _merged(store),
        store.query("SELECT * FROM event_clusters ORDER BY cluster_id").to_pylist(),
        store.query("SELECT * FROM event_cluster_members ORDER BY event_id").to_pylist(),
    )


def _keys(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [(r["source"], r["cameo_root"], r["target"], r["date"]) for r in rows]


@pytest.fixture(scope="module")
def files_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings, list[Any]]:
    """The article under three file names, reworded once, and a later event: two runs."""
    root = tmp_path_factory.mktemp("files")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("fisheries.txt", "copy of fisheries.txt", "tokyo-talks-2024.txt"):
        (inputs / name).write_text(ARTICLE, encoding="utf-8")
    (inputs / "reworded.txt").write_text(REWORDED, encoding="utf-8")
    (inputs / "later.txt").write_text(A_WEEK_LATER, encoding="utf-8")
    settings = Settings(db=str(root / "store.duckdb"))
    first = extract([str(inputs)], settings)
    with Store(settings.db) as store:
        before = _snapshot(store)
    second = extract([str(inputs)], settings)
    return root, settings, [first, second, before]


def test_copies_and_a_rewording_become_one_event_each(files_run) -> None:
    _, settings, (first, _, _) = files_run
    with Store(settings.db) as store:
        rows = _merged(store)
        doc_ids = {
            r["location"].rsplit("/", 1)[-1]: r["doc_id"]
            for r in store.query("SELECT location, doc_id FROM documents").to_pylist()
        }
    told_four_times = [r for r in rows if r["num_articles"] == 4]
    assert _keys(told_four_times) == REAL_EVENTS
    four = sorted(doc_ids[name] for name in doc_ids if name != "later.txt")
    for row in told_four_times:
        assert row["documents"] == four  # sorted doc_ids of every supporting document
        assert row["num_mentions"] == 4
        assert row["num_sources"] == 4  # no publisher: each document is its own source
        assert str(row["first_seen"]) == str(row["last_seen"]) == "2024-03-05 00:00:00"
    # Same dyad, same kind of event, a week later: a separate event.
    (later,) = [r for r in rows if r["num_articles"] == 1]
    assert _keys([later]) == [("JPN", "05", "KOR", "2024-03-12")]
    assert later["documents"] == [doc_ids["later.txt"]]
    assert len(rows) == 5
    # 4 documents x 4 events + 1; 3 x 4 of them joined an event another document told.
    assert (first.events, first.merged_events) == (17, 12)


def test_re_running_the_same_inputs_changes_nothing(files_run) -> None:
    _, settings, (_, second, before) = files_run
    assert (second.stored, second.merged_events) == (0, 0)
    with Store(settings.db) as store:
        assert _snapshot(store) == before
        assert merge_events(store, settings).events == 0


def test_the_same_article_under_three_urls_counts_publishers(tmp_path: Path) -> None:
    urls = [
        "https://harbor.example/a/1",
        "https://coast.example/news/77",
        "https://harbor.example/b",
    ]
    publishers = ["Harbor Wire", "Coastal Daily", "Harbor Wire"]
    records = [
        {"url": url, "source": publisher, "date": "2024-03-05", "text": ARTICLE}
        for url, publisher in zip(urls, publishers, strict=True)
    ]
    records.append(
        {
            "url": "https://inland.example/x",
            "source": "Inland Post",
            "date": "2024-03-05T09:30:00",
            "text": REWORDED,
        }
    )
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settings = Settings(db=str(tmp_path / "store.duckdb"))
    summary = extract([str(path)], settings)
    with Store(settings.db) as store:
        rows = _merged(store)
    assert _keys(rows) == REAL_EVENTS
    assert {(r["num_articles"], r["num_sources"]) for r in rows} == {(4, 3)}
    assert {str(r["last_seen"]) for r in rows} == {"2024-03-05 09:30:00"}
    assert (summary.events, summary.merged_events) == (16, 12)


# -- the rule, piece by piece ---------------------------------------------------------------

PUBLICATION_DATED = "Egypt accused Sudan of blocking aid convoys near the border town of Wadi Sahl."
OTHER_WORDS = "Cairo criticized Khartoum, saying Sudanese troops held up relief trucks."


def _article(title: str, *paragraphs: str) -> str:
    return "\n\n".join([title, "March 5, 2024", *paragraphs]) + "\n"


def _run(tmp_path: Path, texts: dict[str, str], **changes: Any) -> list[dict[str, Any]]:
    inputs = tmp_path / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (inputs / name).write_text(text, encoding="utf-8")
    settings = Settings(db=str(tmp_path / "store.duckdb"), **changes)
    extract([str(inputs)], settings)
    with Store(settings.db) as store:
        return _merged(store)


def test_publication_dates_and_other_words_are_not_enough(tmp_path: Path) -> None:
    # Same dyad, root and day, but the day is only the publication date, the stories differ and
    # the sentences share no words: two reports of perhaps two protests stay apart.
    rows = _run(
        tmp_path,
        {
            "one.txt": _article("Aid row", PUBLICATION_DATED, "Talks on the dam went on."),
            "two.txt": _article("Relief dispute", OTHER_WORDS, "Farmers protested grain prices."),
        },
    )
    egypt = [r for r in rows if r["source"] == "EGY" and r["target"] == "SDN"]
    assert [r["num_articles"] for r in egypt] == [1, 1]


def test_a_near_copy_of_the_sentence_is_enough(tmp_path: Path) -> None:
    # The documents differ (not one story), but one sentence is a light edit of the other.
    rows = _run(
        tmp_path,
        {
            "one.txt": _article("Aid row", PUBLICATION_DATED, "Talks on the dam went on."),
            "two.txt": _article(
                "Relief dispute",
                PUBLICATION_DATED.replace("the border town", "the northern border town"),
                "Farmers in the delta protested against higher grain prices all week.",
            ),
        },
    )
    egypt = [r for r in rows if r["source"] == "EGY" and r["target"] == "SDN"]
    assert [r["num_articles"] for r in egypt] == [2]


def test_the_date_window_is_a_setting(tmp_path: Path) -> None:
    # One story; the copy dates the accord a day earlier (Monday, not Tuesday).
    earlier = ARTICLE.replace("On Tuesday, Japan", "On Monday, Japan")
    texts = {"one.txt": ARTICLE, "two.txt": earlier}
    wide = _run(tmp_path / "wide", texts)
    narrow = _run(tmp_path / "narrow", texts, event_merge_days=0)
    accord = [("JPN", "05", "KOR")]
    assert [r["num_articles"] for r in wide if _keys([r])[0][:3] in accord] == [2]
    assert [r["num_articles"] for r in narrow if _keys([r])[0][:3] in accord] == [1, 1]


def test_settings_are_listed() -> None:
    listed = {name: default for name, default, _ in describe()}
    assert listed["event_merge_days"] == 1
    assert listed["event_merge_text_similarity"] == 0.5


# -- the store side: synthetic events ---------------------------------------------------------


def _event(index: int, doc: int, day: int, source: str = "FRA", target: str = "DEU") -> Event:
    date = f"2020-{1 + day // 28:02d}-{1 + day % 28:02d}"
    return plain_event(
        doc_id=f"doc{doc}",
        event_id=f"ev{index}",
        source=Actor(text=source, start=0, end=3, country=source),
        target=Actor(text=target, start=10, end=13, country=target),
        cameo="042",
        plover_type="CONSULT",
        goldstein=1.9,
        date=date,
        date_source="text",
        sentence=f"{source} met {target} on day {day}.",
        sentence_end=20,
        trigger="met",
        trigger_start=4,
        trigger_end=7,
        confidence=0.9,
    )


def test_unmerged_events_are_their_own_groups_and_merging_is_incremental() -> None:
    with Store(":memory:") as store:
        columns = store.query("SELECT * FROM events LIMIT 0").column_names
        merged_columns = store.query(f"{store.merged_events_sql()} LIMIT 0").column_names
        assert merged_columns == [
            *columns,
            "cluster_id",
            "num_mentions",
            "num_sources",
            "num_articles",
            "first_seen",
            "last_seen",
            "documents",
        ]
        store.add_events([_event(1, 1, 10), _event(2, 2, 10), _event(3, 3, 40)], None)
        assert [r["num_articles"] for r in _merged(store)] == [1, 1, 1]  # not merged yet
        summary = merge_events(store, Settings())
        assert (summary.events, summary.merged, summary.new_clusters) == (3, 1, 2)
        assert [r["num_articles"] for r in _merged(store)] == [2, 1]
        (before,) = store.query("SELECT * FROM event_clusters WHERE cluster_id = 'ev3'").to_pylist()
        # A later event joins the first cluster; the other cluster is not touched.
        store.add_events([_event(4, 4, 11), _event(5, 1, 10)], None)
        summary = merge_events(store, Settings())
        assert (summary.events, summary.merged, summary.touched_clusters) == (2, 1, 2)
        # ev5 is a second event of doc1, which the first cluster already holds: its own cluster.
        assert [(r["cluster_id"], r["num_articles"]) for r in _merged(store)] == [
            ("ev1", 3),
            ("ev5", 1),
            ("ev3", 1),
        ]
        (after,) = store.query("SELECT * FROM event_clusters WHERE cluster_id = 'ev3'").to_pylist()
        assert after == before


def test_reciprocal_directions_and_other_dyads_stay_apart() -> None:
    with Store(":memory:") as store:
        store.add_events(
            [_event(1, 1, 5), _event(2, 2, 5, "DEU", "FRA"), _event(3, 3, 5, "FRA", "ITA")], None
        )
        assert merge_events(store, Settings()).merged == 0


def test_many_events_merge_in_seconds() -> None:
    # 20,000 events: 1,000 dyads x 10 days three apart, each event told by two documents.
    events: list[Event] = []
    for pair in range(1000):
        source, target = f"S{pair // 20:02d}", f"T{pair % 20:02d}"
        for day in range(10):
            for copy in range(2):
                index = len(events)
                events.append(_event(index, pair * 100 + day * 3 + copy, day * 3, source, target))
    with Store(":memory:") as store:
        store.add_events(events, None)
        started = time.perf_counter()
        summary = merge_events(store, Settings())
        elapsed = time.perf_counter() - started
        assert summary.events == 20_000
        assert store.count("event_clusters") == 10_000
        assert elapsed < 10
