"""Turn inputs (files, folders, JSON Lines, HTML, stdin) into `Article` values.

Every input item ends as exactly one `Item`: an article, or an error naming the item and
the reason. A bad item never stops the batch.

Inputs:
- `.txt` (or any other text file): the whole file is the article text. An optional front
  matter block gives metadata::

      ---
      title: Clash near Gardez
      outlet: Kabul Wire
      published: 2021-10-30
      url: https://example.org/a
      id: kw-0001
      ---
      Article text...

- `.html` / `.htm`: main text and metadata extracted with trafilatura.
- `.jsonl`: one JSON object per line with `text` and optional `id`, `title`, `url`,
  `outlet`, `published`. `.json`: one such object, or a list of them.
- folders: every non-hidden file below them, recursively, in sorted order.
- `-`: one text article from standard input (or JSON Lines, if every line is an object).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsint.schema import Article

MAX_FILE_BYTES = 10_000_000  # a .txt/.html file larger than this is refused unread
MAX_TEXT_CHARS = 1_000_000  # article text longer than this (after extraction) is refused

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
METADATA_KEYS = ("id", "title", "url", "outlet", "published")


class InputError(ValueError):
    """An input item cannot become an article; the message is the reason."""


@dataclass(frozen=True, slots=True)
class Item:
    """One input item: where it came from, and either its article or why it has none."""

    source: str  # "path", "path:LINE" for JSON Lines, "<stdin>"
    article: Article | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None


def article_id(text: str) -> str:
    """Stable id: a hash of the NFC-normalised text with whitespace collapsed."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def normalise_date(value: object, field: str = "published") -> str | None:
    """YYYY-MM-DD from a date or an ISO 8601 date-time string; None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{field}: expected a YYYY-MM-DD string, got {type(value).__name__}")
    m = re.match(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ].*)?\s*$", value)
    if not m:
        raise InputError(f"{field}: {value!r} is not a date (expected YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a valid calendar date") from None
    return m.group(1)


def clean_text(text: str) -> str:
    """The text we analyse: newlines unified, BOM dropped; nothing else is touched."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def make_article(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: object = None,
) -> Article:
    """Validate and build one article; raises InputError with the reason."""
    if not isinstance(text, str):
        raise InputError(f"text: expected a string, got {type(text).__name__}")
    text = clean_text(text)
    if not text.strip():
        raise InputError("empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"text too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})")
    if "\x00" in text:
        raise InputError("text contains NUL characters (binary data?)")
    for field, value in (("id", id), ("title", title), ("url", url), ("outlet", outlet)):
        if value is not None and not isinstance(value, str | int):
            raise InputError(f"{field}: expected a string, got {type(value).__name__}")
    return Article(
        id=str(id) if id not in (None, "") else article_id(text),
        title=title or None,
        url=url or None,
        outlet=outlet or None,
        published=normalise_date(published),
        text=text,
    )


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (or BOM-marked UTF-16); refuse binary data and invalid encodings."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(f"not valid UTF-8 (byte 0x{bad} at offset {exc.start})") from None


FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Metadata from a leading `---` block of `key: value` lines, and the text after it."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in METADATA_KEYS:
            # Not our front matter after all: keep the text whole rather than guess.
            return {}, text
        meta[key] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def article_from_text(text: str, defaults: dict[str, object]) -> Article:
    meta, body = split_front_matter(clean_text(text))
    return make_article(body, **{**defaults, **meta})


def article_from_html(html: str, defaults: dict[str, object]) -> Article:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text found in the HTML")
    meta = {
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.sitename,
        "published": doc.date,
    }
    meta = {k: v for k, v in meta.items() if v}
    return make_article(doc.text, **{**defaults, **meta})


def article_from_record(record: object, defaults: dict[str, object]) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    if "text" not in record:
        raise InputError("JSON record has no 'text' field")
    meta = {k: record[k] for k in METADATA_KEYS if record.get(k) not in (None, "")}
    return make_article(record["text"], **{**defaults, **meta})


def read_limited(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    return path.read_bytes()


def items_from_jsonl_lines(lines: Iterable[bytes], source: str, defaults: dict) -> Iterator[Item]:
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise InputError(f"line too long ({len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,})")
            try:
                record = json.loads(decode_bytes(raw))
            except json.JSONDecodeError as exc:
                raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
            yield Item(where, article=article_from_record(record, defaults))
        except InputError as exc:
            yield Item(where, error=str(exc))


def items_from_file(path: Path, defaults: dict) -> Iterator[Item]:
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                yield from items_from_jsonl_lines(fh, source, defaults)
            return
        data = read_limited(path)
        text = decode_bytes(data)
        if suffix in JSON_SUFFIXES:
            try:
                payload = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
            records = payload if isinstance(payload, list) else [payload]
            for index, record in enumerate(records):
                where = f"{source}[{index}]" if isinstance(payload, list) else source
                try:
                    yield Item(where, article=article_from_record(record, defaults))
                except InputError as exc:
                    yield Item(where, error=str(exc))
            return
        if suffix in HTML_SUFFIXES:
            yield Item(source, article=article_from_html(text, defaults))
        else:
            yield Item(source, article=article_from_text(text, defaults))
    except InputError as exc:
        yield Item(source, error=str(exc))
    except OSError as exc:
        yield Item(source, error=f"cannot read file ({exc.strerror or exc})")


def items_from_stdin(defaults: dict) -> Iterator[Item]:
    data = sys.stdin.buffer.read()
    lines = data.splitlines()
    nonblank = [line for line in lines if line.strip()]
    if nonblank and all(line.lstrip().startswith(b"{") for line in nonblank):
        yield from items_from_jsonl_lines(lines, "<stdin>", defaults)
        return
    try:
        yield Item("<stdin>", article=article_from_text(decode_bytes(data), defaults))
    except InputError as exc:
        yield Item("<stdin>", error=str(exc))


def walk(folder: Path) -> Iterator[Path]:
    """Every non-hidden regular file below `folder`, in a stable order."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


def iter_items(
    paths: Iterable[str | Path],
    published: str | None = None,
    outlet: str | None = None,
) -> Iterator[Item]:
    """Every input item under `paths`, in order. `published`/`outlet` are defaults that an
    item's own metadata overrides."""
    defaults: dict[str, object] = {}
    if published:
        defaults["published"] = normalise_date(published)
    if outlet:
        defaults["outlet"] = outlet
    for raw in paths:
        if str(raw) == "-":
            yield from items_from_stdin(defaults)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in walk(path):
                yield from items_from_file(file, defaults)
        elif path.is_file():
            yield from items_from_file(path, defaults)
        elif path.exists():
            yield Item(str(path), error="not a regular file or folder")
        else:
            yield Item(str(path), error="no such file or folder")
