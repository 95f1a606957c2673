"""Shared fixtures. Tests that read ../shared skip cleanly where it is absent (a user's machine)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; THUCYDIDES_SHARED names it for a worktree kept elsewhere.
SHARED = Path(os.environ.get("THUCYDIDES_SHARED", "") or ROOT.parent / "shared")
EXAMPLES = ROOT / "examples" / "news"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a skip when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only on development machines and CI)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def seeds_gold() -> dict:
    import json

    return json.loads(shared_path("eval", "seeds-gold.json").read_text(encoding="utf-8"))
