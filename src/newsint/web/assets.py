"""The static files of the web UI, read once from the package into memory.

A request names an asset by path, but the path is only ever a key into this table: nothing
a request sends is joined to a directory or opened, so no request can reach the filesystem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
PLAIN = "text/plain; charset=utf-8"  # LICENSE, NOTICE


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def _walk(folder: Traversable, prefix: str = "") -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        name = prefix + entry.name
        if entry.is_dir():
            assets.update(_walk(entry, name + "/"))
            continue
        body = entry.read_bytes()
        suffix = "." + entry.name.rsplit(".", 1)[1] if "." in entry.name else ""
        assets[name] = Asset(
            body=body,
            content_type=CONTENT_TYPES.get(suffix, PLAIN),
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        )
    return assets


def load_assets() -> dict[str, Asset]:
    """Every file under `newsint/web/static/`, keyed by its path below that folder."""
    return _walk(files("newsint.web") / "static")


def assets_version(assets: dict[str, Asset]) -> str:
    """One short hash of every asset: changes whenever any of them does (cache busting)."""
    digest = hashlib.sha256()
    for name in sorted(assets):
        digest.update(name.encode())
        digest.update(assets[name].etag.encode())
    return digest.hexdigest()[:12]
