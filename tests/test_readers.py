"""Every reader and every kind of bad input, on small files the tests write themselves."""

from __future__ import annotations

import gzip
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from thucydides import readers
from thucydides.errors import CODES, ReadError
from thucydides.readers import decode_bytes, read_paths, reader_for, register_reader
from thucydides.settings import Settings
from thucydides.types import Hints, RawDocument, Rejection

SETTINGS = Settings()
STORY = "Chile and Peru signed a fisheries accord in Lima on Monday, officials said."
SECOND = "The accord sets anchovy catch limits for three years, the ministers said."
LATIN = "José Müller visited Zürich and São Paulo; café, naïve, façade"
HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Fisheries accord | Andes Post"
    "</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Fisheries accord</h1>"
    f"<p>{STORY}</p><p>{SECOND}</p></article><footer>Contact us</footer></body></html>"
)


def read(
    *paths: Path | str, settings: Settings = SETTINGS, stdin: IO[bytes] | None = None
) -> tuple[list[RawDocument], list[Rejection]]:
    items = list(read_paths([str(p) for p in paths], settings, stdin=stdin))
    assert all(isinstance(i, RawDocument | Rejection) for i in items)
    docs = [i for i in items if isinstance(i, RawDocument)]
    return docs, [i for i in items if isinstance(i, Rejection)]


def codes(rejects: list[Rejection]) -> list[tuple[str, str]]:
    """(location relative to the file's directory, code) for each rejection."""
    return [(Path(r.location).name, r.code) for r in rejects]


# -- plain text, encodings -------------------------------------------------------------------


def test_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(f"{STORY}\r\n\r\n{SECOND}\r\n", encoding="utf-8", newline="")
    (doc,), rejects = read(path)
    assert rejects == []
    assert doc.text == f"{STORY}\r\n\r\n{SECOND}\r\n"  # exactly as decoded: line endings kept
    assert (doc.source_path, doc.location) == (str(path), str(path))
    assert (doc.media_type, doc.encoding, doc.hints) == ("text/plain", "utf-8", Hints())


def test_no_suffix_and_dot_text_are_plain_text(tmp_path: Path) -> None:
    (tmp_path / "README").write_text(STORY)
    (tmp_path / "wire.text").write_text(SECOND)
    docs, _ = read(tmp_path / "README", tmp_path / "wire.text")
    assert [(d.text, d.media_type) for d in docs] == [
        (STORY, "text/plain"),
        (SECOND, "text/plain"),
    ]


def test_latin1_news_paragraph(tmp_path: Path) -> None:
    text = f"ZURICH (Andes Post) - {LATIN}, the mayor's office said on Monday.\n"
    (tmp_path / "latin.txt").write_bytes(text.encode("iso-8859-1"))
    (doc,), rejects = read(tmp_path / "latin.txt")
    assert rejects == []
    assert doc.text == text and doc.encoding == "cp1252"
    assert decode_bytes(LATIN.encode("latin-1"), "x") == (LATIN, "cp1252")


@pytest.mark.parametrize(("codec", "name"), [("utf-16", "utf-16"), ("utf-16-be", "utf-16")])
def test_utf16_file_with_bom(tmp_path: Path, codec: str, name: str) -> None:
    data = ("\ufeff" + STORY + "\n" + LATIN + "\n").encode(codec)
    (tmp_path / "wide.txt").write_bytes(data)
    (doc,), rejects = read(tmp_path / "wide.txt")
    assert rejects == []
    assert doc.text == STORY + "\n" + LATIN + "\n"  # BOM gone, nothing else changed
    assert doc.encoding == name


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + STORY.encode(), "x") == (STORY, "utf-8-sig")


def test_decode_bytes_honours_a_declared_charset() -> None:
    text = "Talks in Gdańsk and Łódź"
    assert decode_bytes(text.encode("iso-8859-2"), "x", "ISO-8859-2") == (text, "iso-8859-2")
    # Labelled Latin-1, read as windows-1252 like browsers do: curly quotes survive.
    quoted = "“Peace,” she said – in Zürich"
    assert decode_bytes(quoted.encode("cp1252"), "x", "iso-8859-1") == (quoted, "cp1252")


