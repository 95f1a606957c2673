#!/usr/bin/env bash
# What a new user does: a plain virtual environment with Python's bundled pip (no upgrade), the
# package alone (no extras), then the commands the README shows first. CI runs this (.ci/run).
#   scripts/check_plain_install.sh [PYTHON]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${1:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

"$python" -m venv "$work/venv"
bin="$work/venv/bin"
echo "plain install: $("$bin/python" --version), $("$bin/python" -m pip --version | cut -d' ' -f1-2)"
"$bin/python" -m pip install --quiet --disable-pip-version-check "$root"
cd "$work"  # away from the source tree: only the installed package can be imported

"$bin/thucydides" --help >/dev/null
"$bin/thucydides" extract "$root/examples/news" --db "$work/out/store.duckdb" --out "$work/out" -q \
    >/dev/null 2>"$work/extract.err"
events=$(wc -l <"$work/out/events.jsonl")
[ "$events" -gt 0 ] || { echo "plain install: extract wrote no events"; exit 1; }
line='{"id": "p1", "text": "Kenyan police arrested six Somali nationals in Mombasa on Wednesday.", "date": "2024-05-10"}'
coded=$(echo "$line" | "$bin/thucydides" code | wc -l)
[ "$coded" -gt 0 ] || { echo "plain install: code wrote no event"; exit 1; }

# The README's tour on the example's store: each command succeeds and prints something.
store="$work/out/store.duckdb"
tour() {
    "$bin/thucydides" "$@" >"$work/tour.out" 2>&1 && [ -s "$work/tour.out" ] \
        || { echo "plain install: 'thucydides $*' failed or printed nothing:"; cat "$work/tour.out"; exit 1; }
}
tour dyad KOR RUS --by month --db "$store"
tour top --by dyad --db "$store"
tour export --format gdelt -o - --db "$store"
tour export --format icews -o - --db "$store"
tour query "SELECT count(*) AS n FROM merged_events" --db "$store"
tour info --db "$store"
tour settings

# Commands of an extra that is not installed say so in one line and fail.
for cmd in "plot dyad KOR RUS --db $work/out/store.duckdb -o $work/k.png" "spark extract x.jsonl out"; do
    if "$bin/thucydides" $cmd >"$work/extra.out" 2>&1; then
        echo "plain install: 'thucydides $cmd' worked without its extra"; exit 1
    fi
    if [ "$(wc -l <"$work/extra.out")" -ne 1 ] || ! grep -q "pip install 'thucydides\[" "$work/extra.out"; then
        echo "plain install: 'thucydides $cmd' without its extra printed:"; cat "$work/extra.out"; exit 1
    fi
done
size=$(du -sm "$work/venv" | cut -f1)
dists=$(ls -d "$work"/venv/lib/python*/site-packages/*.dist-info | wc -l)
echo "plain install: ok in $((SECONDS - started)) s ($size MB, $dists packages, $events events from the example)"
