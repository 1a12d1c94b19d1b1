"""Quotation spans in raw text, for any quote style (part of the statements layer).

News text mixes straight, curly, doubled-apostrophe (''...'') and single quotes, nests them,
runs a quotation over several paragraphs (each paragraph reopens it, only the last one
closes it) and sometimes drops a mark. This module pairs the marks into spans of character
offsets, paragraph by paragraph, without trusting the tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Doubled apostrophes and backticks first, so that '' is read as one mark.
_MARK = re.compile(r"''|``|[\"“”„«»‘’‚'`]")
_PARAGRAPH = re.compile(r"[^\n]+")

_OPEN_DOUBLE = {"“", "„", "«", "``"}
_CLOSE_DOUBLE = {"”", "»"}
_EITHER_DOUBLE = {'"', "''"}
_OPEN_SINGLE = {"‘", "‚", "`"}
_EITHER_SINGLE = {"'", "’"}

# Characters that may sit right before an opening mark / right after a closing one.
_BEFORE_OPEN = set(" \t([{—–-/:;,")
_AFTER_CLOSE = set(" \t.,;:!?)]}—–-/…")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: `start`/`end` include the marks; `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    level: int  # 2 for double quotes, 1 for single quotes
    complete: bool  # False when one of the two marks had to be inferred


def _role(text: str, pos: int, length: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for an ambiguous mark, from the characters around it."""
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + length] if pos + length < hi else " "
    left_bound = before.isspace() or before in _BEFORE_OPEN or before in "“‘\"'"
    right_bound = after.isspace() or after in _AFTER_CLOSE or after in "”’\"'"
    if left_bound and not right_bound:
        return "open"
    if right_bound and not left_bound:
        return "close"
    return "either"


def _pair_double(text: str, paragraphs: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None  # offset of the pending opening mark
    open_len = 0
    ignored: set[int] = set()  # closing marks of markup attributes
    for n, (lo, hi) in enumerate(paragraphs):
        last_end = lo
        skip_first_open = False
        if open_at is not None:
            # The multi-paragraph convention: a quotation left open at the end of a
            # paragraph continues if the next paragraph starts by reopening it.
            first = _MARK.match(text, lo)
            if first and (first.group() in _OPEN_DOUBLE or first.group() in _EITHER_DOUBLE):
                skip_first_open = True
            else:
                prev_lo, prev_hi = paragraphs[n - 1]
                quotes.append(
                    Quote(open_at, prev_hi, open_at + open_len, prev_hi, 2, complete=False)
                )
                open_at = None
        for m in _MARK.finditer(text, lo, hi):
            mark = m.group()
            if mark in _OPEN_SINGLE or mark in _EITHER_SINGLE:
                continue
            if skip_first_open:
                skip_first_open = False
                continue
            pos = m.start()
            if pos in ignored:
                continue
            if mark == '"' and pos > lo and text[pos - 1] == "=" and open_at is None:
                # markup such as tweet-date="..." left in scraped text, not a quotation
                close = text.find('"', pos + 1, hi)
                if close != -1:
                    ignored.add(close)
                continue
            role = (
                "open" if mark in _OPEN_DOUBLE
                else "close" if mark in _CLOSE_DOUBLE
                else _role(text, pos, len(mark), lo, hi)
            )
            if role == "either":
                role = "close" if open_at is not None else "open"
            if role == "open":
                # A second opening mark while one is pending: the first was stray.
                open_at, open_len = pos, len(mark)
                continue
            if open_at is not None:
                quotes.append(Quote(open_at, m.end(), open_at + open_len, pos, 2, complete=True))
                open_at = None
                last_end = m.end()
            else:
                # A closing mark with no opening one: the quotation most likely began
                # where the paragraph (or the text after the previous quotation) begins.
                start = last_end
                while start < pos and text[start] in " \t,;:—–-":
                    start += 1
                if pos - start >= 2:
                    quotes.append(Quote(start, m.end(), start, pos, 2, complete=False))
                last_end = m.end()
    if open_at is not None and paragraphs:
        hi = paragraphs[-1][1]
        quotes.append(Quote(open_at, hi, open_at + open_len, hi, 2, complete=False))
    return quotes


def _pair_single(text: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[Quote]:
    """Single-quoted spans in one paragraph, outside the double-quoted ones.

    An apostrophe inside a word (don't, Afghanistan's) is never a mark, and a single
    quotation must close within its paragraph, so stray apostrophes pair with nothing.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    for m in _MARK.finditer(text, lo, hi):
        mark = m.group()
        if not (mark in _OPEN_SINGLE or mark in _EITHER_SINGLE):
            continue
        pos = m.start()
        if any(s <= pos < e for s, e in taken):
            continue
        before = text[pos - 1] if pos > lo else " "
        after = text[pos + 1] if pos + 1 < hi else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        if mark in _OPEN_SINGLE or (not before.isalnum() and after.isalnum()):
            if mark in _EITHER_SINGLE and before.isalnum():
                continue
            open_at = pos
        elif open_at is not None and not after.isalnum():
            if pos - open_at > 2:
                quotes.append(Quote(open_at, pos + 1, open_at + 1, pos, 1, complete=True))
            open_at = None
    return quotes


def find_quotes(text: str) -> list[Quote]:
    """Every top-level quotation in `text`, in order, as character spans.

    Double quotes are paired first (they are the reporting convention in most news
    English); single quotes count only outside them (British style, or scare quotes).
    Quotations nested inside another are not returned: the outer one is the statement.
    """
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    doubles = [q for q in _pair_double(text, paragraphs) if q.end > q.start]
    taken = [(q.start, q.end) for q in doubles]
    singles: list[Quote] = []
    for lo, hi in paragraphs:
        if "'" in text[lo:hi] or "‘" in text[lo:hi] or "’" in text[lo:hi]:
            singles.extend(_pair_single(text, lo, hi, taken))
    quotes = sorted(doubles + singles, key=lambda q: (q.start, -q.end))
    top: list[Quote] = []
    for q in quotes:
        if top and q.start < top[-1].end:
            continue  # nested in (or overlapping) the previous one
        top.append(q)
    return top
