"""The event coder: parsed sentences in, CAMEO and PLOVER events out, one module per step.

`Coder` (pipeline.py) is what the pipeline, the `code` and `evaluate` commands and the Python API
use.
"""

from __future__ import annotations

from .pipeline import Coder, code, text_document

__all__ = ["Coder", "code", "text_document"]
