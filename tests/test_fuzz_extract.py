"""A bounded, seeded fuzz of `thucydides extract`: random and mutated records written as JSONL,
CSV, HTML and WARC files into one directory, run through the CLI (in process) with the real
coder and a real store. No crash, no traceback, and every input is accounted for: each JSONL
line and each HTML file comes out as a document or a rejection naming it, and every rejection
names a file of the run. All text is invented here."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from thucydides.cli import app
from thucydides.pipeline import ExtractOptions, extract
from thucydides.settings import Settings

SEED = 20240511
SENTENCES = [
    "Chile accused Peru of moving troops to the border on Monday.",
    "Norway signed a fishing agreement with Iceland in Oslo last week.",
    "The president of Ghana visited Togo two days ago, officials said.",
    "Japan promised aid to the Philippines after the storm.",
    "Kenyan police arrested six Somali nationals in Mombasa on Wednesday.",
]
POISONS = [
    "\udcff", "\ud800", "\x00", "\x1b]0;x\x07", "[/b]", "[link=x]y[/link]", "\u202e", "\ufeff",
    "\r", "\x85", "\u2028", "<", "&#0;", "&amp", '"', "\\", "\t", "\x7f",
]  # fmt: skip
DATES = [None, "2024-05-10", "9999-12-31", "0001-01-01", "not a date", "2024-02-30", "", 20240510]
runner = CliRunner()


def _text(rng: random.Random) -> str:
    words = list(" ".join(rng.sample(SENTENCES, rng.randint(1, 4))))
    for _ in range(rng.randint(0, 8)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(POISONS))
    if rng.random() < 0.15:
        words = [c for c in words if rng.random() > 0.3]
    if rng.random() < 0.05:
        words = words * rng.randint(20, 200)
    return "".join(words)


def _value(rng: random.Random) -> Any:
    """A JSON value of a random type, for a field where the reader expects a string."""
    return rng.choice(
        [_text(rng), rng.randint(-(10**30), 10**30), rng.random(), None, True, [_text(rng)],
         {"text": _text(rng)}, "", " \n "]
    )  # fmt: skip


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    record: dict[str, Any] = {"id": f"r{n}-{rng.choice(POISONS)}", "text": _text(rng)}
    if rng.random() < 0.5:
        record["date"] = rng.choice(DATES)
    if rng.random() < 0.3:
        record["title"] = _text(rng)[:60]
    if rng.random() < 0.2:
        record["html"] = _html(rng)
        del record["text"]
    for key in list(record):
        if rng.random() < 0.1:
            record[key] = _value(rng)
        elif rng.random() < 0.05:
            del record[key]
    return record


def _mutated_line(rng: random.Random, line: str) -> str:
    """LINE as it is (mostly), or cut, with a byte changed, or replaced by other JSON."""
    roll = rng.random()
    if roll < 0.1:
        return line[: rng.randrange(len(line) + 1)]
    if roll < 0.2:
        at = rng.randrange(len(line))
        return line[:at] + rng.choice(['"', "{", "}", "]", ",", ":", "\\"]) + line[at + 1 :]
    if roll < 0.25:
        return json.dumps(rng.choice([[1, 2], "just a string", 42, None, {"nested": {"id": 1}}]))
    return line


def _html(rng: random.Random) -> str:
    body = "".join(f"<p>{_text(rng)}</p>" for _ in range(rng.randint(0, 4)))
    depth = rng.choice([0, 3, 50, 300])
    page = f"<html><head><title>{_text(rng)[:40]}</title></head><body>"
    page += "<div>" * depth + body + "</div>" * rng.randint(0, depth) + "</body></html>"
    if rng.random() < 0.2:  # cut anywhere, tags left open
        page = page[: rng.randrange(len(page) + 1)]
    if rng.random() < 0.1:
        page = page.replace("<", "", rng.randint(1, 5))
    return page


def _warc(rng: random.Random, *, gz: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for n in range(rng.randint(1, 6)):
        kind = rng.choice(["text/html", "text/plain", "image/png", ""])
        http = StatusAndHeaders(
            rng.choice(["200 OK", "200 OK", "404 Not Found"]),
            [("Content-Type", kind)] if kind else [],
            protocol="HTTP/1.1",
        )
        payload = (_html(rng) if kind != "text/plain" else _text(rng)).encode("utf-8", "replace")
        writer.write_record(
            writer.create_warc_record(
                f"https://fuzz.example/{n}", "response",
                payload=io.BytesIO(payload), http_headers=http,
            )
        )  # fmt: skip
    data = bytearray(buffer.getvalue())
    for _ in range(rng.choice([0, 0, 1, 3])):  # damage: flip bytes, or cut the end
        at = rng.randrange(len(data))
        data[at : at + 8] = bytes(rng.randrange(256) for _ in range(8))
    if rng.random() < 0.2:
        del data[rng.randrange(len(data)) :]
    return bytes(data)


def _csv(rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rng.choice([["id", "text", "date"], ["text"], ["headline", "body"], []]))
    for n in range(rng.randint(0, 8)):
        writer.writerow([f"c{n}", _text(rng), rng.choice(DATES)][: rng.randint(0, 4)])
    text = out.getvalue()
    if rng.random() < 0.3:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(['"', "\x00", ",,,,", "\n\n"]) + text[at:]
    return text


def _write_inputs(directory: Path, rng: random.Random) -> dict[str, list[str]]:
    """The fuzzed files; returns each JSONL file's lines as written."""
    directory.mkdir()
    jsonl: dict[str, list[str]] = {}
    for f in range(5):
        lines = [
            _mutated_line(rng, json.dumps(_record(rng, 100 * f + n), ensure_ascii=rng.random() < 0.5))  # noqa: E501
            for n in range(rng.randint(5, 25))
        ]  # fmt: skip
        name = directory / f"feed-{f}.jsonl"
        name.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        jsonl[str(name)] = lines
    for f in range(8):
        (directory / f"page-{f}.html").write_text(
            _html(rng), encoding="utf-8", errors="surrogatepass"
        )
    for f in range(3):
        (directory / f"table-{f}.csv").write_text(_csv(rng), encoding="utf-8", errors="replace")
    for f in range(3):
        (directory / f"crawl-{f}.warc.gz").write_bytes(_warc(rng, gz=True))
    (directory / "crawl-plain.warc").write_bytes(_warc(rng, gz=False))
    for suffix in ("jsonl", "html", "csv", "warc.gz", "txt", "jsonl.gz"):  # random bytes
        noise = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
        (directory / f"noise.{suffix}").write_bytes(noise)
    (directory / "feed-gz.jsonl.gz").write_bytes(
        gzip.compress(("\n".join(jsonl[str(directory / "feed-0.jsonl")]) + "\n").encode(
            "utf-8", "surrogatepass"
        ))[: rng.randint(20, 400)]  # cut short
    )  # fmt: skip
    return jsonl


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("seed", [SEED, SEED + 1, SEED + 2])
def test_seeded_fuzz_through_extract(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    inputs = tmp_path / "in"
    jsonl = _write_inputs(inputs, rng)
    out = tmp_path / "out"
    db = tmp_path / "fuzz.duckdb"
    result = runner.invoke(
        app, ["extract", str(inputs), "--db", str(db), "--out", str(out), "--workers", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "\x1b" not in result.output

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    documents = _jsonl(out / "documents.jsonl")
    rejects = _jsonl(out / "rejects.jsonl")
    assert summary["rejected"] == len(rejects) > 10 and summary["cleaned"] > 10
    named = {d["location"] for d in documents} | {r["location"] for r in rejects}
    files = {str(p) for p in inputs.iterdir()}
    # Every rejection names a file of the run (and its line or record), with a code.
    for reject in rejects:
        assert any(reject["location"].startswith(f) for f in files), reject
        assert reject["code"][0] == "T" and reject["message"]
    # Every line of a JSONL file is a document or a rejection; only an exact copy of an
    # earlier line (the same record read twice) is left out, as already read.
    for name, lines in jsonl.items():
        seen: set[str] = set()
        for number, line in enumerate(lines, start=1):
            if line.strip() and line not in seen:
                assert f"{name}:{number}" in named, (name, number, line[:200])
            seen.add(line)
    for f in range(8):
        assert str(inputs / f"page-{f}.html") in named
    # Nothing written that cannot be read back.
    for event in _jsonl(out / "events.jsonl"):
        assert event["doc_id"] and event["cameo"]


def test_output_lines_hold_no_raw_line_breaks(tmp_path: Path) -> None:
    # JSON leaves U+2028, U+2029 and U+0085 raw; str.splitlines (and older JavaScript) break
    # lines on them, so a documents.jsonl written with them raw read back as broken JSON.
    text = "Chile accused Peru\u2028of moving troops\x85to the border\u2029on Monday."
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "x\u2028y", "text": text}) + "\n")
    out = tmp_path / "out"
    extract([str(tmp_path / "in.jsonl")], Settings(), ExtractOptions(out_dir=out, use_store=False))
    for name in ("documents.jsonl", "events.jsonl"):
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert records
    assert "\u2028" in _jsonl(out / "documents.jsonl")[0]["record_id"]
