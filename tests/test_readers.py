"""Every reader, and every kind of bad input, on small files written by the tests."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thucydides.errors import CODES
from thucydides.html import extract_html
from thucydides.readers import decode_bytes, read_paths, register_reader
from thucydides.settings import Settings
from thucydides.types import RawDocument, Rejection

SETTINGS = Settings()
STORY = "Chile and Peru signed a fisheries accord in Lima on Monday, officials said."
HTML = (
    "<html><head><title>Fisheries accord signed | Andes Post</title>"
    "<meta property='og:site_name' content='Andes Post'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Fisheries accord signed</h1>"
    f"<p>{STORY}</p><p>The accord sets catch limits for anchovy for the next three years, "
    "and both navies will patrol the maritime border together.</p></article>"
    "<footer>Contact us</footer></body></html>"
)


def read(*paths: Path | str, **kwargs) -> tuple[list[RawDocument], list[Rejection]]:
    items = list(read_paths([str(p) for p in paths], SETTINGS, **kwargs))
    docs = [i for i in items if isinstance(i, RawDocument)]
    return docs, [i for i in items if isinstance(i, Rejection)]


def test_plain_text(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY + "\n", encoding="utf-8")
    (doc,), rejects = read(tmp_path / "story.txt")
    assert not rejects
    assert doc.media_type == "text/plain" and doc.text == STORY + "\n"
    assert doc.location == str(tmp_path / "story.txt") and doc.encoding == "utf-8"


def test_latin1_and_utf16_files_are_decoded(tmp_path: Path) -> None:
    text = "José Müller visited Zürich and São Paulo; the café, naïve, façade. " * 3
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "wide.txt").write_bytes(text.encode("utf-16"))
    docs, rejects = read(tmp_path / "latin.txt", tmp_path / "wide.txt")
    assert not rejects
    assert [d.text for d in docs] == [text, text]


def test_decode_bytes_honours_a_declared_charset() -> None:
    text, encoding = decode_bytes("Gdańsk and Łódź".encode("iso-8859-2"), "x", "iso-8859-2")
    assert text == "Gdańsk and Łódź" and encoding == "iso-8859-2"


def test_html_file_and_extraction(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (doc,), _ = read(tmp_path / "page.html")
    assert doc.media_type == "text/html"
    text, meta = extract_html(doc)
    assert STORY in text and "Contact us" not in text and "Home" not in text
    assert meta.title == "Fisheries accord signed" and meta.publisher == "Andes Post"


def test_jsonl_records_with_hints_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": STORY,
                "url": "https://x.example/a1",
                "date": "2020-02-03",
                "title": "Accord",
                "source": "Andes Post",
            }
        ),
        "",
        '{"id": "broken", "text": "cut off',
        json.dumps({"id": "h1", "html": HTML}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text", "title": "nothing here"}),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps({"id": "a2", "text": STORY}),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, rejects = read(path)
    assert [d.hints.record_id for d in docs] == ["a1", "h1", "a2"]
    first = docs[0]
    assert first.location == f"{path}:1" and first.hints.url == "https://x.example/a1"
    assert (first.hints.date, first.hints.title, first.hints.publisher) == (
        "2020-02-03",
        "Accord",
        "Andes Post",
    )
    assert docs[1].media_type == "text/html"
    assert [(r.location, r.code) for r in rejects] == [
        (f"{path}:3", "T104"),
        (f"{path}:5", "T104"),
        (f"{path}:6", "T105"),
        (f"{path}:7", "T105"),
    ]
    assert "'no-text'" in rejects[2].message


def test_json_array_and_csv_and_tsv(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "j1", "text": STORY}]))
    (tmp_path / "b.csv").write_text(
        f'id,title,text\nc1,Accord,"{STORY}\nSecond line, with a comma."\nc2,Empty,\n',
        encoding="utf-8",
    )
    (tmp_path / "c.tsv").write_text(f"id\ttext\nt1\t{STORY}\n", encoding="utf-8")
    docs, rejects = read(tmp_path / "a.json", tmp_path / "b.csv", tmp_path / "c.tsv")
    assert [d.hints.record_id for d in docs] == ["j1", "c1", "t1"]
    assert docs[1].text.endswith("with a comma.") and docs[1].hints.title == "Accord"
    assert docs[1].location == f"{tmp_path / 'b.csv'}:3"
    assert [(Path(r.location).name, r.code) for r in rejects] == [("b.csv:4", "T105")]


def test_csv_without_text_column(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("id,body\n1,hello\n")
    _, (reject,) = read(tmp_path / "x.csv")
    assert reject.code == "T110" and "text" in reject.message


def _write_warc(path: Path, *, truncate: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.name.endswith(".gz"))
    pages = [
        ("https://a.example/accord", "text/html; charset=utf-8", HTML.encode(), "200 OK"),
        ("https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64), "200 OK"),
        ("https://a.example/gone", "text/html", b"<html>gone</html>", "404 Not Found"),
        (
            "https://a.example/note.txt",
            "text/plain; charset=iso-8859-1",
            ("Café talks in Zürich. " + STORY).encode("latin-1"),
            "200 OK",
        ),
    ]
    for url, content_type, payload, status in pages:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) * 2 // 3] if truncate else data)


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    _write_warc(tmp_path / name)
    docs, rejects = read(tmp_path / name)
    assert not rejects
    assert [d.hints.url for d in docs] == ["https://a.example/accord", "https://a.example/note.txt"]
    assert docs[0].media_type == "text/html" and docs[1].media_type == "text/plain"
    assert docs[1].text.startswith("Café talks in Zürich.")
    assert docs[0].location == f"{tmp_path / name}#1"


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_warc_keeps_what_it_read(tmp_path: Path, name: str) -> None:
    _write_warc(tmp_path / name, truncate=True)
    docs, rejects = read(tmp_path / name)
    assert len(docs) >= 1
    assert [r.code for r in rejects] == ["T111"]


def test_gzip_files_dispatch_on_the_inner_suffix(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "s.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(STORY)
    with gzip.open(tmp_path / "r.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": STORY}) + "\n{bad\n")
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(STORY.encode())[:20])
    docs, rejects = read(tmp_path / "r.jsonl.gz", tmp_path / "s.txt.gz", tmp_path / "broken.txt.gz")
    assert [d.text for d in docs] == [STORY, STORY]
    assert [(Path(r.location).name, r.code) for r in rejects] == [
        ("r.jsonl.gz:2", "T104"),
        ("broken.txt.gz", "T111"),
    ]


def test_directories_globs_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(STORY)
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / ".hidden.txt").write_text(STORY)
    docs, _ = read(tmp_path)
    assert [Path(d.source_path).name for d in docs] == ["two.txt", "one.txt"]  # path order
    docs, _ = read(str(tmp_path / "**" / "*.txt"))
    assert sorted(Path(d.source_path).name for d in docs) == ["one.txt", "two.txt"]
    _, (reject,) = read(str(tmp_path / "*.nothing"))
    assert reject.code == "T101"


def test_stdin_is_sniffed() -> None:
    jsonl = io.BytesIO((json.dumps({"id": "s1", "text": STORY}) + "\n").encode())
    (doc,), _ = read("-", stdin=jsonl)
    assert doc.hints.record_id == "s1" and doc.location == "<stdin>:1"
    (doc,), _ = read("-", stdin=io.BytesIO(HTML.encode()))
    assert doc.media_type == "text/html"
    (doc,), _ = read("-", stdin=io.BytesIO(STORY.encode()))
    assert doc.media_type == "text/plain"


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.php").write_text(HTML)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    docs, rejects = read(tmp_path / "page.php", tmp_path / "photo.jpg")
    assert len(docs) == 1 and [r.code for r in rejects] == ["T112"]


def test_bad_single_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "one-line.txt").write_bytes(b"x" * (5 * 1024 * 1024))
    (tmp_path / "long-line.txt").write_bytes(b"word " * 30_000)
    results = {Path(r.location).name: r for r in read(tmp_path, tmp_path / "nope.txt")[1]}
    assert {name: r.code for name, r in results.items()} == {
        "empty.txt": "T102",
        "blank.txt": "T102",
        "binary.txt": "T103",
        "one-line.txt": "T108",
        "long-line.txt": "T107",
        "nope.txt": "T101",
    }
    assert "max_line_chars" in results["long-line.txt"].message
    assert all("\n" not in str(r) for r in results.values())


def test_oversized_jsonl_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    small = Settings(max_document_bytes=1000)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 5000})
        + "\n"
        + json.dumps({"id": "ok", "text": STORY})
        + "\n"
    )
    items = list(read_paths([str(path)], small))
    assert [type(i).__name__ for i in items] == ["Rejection", "RawDocument"]
    assert items[0].code == "T108" and items[0].location == f"{path}:1"
    assert items[1].location == f"{path}:2"


@pytest.mark.parametrize("page", ["", "<html></html>", "<html><body><script>x()</script></body>"])
def test_html_without_main_text_is_t106(page: str) -> None:
    from thucydides.errors import ReadError

    with pytest.raises(ReadError) as caught:
        extract_html(RawDocument("p.html", "p.html", "text/html", page))
    assert caught.value.code == "T106" and caught.value.location == "p.html"


def test_a_user_reader_can_be_registered(tmp_path: Path) -> None:
    def read_upper(label, stream, settings):
        yield RawDocument(label, label, "text/plain", stream.read().decode().upper())

    register_reader([".shout"], read_upper)
    (tmp_path / "x.shout").write_text("peace talks")
    (doc,), _ = read(tmp_path / "x.shout")
    assert doc.text == "PEACE TALKS"


_SUFFIXES = ["txt", "html", "jsonl", "json", "csv", "tsv", "warc", "warc.gz", "txt.gz", "bin"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(str.encode),
        st.lists(
            st.sampled_from(
                [
                    '{"id": 1, "text": "a"}',
                    '{"text":',
                    "[",
                    "id,text",
                    '"x"',
                    "WARC/1.0",
                    "<html>",
                    "\r\n",
                    ",",
                    "\t",
                ]
            )
        )
        .map("\n".join)
        .map(str.encode),
    ),
    suffix=st.sampled_from(_SUFFIXES),
)
def test_readers_never_raise_on_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz.{suffix}"
    path.write_bytes(data)
    for item in read_paths([str(path)], SETTINGS):
        assert isinstance(item, RawDocument | Rejection)
        if isinstance(item, Rejection):
            assert item.code in CODES and str(path) in item.location and "\n" not in item.message
