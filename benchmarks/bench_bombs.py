"""Peak memory and time of reading decompression bombs and of coding huge articles (issue 11).

    PYTHONPATH=src python benchmarks/bench_bombs.py [--megabytes 100] [--only bombs|articles]
        [--articles 0.25 0.5 1.1]

Bombs (item 8): makes, in a temporary directory, MEGABYTES of zeros as a .warc.gz and of
newlines as a .jsonl.gz, reads each in a fresh process and prints its rejections, peak RSS
(getrusage) and wall time. Before the fix, 100 MB of zeros as .warc.gz reached 1.9-2.1 GB RSS.

Articles (item 2's other half): codes one article of each size in millions of characters
(invented news sentences naming thirty countries and twelve people, with pronouns and "the
two sides", every line a 5-sentence paragraph, so that mentions, coreference, dating and
merging all work on it) in a fresh process, and prints its events, peak RSS, CPU and wall
time. Before the fix, 1.1 M characters took 3.35 GB and 8.5 minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = (
    "import json, resource, sys\n"
    "from thucydides.readers import read_paths\n"
    "from thucydides.settings import Settings\n"
    "from thucydides.types import Rejection\n"
    "items = [[i.location, i.code] for i in read_paths(sys.argv[1:], Settings())"
    " if isinstance(i, Rejection)]\n"
    "print(json.dumps([items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n"
)


ARTICLE_SCRIPT = (
    "import json, resource, sys, time\n"
    "from thucydides.coder import Coder\n"
    "from thucydides.coder.pipeline import text_document\n"
    "coder = Coder()\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "started = time.process_time()\n"
    "document = text_document(text, '2024-03-01', 'huge')\n"
    "[(_, events)] = list(coder.code_documents([document], on_error='raise'))\n"
    "cpu = time.process_time() - started\n"
    "print(json.dumps([len(events), cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n"
)

COUNTRIES = [
    "Russia",
    "Ukraine",
    "France",
    "Germany",
    "China",
    "Japan",
    "India",
    "Pakistan",
    "Iran",
    "Iraq",
    "Syria",
    "Turkey",
    "Egypt",
    "Israel",
    "Brazil",
    "Mexico",
    "Kenya",
    "Nigeria",
    "Poland",
    "Sweden",
    "Norway",
    "Spain",
    "Italy",
    "Greece",
    "Chile",
    "Peru",
    "Vietnam",
    "Thailand",
    "Indonesia",
    "Canada",
]
PEOPLE = [
    "Anna Kovacs",
    "Pieter Lund",
    "Omar Haddad",
    "Li Wei",
    "Maria Santos",
    "Ivan Petrov",
    "Yuki Sato",
    "Amara Obi",
    "Lars Berg",
    "Elena Duarte",
    "Tomas Novak",
    "Farid Rahimi",
]
TITLES = ("Foreign Minister", "President", "Prime Minister", "Defence Minister", "General")
SENTENCES = (
    "{c1} accused {c2} of violating the ceasefire on Monday.",
    "{t} {p} of {c1} met {p2}, the {c2} foreign minister, on Tuesday.",
    "He said they would not negotiate with the rebels.",
    "The two sides signed an agreement on trade last week.",
    "It condemned the attack and urged {c3} to withdraw its troops.",
    "Police in {c1} arrested 12 protesters after clashes in the capital.",
    "She later threatened to impose sanctions on {c2}.",
    "{c2} rejected the proposal and recalled its ambassador.",
    "Mr {s} told reporters that {c3} had promised aid to {c1}.",
    "They agreed to hold talks next month, officials said.",
)


def huge_article(chars: int, seed: int = 11) -> str:
    """CHARS characters of invented news, one paragraph of five sentences a line."""
    rnd = random.Random(seed)
    lines: list[str] = []
    size = 0
    while size < chars:
        told = []
        for _ in range(5):
            c1, c2, c3 = rnd.sample(COUNTRIES, 3)
            p, p2 = rnd.sample(PEOPLE, 2)
            template = rnd.choice(SENTENCES)
            told.append(
                template.format(
                    c1=c1, c2=c2, c3=c3, p=p, p2=p2, s=p.split()[-1], t=rnd.choice(TITLES)
                )
            )
        line = " ".join(told)
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def measure_article(path: Path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", ARTICLE_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    events, cpu, max_rss_kb = json.loads(done.stdout)
    print(
        f"article of {path.stat().st_size / 1e6:.2f} M characters: {events} events, "
        f"peak RSS {max_rss_kb / 1024:.0f} MB, coding {cpu:.1f} s CPU, {seconds:.1f} s wall "
        "(with loading the model)"
    )


def measure(path: Path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, check=True
    )
    seconds = time.monotonic() - started
    rejects, max_rss_kb = json.loads(done.stdout)
    codes = [code for _, code in rejects]
    print(
        f"{path.name}: {path.stat().st_size / 1e6:.2f} MB on disk, rejections {codes}, "
        f"peak RSS {max_rss_kb / 1024:.0f} MB, {seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--only", choices=("bombs", "articles"), default=None)
    parser.add_argument(
        "--articles", type=float, nargs="*", default=[0.25, 0.5, 1.1], metavar="MCHARS"
    )
    args = parser.parse_args()
    size = args.megabytes << 20
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "articles":
            for name, byte in (("zeros.warc.gz", b"\0"), ("newlines.jsonl.gz", b"\n")):
                path = Path(tmp) / name
                with gzip.open(path, "wb", compresslevel=9) as out:
                    for _ in range(size >> 20):
                        out.write(byte * (1 << 20))
                measure(path)
        if args.only != "bombs":
            for millions in args.articles:
                path = Path(tmp) / f"article-{millions}M.txt"
                path.write_text(huge_article(int(millions * 1e6)), encoding="utf-8")
                measure_article(path)


if __name__ == "__main__":
    main()