def test_undecodable_bytes_are_t109(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        decode_bytes(b"\xff\xfeP\x00e\x00a", "odd.txt")  # a UTF-16 BOM, then half a character
    assert caught.value.code == "T109" and caught.value.location == "odd.txt"
    (tmp_path / "odd.txt").write_bytes(b"\xff\xfeP\x00e\x00a")
    assert codes(read(tmp_path / "odd.txt")[1]) == [("odd.txt", "T109")]


# -- bad single files ------------------------------------------------------------------------


def test_missing_path_and_empty_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t \n")
    (tmp_path / "nul.txt").write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)) * 4)
    (tmp_path / "controls.txt").write_bytes(b"\x01\x02\x03\x04\x05\x06 ab" * 100)
    docs, rejects = read(
        tmp_path / "missing.txt",
        tmp_path / "empty.txt",
        tmp_path / "blank.txt",
        tmp_path / "nul.txt",
        tmp_path / "controls.txt",
    )
    assert docs == []
    assert codes(rejects) == [
        ("missing.txt", "T101"),
        ("empty.txt", "T102"),
        ("blank.txt", "T102"),
        ("nul.txt", "T103"),
        ("controls.txt", "T103"),
    ]
    assert rejects[0].message == "no such file or directory"
    assert rejects[1].message == "empty file"
    assert all(r.stage == "read" and "\n" not in r.message for r in rejects)


