"""Make the repository's ``benchmarks`` package importable (this folder has the same name)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
_found = sys.modules.get("benchmarks")
if _found is not None and getattr(_found, "__file__", None) is None:  # the namespace of this folder
    del sys.modules["benchmarks"]
