"""Peak memory and time of reading decompression bombs (issue 11, item 8).

    PYTHONPATH=src python benchmarks/bench_bombs.py [--megabytes 100]

Makes, in a temporary directory, MEGABYTES of zeros as a .warc.gz and of newlines as a
.jsonl.gz, reads each in a fresh process and prints its rejections, peak RSS (getrusage) and
wall time. Before the fix, 100 MB of zeros as .warc.gz reached 1.9-2.1 GB RSS.
"""

from __future__ import annotations

import argparse
import gzip
import json
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
    size = parser.parse_args().megabytes << 20
    with tempfile.TemporaryDirectory() as tmp:
        for name, byte in (("zeros.warc.gz", b"\0"), ("newlines.jsonl.gz", b"\n")):
            path = Path(tmp) / name
            with gzip.open(path, "wb", compresslevel=9) as out:
                for _ in range(size >> 20):
                    out.write(byte * (1 << 20))
            measure(path)


if __name__ == "__main__":
    main()