def test_five_megabyte_single_line_file(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_bytes(b"x" * (5 * 1024 * 1024))
    _, (too_big,) = read(path)  # default max_document_bytes is 5,000,000
    assert too_big.code == "T108" and too_big.location == str(path)
    assert too_big.message.startswith("file is 5,242,880 bytes, more than max_document_bytes")
    _, (too_long,) = read(path, settings=Settings(max_document_bytes=6_000_000))
    assert too_long.code == "T107"
    assert too_long.message == (
        "line 1 is 5,242,880 characters long (max_line_chars=100,000): not running text"
    )


def test_line_too_long_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(f"{STORY}\n{'cell;' * 300}\n", encoding="utf-8")
    _, (reject,) = read(path, settings=Settings(max_line_chars=1000))
    assert (reject.code, reject.location) == ("T107", str(path))
    assert reject.message.startswith("line 2 is 1,500 characters long (max_line_chars=1,000)")


def test_oversized_file_is_t108(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "<p>words and more words</p>" * 100 + "</body></html>")
    _, (reject,) = read(path, settings=Settings(max_document_bytes=1000))
    assert reject.code == "T108" and "max_document_bytes (1,000)" in reject.message


# -- HTML ------------------------------------------------------------------------------------


def test_html_file_keeps_the_markup(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "page.htm").write_text(HTML, encoding="utf-8")
    docs, rejects = read(tmp_path / "page.html", tmp_path / "page.htm")
    assert rejects == []
    assert [(d.media_type, d.text) for d in docs] == [("text/html", HTML)] * 2


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1250"></head><body><p>{STORY} Łódź.</p></html>'
    (tmp_path / "pl.html").write_bytes(page.encode("cp1250"))
    (doc,), _ = read(tmp_path / "pl.html")
    assert doc.text == page and doc.encoding == "windows-1250"


# -- JSON lines, JSON arrays -----------------------------------------------------------------


def test_jsonl_records_hints_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": STORY,
                "url": "https://andes.example/a1",
                "date": "2020-02-03",
                "title": "Accord signed",
                "source": "Andes Post",
            }
        ),
        "",
        '{"id": "broken", "text": "cut off',
        json.dumps({"id": 7, "html": HTML, "text": "the html wins"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text", "title": "nothing here"}),
        json.dumps({"text": None}),
        json.dumps({"id": "blank", "text": "   ", "html": ""}),
        json.dumps({"id": "a2", "text": SECOND}),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, rejects = read(path)
    assert [d.hints.record_id for d in docs] == ["a1", "7", "a2"]
    first, page, last = docs
    assert (first.location, first.source_path, first.text) == (f"{path}:1", str(path), STORY)
    assert first.hints == Hints("a1", "https://andes.example/a1", "2020-02-03", "Accord signed",
                                "Andes Post")  # fmt: skip
    assert (first.media_type, first.encoding) == ("text/plain", "utf-8")
    assert (page.media_type, page.text, page.location) == ("text/html", HTML, f"{path}:4")
    assert last.location == f"{path}:9"
    assert [(r.location, r.code) for r in rejects] == [
        (f"{path}:3", "T104"),
        (f"{path}:5", "T104"),
        (f"{path}:6", "T105"),
        (f"{path}:7", "T105"),
        (f"{path}:8", "T105"),
    ]
    assert rejects[0].message.startswith("malformed JSON: Unterminated string")
    assert rejects[1].message == "a record must be a JSON object, got an array"
    assert rejects[2].message == "record 'no-text' has no text or html"
    assert rejects[3].message == "record has no text or html"


def test_jsonl_line_in_another_encoding_is_t109(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ndjson"
    path.write_bytes(
        json.dumps({"id": "ok", "text": STORY}).encode()
        + b"\n"
        + '{"id": "latin", "text": "Zürich"}'.encode("latin-1")
        + b"\n"
    )
    docs, rejects = read(path)
    assert [d.hints.record_id for d in docs] == ["ok"]
    assert [(r.location, r.code) for r in rejects] == [(f"{path}:2", "T109")]


def test_oversized_jsonl_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"id": "big", "text": "x" * 5000})
    path.write_text(f"{big}\n{json.dumps({'id': 'ok', 'text': STORY})}\n")
    items = list(read_paths([str(path)], Settings(max_document_bytes=1000)))
    assert isinstance(items[0], Rejection) and isinstance(items[1], RawDocument)
    assert (items[0].code, items[0].location) == ("T108", f"{path}:1")
    assert (items[1].location, items[1].text) == (f"{path}:2", STORY)


def test_json_array_streams_element_by_element(tmp_path: Path) -> None:
    records: list[object] = [
        {"id": f"r{i}", "text": f"{STORY} Item {i}. " + "More words. " * 40} for i in range(300)
    ]
    records[5] = {"id": "r5", "title": "no text"}
    records[9] = "a string"
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    assert path.stat().st_size > 2 * 65536  # parsed across several chunks
    docs, rejects = read(path)
    assert len(docs) == 298 and docs[0].location == f"{path}#1"
    assert docs[-1].hints.record_id == "r299" and docs[-1].location == f"{path}#300"
    assert all(d.text.startswith(STORY) for d in docs)
    assert [(r.location, r.code) for r in rejects] == [
        (f"{path}#6", "T105"),
        (f"{path}#10", "T104"),
    ]


def test_malformed_json_array_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(f'[{{"id": "j1", "text": "{STORY}"}}, {{"id": "j2", "text": "cut')
    docs, rejects = read(path)
    assert [d.hints.record_id for d in docs] == ["j1"]
    assert [(r.location, r.code) for r in rejects] == [(f"{path}#2", "T104")]
    assert "rest of file skipped" in rejects[0].message


def test_json_file_with_one_object_or_json_lines(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"id": "o1", "text": STORY}, indent=2))
    lines = [json.dumps({"id": f"l{i}", "text": STORY}) for i in (1, 2)]
    (tmp_path / "lines.json").write_text("\n".join(lines) + "\n")
    docs, rejects = read(tmp_path / "one.json", tmp_path / "lines.json")
    assert rejects == []
    assert [(Path(d.location).name, d.hints.record_id) for d in docs] == [
        ("one.json", "o1"),
        ("lines.json:1", "l1"),
        ("lines.json:2", "l2"),
    ]


def test_record_files_without_records_are_t102(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"")
    (tmp_path / "b.jsonl").write_text("\n \n")
    (tmp_path / "c.json").write_text(" [ ] ")
    (tmp_path / "d.csv").write_text("id,text\n")
    docs, rejects = read(*(tmp_path / name for name in ("a.jsonl", "b.jsonl", "c.json", "d.csv")))
    assert docs == []
    assert codes(rejects) == [
        ("a.jsonl", "T102"),
        ("b.jsonl", "T102"),
        ("c.json", "T102"),
        ("d.csv", "T102"),
    ]
    assert [r.message for r in rejects[:2]] == ["empty file", "empty file: only whitespace"]


