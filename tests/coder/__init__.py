"""Unit tests of the event coder's steps (src/thucydides/coder/), one module per step."""
