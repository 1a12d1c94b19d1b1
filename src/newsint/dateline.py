"""Wire-copy datelines: "KABUL, Afghanistan, Oct 31 (Example Wire) - ...".

A dateline names where the report was filed and, in parentheses, the agency that filed it.
The NER model reads the capitalised place as an organisation and runs it into the first
word of the story ("ADDIS ABABA - A"), so the layers read the dateline from here instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATELINE = re.compile(
    r"""
    (?P<place>[A-Z][A-Z'.\-]+(?:\ [A-Z][A-Z'.\-]+)*)         # KABUL, PORT SUDAN, N'DJAMENA
    (?:,\ (?P<region>[A-Z][A-Za-z.\-]+(?:\ [A-Z][A-Za-z.\-]+)*))?   # , Afghanistan
    (?:,\ (?P<date>[A-Z][a-z]{2,8}\.?\ \d{1,2}))?            # , Oct 31
    \ *(?:\((?P<outlet>[^()\n]{2,60})\))?                    # (Example Wire)
    \ *(?:-{1,2}|–|—|:)\ +                                   # the separator
    """,
    re.VERBOSE,
)
# How far into the text a dateline may start: after a title line, not deep in the story.
_SEARCH_CHARS = 400


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int
    end: int  # where the story itself begins
    place: tuple[int, int]
    region: tuple[int, int] | None = None
    outlet: tuple[int, int] | None = None


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a paragraph near the top of `text`, if there is one."""
    for line in re.finditer(r"(?m)^[ \t]*(?=\S)", text[:_SEARCH_CHARS]):
        m = _DATELINE.match(text, line.end())
        if m and len(m.group("place").replace(" ", "")) >= 3:
            return Dateline(
                start=m.start(),
                end=m.end(),
                place=m.span("place"),
                region=m.span("region") if m.group("region") else None,
                outlet=m.span("outlet") if m.group("outlet") else None,
            )
    return None