def test_json_array_of_non_objects(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text('[1, "two", null, {"id": "z", "text": "Talks resumed."}] trailing')
    docs, rejects = read(path)
    assert [d.location for d in docs] == [f"{path}#4"]
    assert [(Path(r.location).name, r.message) for r in rejects] == [
        ("odd.json#1", "a record must be a JSON object, got a number"),
        ("odd.json#2", "a record must be a JSON object, got a string"),
        ("odd.json#3", "a record must be a JSON object, got null"),
        ("odd.json", "extra data after the end of the JSON array"),
    ]


# -- CSV and TSV -----------------------------------------------------------------------------


def test_csv_records(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(
        "ID,Title,Text,URL,Source,Date\n"
        f'c1,Accord,"{STORY}\nSecond paragraph, with a comma.",https://a.example/1,Andes Post,'
        "2021-04-05\n"
        "\n"
        f"c2,Empty,,https://a.example/2,,\n"
        f'c3,Third,"{SECOND}",,,\n',
        encoding="utf-8",
    )
    docs, rejects = read(path)
    assert [d.hints.record_id for d in docs] == ["c1", "c3"]
    first = docs[0]
    assert first.text == f"{STORY}\nSecond paragraph, with a comma."
    assert first.location == f"{path}:2"  # the line the record starts on
    assert first.hints == Hints("c1", "https://a.example/1", "2021-04-05", "Accord", "Andes Post")
    assert docs[1].location == f"{path}:6" and docs[1].hints.url is None
    assert [(r.location, r.code) for r in rejects] == [(f"{path}:5", "T105")]
    assert rejects[0].message == "record 'c2' has no text or html"


def test_broken_csv_rows_are_t110_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        "id,text\n"
        f'b1,"{STORY}"\n'
        'b2,"quoted"then more\n'
        "b3,plain words,surplus field\n"
        "b4\n"
        f'b5,"{SECOND}"\n'
        'b6,"never closed\n'
    )
    docs, rejects = read(path)
    assert [(d.hints.record_id, d.location) for d in docs] == [
        ("b1", f"{path}:2"),
        ("b5", f"{path}:6"),
    ]
    assert [(r.location, r.code) for r in rejects] == [
        (f"{path}:3", "T110"),
        (f"{path}:4", "T110"),
        (f"{path}:5", "T110"),
        (f"{path}:7", "T110"),
    ]
    assert rejects[1].message == "row has 3 fields, the header has 2"
    assert rejects[2].message == "row has 1 fields, the header has 2"


def test_csv_without_text_column_is_one_t110(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("id,body\n1,hello\n2,again\n")
    _, rejects = read(tmp_path / "x.csv")
    assert codes(rejects) == [("x.csv", "T110")]
    assert rejects[0].message == "no 'text' or 'html' column (columns: id, body)"


def test_tsv_and_big_fields_and_cp1252(tmp_path: Path) -> None:
    long_text = "\n".join([STORY] * 4000)  # ~300 KB, past csv's default 128 KB field limit
    (tmp_path / "big.tsv").write_text(f'id\ttext\nt1\t"{long_text}"\nt2\t{SECOND}\n')
    (tmp_path / "latin.csv").write_bytes(f'id,text\nl1,"{LATIN}"\n'.encode("cp1252"))
    docs, rejects = read(tmp_path / "big.tsv", tmp_path / "latin.csv")
    assert rejects == []
    assert [(d.hints.record_id, d.text) for d in docs] == [
        ("t1", long_text),
        ("t2", SECOND),
        ("l1", LATIN),
    ]
    assert docs[2].encoding == "cp1252"


def test_csv_html_column(tmp_path: Path) -> None:
    path = tmp_path / "pages.csv"
    path.write_text('id,html\nh1,"<html><body><p>' + STORY + '</p></body></html>"\n')
    (doc,), _ = read(path)
    assert doc.media_type == "text/html" and STORY in doc.text


def test_utf16_csv(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(f'id,text\nw1,"{STORY}"\nw2,"{LATIN}"\n'.encode("utf-16"))
    docs, rejects = read(path)
    assert rejects == []
    assert [(d.location, d.text, d.encoding) for d in docs] == [
        (f"{path}:2", STORY, "utf-16"),
        (f"{path}:3", LATIN, "utf-16"),
    ]


# -- WARC ------------------------------------------------------------------------------------


def _warc_bytes(*, gz: bool) -> bytes:
    """A small crawl: warcinfo, request, three documents and the records that are not ones."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "tests"}))

    def response(
        url: str, content_type: str | None, payload: bytes, status: str = "200 OK"
    ) -> None:
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                      http_headers=http)
        )  # fmt: skip

    request = StatusAndHeaders(
        "GET /accord HTTP/1.1", [("Host", "a.example")], is_http_request=True
    )
    writer.write_record(
        writer.create_warc_record("https://a.example/accord", "request", http_headers=request)
    )
    response("https://a.example/accord", "text/html; charset=utf-8", HTML.encode())  # 3
    response("https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    response("https://a.example/gone", "text/html", b"<html>gone</html>", "404 Not Found")
    response(
        "https://a.example/note.txt",
        "text/plain; charset=ISO-8859-1",
        f"{LATIN}. {STORY}".encode("latin-1"),
    )  # 6
    response("https://a.example/bare", None, f"<html><body><p>{SECOND}</p></body></html>".encode())
    writer.write_record(
        writer.create_warc_record(
            "urn:notes:1", "resource", payload=io.BytesIO(SECOND.encode()),
            warc_content_type="text/plain",
        )
    )  # fmt: skip
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_warc_bytes(gz=name.endswith(".gz")))
    docs, rejects = read(path)
    assert rejects == []
    assert [(d.location, d.media_type, d.hints.url) for d in docs] == [
        (f"{path}#3", "text/html", "https://a.example/accord"),
        (f"{path}#6", "text/plain", "https://a.example/note.txt"),
        (f"{path}#7", "text/html", "https://a.example/bare"),
        (f"{path}#8", "text/plain", "urn:notes:1"),
    ]
    assert docs[0].text == HTML and docs[0].source_path == str(path)
    assert docs[1].text == f"{LATIN}. {STORY}" and docs[1].encoding == "cp1252"
    assert all((d.hints.record_id or "").startswith("<urn:uuid:") for d in docs)


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_warc_keeps_what_it_read(tmp_path: Path, name: str) -> None:
    whole = _warc_bytes(gz=name.endswith(".gz"))
    path = tmp_path / name
    # Cut inside record 6 (the text note): records 1-5 are whole.
    marker = whole.find(b"note.txt") if not name.endswith(".gz") else None
    cut = (marker + 200) if marker is not None else _gz_cut_inside_record(whole, 6)
    path.write_bytes(whole[:cut])
    docs, rejects = read(path)
    assert [d.location for d in docs] == [f"{path}#3"]
    assert [(r.location, r.code) for r in rejects] == [(f"{path}#6", "T111")]
    assert "truncated" in rejects[0].message


def _gz_cut_inside_record(data: bytes, number: int) -> int:
    """An offset in the middle of the NUMBERth gzip member of a per-record gzipped WARC."""
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(io.BytesIO(data))
    for index, _ in enumerate(iterator, start=1):
        if index == number:
            return iterator.get_record_offset() + iterator.get_record_length() // 2
    raise AssertionError("too few records")


def test_not_a_warc_is_t111(tmp_path: Path) -> None:
    (tmp_path / "junk.warc").write_text("this is not an archive\n" * 20)
    _, rejects = read(tmp_path / "junk.warc")
    assert codes(rejects) == [("junk.warc#1", "T111")]


@pytest.mark.parametrize("name", ["old.arc", "old.arc.gz"])
def test_arc(tmp_path: Path, name: str) -> None:
    body = (
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
        + f"<html><body><p>{LATIN}. {STORY}</p></body></html>".encode("latin-1")
    )
    about = b"1 0 Tests\nURL IP-address Archive-date Content-type Archive-length\n"
    members = [
        b"filedesc://old.arc 0.0.0.0 20240101000000 text/plain %d\n%b\n" % (len(about), about),
        b"http://a.example/x 10.0.0.1 20240101000000 text/html %d\n%b\n" % (len(body), body),
    ]
    gz = name.endswith(".gz")
    (tmp_path / name).write_bytes(b"".join(gzip.compress(m) if gz else m for m in members))
    (doc,), rejects = read(tmp_path / name)
    assert rejects == []
    assert (doc.location, doc.media_type, doc.hints) == (
        f"{tmp_path / name}#2",
        "text/html",
        Hints(url="http://a.example/x"),  # no record id: ARC records have none
    )
    assert f"{LATIN}. {STORY}" in doc.text


# -- gzip, directories, globs, stdin, sniffing -----------------------------------------------


def test_gzip_files_dispatch_on_the_inner_suffix(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "s.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(STORY)
    with gzip.open(tmp_path / "r.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": SECOND}) + "\n{bad\n")
    with gzip.open(tmp_path / "p.html.gz", "wt", encoding="utf-8") as handle:
        handle.write(HTML)
    docs, rejects = read(tmp_path / "r.jsonl.gz", tmp_path / "s.txt.gz", tmp_path / "p.html.gz")
    assert [(Path(d.location).name, d.media_type, d.text) for d in docs] == [
        ("r.jsonl.gz:1", "text/plain", SECOND),
        ("s.txt.gz", "text/plain", STORY),
        ("p.html.gz", "text/html", HTML),
    ]
    assert codes(rejects) == [("r.jsonl.gz:2", "T104")]


def test_broken_gzip_files_are_t111(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"g{i}", "text": STORY}) + "\n" for i in range(2000))
    data = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(STORY.encode())[:20])
    (tmp_path / "plain.txt.gz").write_text("not gzip at all")
    docs, rejects = read(
        tmp_path / "cut.jsonl.gz", tmp_path / "cut.txt.gz", tmp_path / "plain.txt.gz"
    )
    assert len(docs) > 10 and docs[0].hints.record_id == "g0"  # what came before the cut
    assert codes(rejects) == [
        ("cut.jsonl.gz", "T111"),
        ("cut.txt.gz", "T111"),
        ("plain.txt.gz", "T111"),
    ]


def test_directories_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(STORY)
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c", "text": STORY}) + "\n")
    (tmp_path / ".hidden.txt").write_text(STORY)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "note.txt").write_text(STORY)
    docs, rejects = read(str(tmp_path) + "/")
    assert rejects == []
    assert [d.location for d in docs] == [
        f"{tmp_path}/b/two.txt",
        f"{tmp_path}/c.jsonl:1",
        f"{tmp_path}/one.txt",
    ]


def test_excluded_paths_are_passed_over_in_walks(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "documents.jsonl").write_text(json.dumps({"text": STORY}) + "\n")
    (tmp_path / "store.txt").write_text(SECOND)
    (tmp_path / "page.txt").write_text(STORY)
    exclude = [tmp_path / "out", str(tmp_path / "store.txt")]
    walked = list(read_paths([str(tmp_path)], SETTINGS, exclude=exclude))
    globbed = list(read_paths([str(tmp_path / "*.txt")], SETTINGS, exclude=exclude))
    named = list(read_paths([str(tmp_path / "store.txt")], SETTINGS, exclude=exclude))
    assert [i.location for i in walked] == [str(tmp_path / "page.txt")]
    assert [i.location for i in globbed] == [str(tmp_path / "page.txt")]
    assert [i.location for i in named] == [str(tmp_path / "store.txt")]


def test_globs(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(STORY)
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / "three.html").write_text(HTML)
    docs, _ = read(tmp_path / "**" / "*.txt")
    assert [d.location for d in docs] == [str(tmp_path / "b/two.txt"), str(tmp_path / "one.txt")]
    docs, _ = read(tmp_path / "*.htm[l]")
    assert [d.media_type for d in docs] == ["text/html"]
    _, rejects = read(tmp_path / "*.nothing")
    assert [(r.location, r.code) for r in rejects] == [(str(tmp_path / "*.nothing"), "T101")]


def test_stdin_is_sniffed() -> None:
    jsonl = (json.dumps({"id": "s1", "text": STORY}) + "\n{oops\n").encode()
    docs, rejects = read("-", stdin=io.BytesIO(b"\n\n  " + jsonl))
    assert [(d.hints.record_id, d.location, d.source_path) for d in docs] == [
        ("s1", "<stdin>:3", "-")
    ]
    assert [(r.location, r.code) for r in rejects] == [("<stdin>:4", "T104")]
    (page,), _ = read("-", stdin=io.BytesIO(b"  \n" + HTML.encode()))
    assert page.media_type == "text/html" and page.text == "  \n" + HTML
    (text,), _ = read("-", stdin=io.BytesIO(STORY.encode("utf-16")))
    assert (text.media_type, text.text, text.location) == ("text/plain", STORY, "<stdin>")
    _, (empty,) = read("-", stdin=io.BytesIO(b""))
    assert (empty.location, empty.code) == ("<stdin>", "T102")


def test_unknown_suffixes_are_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.php").write_text("\n  " + HTML)
    (tmp_path / "notes.md").write_text(f"# Accord\n\n{STORY}\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4)
    docs, rejects = read(tmp_path / "page.php", tmp_path / "notes.md", tmp_path / "photo.jpg")
    assert [(Path(d.location).name, d.media_type) for d in docs] == [
        ("page.php", "text/html"),
        ("notes.md", "text/plain"),
    ]
    assert codes(rejects) == [("photo.jpg", "T112")]
    assert rejects[0].message == "unsupported file type '.jpg' (binary content)"


# -- the registry, and nothing escapes -------------------------------------------------------


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test are undone after it."""
    monkeypatch.setattr(readers, "_READERS", dict(readers._READERS))


@pytest.mark.usefixtures("registry")
def test_a_user_reader_can_be_registered(tmp_path: Path) -> None:
    def read_shout(label: str, stream: IO[bytes], settings: Settings) -> Iterator[RawDocument]:
        yield RawDocument(label, label, "text/plain", stream.read().decode().upper())

    register_reader(".shout", read_shout)
    assert reader_for("x.SHOUT") is read_shout and reader_for("x.shout.gz") is None
    (tmp_path / "x.shout").write_text("peace talks")
    with gzip.open(tmp_path / "y.shout.gz", "wt") as handle:
        handle.write("ceasefire")
    docs, _ = read(tmp_path / "x.shout", tmp_path / "y.shout.gz")
    assert [d.text for d in docs] == ["PEACE TALKS", "CEASEFIRE"]
    assert reader_for("crawl.warc.gz") is readers.read_warc  # the longest suffix wins
    with pytest.raises(ValueError):
        register_reader("shout", read_shout)


@pytest.mark.usefixtures("registry")
def test_a_failing_reader_costs_one_file(tmp_path: Path) -> None:
    def read_flaky(label: str, stream: IO[bytes], settings: Settings) -> Iterator[RawDocument]:
        yield RawDocument(label, f"{label}:1", "text/plain", STORY)
        raise ValueError("record 2 is not what I expected")

    register_reader(".flaky", read_flaky)
    (tmp_path / "a.flaky").write_text("x")
    (tmp_path / "b.txt").write_text(SECOND)
    docs, rejects = read(tmp_path / "a.flaky", tmp_path / "b.txt")
    assert [d.text for d in docs] == [STORY, SECOND]
    assert codes(rejects) == [("a.flaky", "T111")]
    assert "ValueError: record 2 is not what I expected" in rejects[0].message


class _Endless(io.RawIOBase):
    """A stream that never ends: a header once, then the same record forever."""

    def __init__(self, head: bytes, record: bytes) -> None:
        self._data = iter(itertools.chain([head], itertools.repeat(record)))
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer):
            self._pending += next(self._data)
        size = len(buffer)
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def test_readers_stream_input_larger_than_memory() -> None:
    """Each record-by-record reader hands out its first records from an endless input."""
    row = json.dumps({"id": "e", "text": STORY})
    cases = [
        (readers.read_jsonl, b"", f"{row}\n".encode()),
        (readers.read_json, b"[", f"{row},\n".encode()),
        (readers.read_csv, b"id,text\n", f'e,"{STORY}"\n'.encode()),
        (readers.read_warc, b"", _warc_bytes(gz=True)),
    ]
    for reader, head, record in cases:
        stream = io.BufferedReader(_Endless(head, record))
        first = list(itertools.islice(reader("endless", stream, SETTINGS), 5))
        assert len(first) == 5 and all(isinstance(i, RawDocument) for i in first), reader
    stdin = io.BufferedReader(_Endless(b"", f"{row}\n".encode()))
    first = list(itertools.islice(read_paths(["-"], SETTINGS, stdin=stdin), 3))
    assert [i.location for i in first] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]


_SUFFIXES = ["txt", "html", "jsonl", "json", "csv", "tsv", "warc", "warc.gz", "txt.gz", "bin", ""]
_PIECES = [
    '{"id": 1, "text": "a"}', '{"text":', "[", "]", ",", "id,text", '"x"', "WARC/1.0",
    "Content-Length: 9", "<html>", "\r\n", "\t", "\x00", "\ufeff", "é",
]  # fmt: skip


@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=1000).map(str.encode),
        st.lists(st.sampled_from(_PIECES), max_size=30).map("\n".join).map(str.encode),
    ),
    suffix=st.sampled_from(_SUFFIXES),
)
def test_readers_never_raise_on_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / (f"fuzz.{suffix}" if suffix else "fuzz")
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") and data[:1] != b"W" else data)
    for item in read_paths([str(path)], SETTINGS):
        assert isinstance(item, RawDocument | Rejection)
        assert item.location.startswith(str(path))
        if isinstance(item, Rejection):
            assert item.code in CODES and "\n" not in item.message


