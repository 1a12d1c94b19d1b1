"""Data files shipped with newsint (knowledge base, lexicons, schema) and where they are."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

DATA_DIR = Path(str(files("newsint.data")))


def data_path(name: str) -> Path:
    return DATA_DIR / name


@lru_cache(maxsize=None)
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def data_files() -> list[dict[str, object]]:
    """Every shipped data file with its size and a content hash (for `newsint info`)."""
    out = []
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file() and path.suffix not in {".py", ".pyc"}:
            out.append(
                {
                    "file": str(path.relative_to(DATA_DIR)),
                    "bytes": path.stat().st_size,
                    "sha256": _digest(path),
                }
            )
    return out
