"""A corrupt record in the middle of a WARC archive costs that record only: reading goes on at
the next gzip member (WARC files are one member per record) or, uncompressed, at the next WARC
header, and the bad record is named with its byte offset. The records are invented."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from thucydides.readers import read_file
from thucydides.settings import Settings
from thucydides.types import RawDocument, Rejection

TOWNS = ["Harwick", "Dunmoor", "Elsby", "Carrow", "Penmarsh", "Ostfield"]


def _archive(*, gz: bool, long: bool = False) -> tuple[bytes, list[tuple[int, int]]]:
    """Six HTML responses, and each record's (offset, length) in the file. LONG: each page
    has a long list of numbered notes, so that a record spans many reads of the gzip data."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    rng = random.Random(3)
    for town in TOWNS:
        notes = "".join(
            f"<li>Note {rng.randrange(10**9)}: {rng.choice(TOWNS)} road works</li>"
            for _ in range(12000 if long else 0)
        )
        page = (
            f"<html><head><title>{town} news</title></head><body><article><p>The council of "
            f"{town} voted on Tuesday to rebuild the old bridge over the river before winter."
            f"</p></article><ul>{notes}</ul></body></html>"
        ).encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{town.lower()}", "response",
                payload=io.BytesIO(page), http_headers=http,
            )
        )  # fmt: skip
    data = buffer.getvalue()
    records = ArchiveIterator(io.BytesIO(data))
    spans = []
    for _ in records:
        spans.append((records.get_record_offset(), records.get_record_length()))
    return data, spans


def _flip_inside(data: bytes, offset: int, length: int) -> bytes:
    middle = offset + length // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 16]) + data[middle + 16 :]


def _cut_in_half(data: bytes, offset: int, length: int) -> bytes:
    return data[: offset + length // 2] + data[offset + length :]


def _junk_before(data: bytes, offset: int, length: int) -> bytes:
    return data[:offset] + b"a stray line that is no record\r\n" + data[offset:]


def _read(path: Path) -> tuple[list[RawDocument], list[Rejection]]:
    items = list(read_file(path, Settings()))
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, Rejection)],
    )


@pytest.mark.parametrize(
    ("damage", "lost"),
    [(_flip_inside, "Elsby"), (_cut_in_half, "Elsby"), (_junk_before, None)],
)
def test_a_corrupt_gzip_member_costs_only_its_record(
    tmp_path: Path,
    damage: Callable[[bytes, int, int], bytes],
    lost: str | None,
    capfd: pytest.CaptureFixture[str],
) -> None:
    data, spans = _archive(gz=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(damage(data, *spans[2]))
    documents, rejections = _read(path)
    found = [re.search(r"council of (\w+)", d.text) for d in documents]
    assert [m.group(1) for m in found if m] == [t for t in TOWNS if t != lost]
    # The bad record (or the junk, a record of its own) is named; the rest keep their numbers.
    [bad] = rejections
    assert bad.code == "T111" and bad.location == f"{path}#3"
    assert f"at byte {spans[2][0]:,}" in bad.message and "skipped to the next record" in bad.message
    numbers = [int(d.location.rsplit("#", 1)[1]) for d in documents]
    assert numbers == ([1, 2, 4, 5, 6] if lost else [1, 2, 4, 5, 6, 7])
    assert capfd.readouterr().err == ""  # warcio printed zlib's error and went on before


def test_a_long_record_corrupt_in_its_middle_costs_only_itself(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data, spans = _archive(gz=True, long=True)
    assert spans[2][1] > 4 * 16384  # many of warcio's 16 KB reads
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_flip_inside(data, *spans[2]))
    documents, rejections = _read(path)
    assert [int(d.location.rsplit("#", 1)[1]) for d in documents] == [1, 2, 4, 5, 6]
    [bad] = rejections
    assert bad.location == f"{path}#3" and "corrupt gzip data" in bad.message
    assert capfd.readouterr().err == ""


def test_a_wrong_content_length_in_a_plain_warc_costs_only_its_record(tmp_path: Path) -> None:
    data, spans = _archive(gz=False)
    third = data.index(b"Content-Length: ", spans[2][0])
    line_end = data.index(b"\r\n", third)
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[:third] + b"Content-Length: 9" + data[line_end:])
    documents, rejections = _read(path)
    assert [d.location for d in documents] == [f"{path}#{n}" for n in (1, 2, 4, 5, 6)]
    [bad] = rejections
    assert (bad.location, bad.code) == (f"{path}#3", "T111")
    assert "Content-Length" in bad.message and f"at byte {spans[2][0]:,}" in bad.message


def test_two_corrupt_records_are_two_rejections(tmp_path: Path) -> None:
    data, spans = _archive(gz=True)
    damaged = _flip_inside(_flip_inside(data, *spans[4]), *spans[1])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(damaged)
    documents, rejections = _read(path)
    assert [d.location for d in documents] == [f"{path}#{n}" for n in (1, 3, 4, 6)]
    assert [r.location for r in rejections] == [f"{path}#2", f"{path}#5"]


def test_a_corrupt_last_record_still_ends_the_file(tmp_path: Path) -> None:
    data, spans = _archive(gz=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_flip_inside(data, *spans[5]))
    documents, rejections = _read(path)
    assert len(documents) == 5
    [bad] = rejections
    assert bad.location == f"{path}#6" and "rest of file skipped" in bad.message