# -- special files ---------------------------------------------------------------------------


def _read_in_subprocess(paths: list[str], timeout: float = 60) -> list[tuple[str, str]]:
    """(location, code) of the rejections of reading PATHS in a fresh process: a reader that
    blocks (open() on a FIFO) fails the test by timing out instead of hanging the suite."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from thucydides.readers import read_paths\n"
        "from thucydides.settings import Settings\n"
        "from thucydides.types import Rejection\n"
        "items = list(read_paths(sys.argv[1:], Settings()))\n"
        "print(json.dumps([[i.location, i.code if isinstance(i, Rejection) else 'doc']"
        " for i in items]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *paths], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return [tuple(pair) for pair in json.loads(done.stdout)]


def test_fifo_in_a_directory_and_named_directly_is_t113_and_never_blocks(tmp_path: Path) -> None:
    import os

    (tmp_path / "a.txt").write_text(STORY)
    os.mkfifo(tmp_path / "b.txt")  # nobody ever writes to it: open() would wait forever
    (tmp_path / "c.txt").write_text(SECOND)
    fifo = str(tmp_path / "b.txt")
    found = _read_in_subprocess([str(tmp_path), fifo], timeout=30)
    assert found == [
        (str(tmp_path / "a.txt"), "doc"),
        (fifo, "T113"),
        (str(tmp_path / "c.txt"), "doc"),
        (fifo, "T113"),
    ]


def test_character_device_is_t113() -> None:
    _, rejects = read("/dev/zero")  # a regular read would never end
    assert [(r.location, r.code) for r in rejects] == [("/dev/zero", "T113")]
    assert "character device" in rejects[0].message


# -- decompression bombs ---------------------------------------------------------------------


def _read_measured(path: Path) -> tuple[list[tuple[str, str]], int]:
    """(location, code) of each rejection of reading PATH in a fresh process, and that
    process's peak RSS in MB (VmHWM)."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from thucydides.readers import read_paths\n"
        "from thucydides.settings import Settings\n"
        "from thucydides.types import Rejection\n"
        "items = [[i.location, i.code] for i in read_paths(sys.argv[1:], Settings())"
        " if isinstance(i, Rejection)]\n"
        # VmHWM, not getrusage: ru_maxrss keeps the forking parent's peak across exec, so a
        # child of a large pytest process would report pytest's memory.
        "peak = [int(line.split()[1]) for line in open('/proc/self/status')"
        " if line.startswith('VmHWM:')][0]\n"
        "print(json.dumps([items, peak]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rejects, max_rss_kb = json.loads(done.stdout)
    return [tuple(r) for r in rejects], max_rss_kb // 1024


def test_gzip_bomb_of_newlines_in_jsonl_gz_is_t114_and_quick(tmp_path: Path) -> None:
    import time

    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * (48 << 20), 9))  # 48 MB of newlines, ~50 KB
    started = time.monotonic()
    rejects, _ = _read_measured(path)
    assert rejects == [(str(path), "T114")]
    assert time.monotonic() - started < 30


def test_good_jsonl_gz_passes_the_ratio_check(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    lines = [json.dumps({"id": str(n), "text": f"{STORY} Item {n}."}) for n in range(60_000)]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), 9))  # ~6 MB of text
    docs, rejects = read(path)
    assert not rejects and len(docs) == 60_000


def test_warc_gz_bomb_of_zeros_is_t115_without_the_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(b"\0" * (64 << 20), 9))  # 64 MB of zeros, one "line"
    rejects, max_rss_mb = _read_measured(path)
    assert rejects == [(f"{path}#1", "T115")]
    assert max_rss_mb < 400  # the whole line in memory (and copies of it) took 1.3 GB
