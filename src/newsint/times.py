"""Times layer: TIMEX3 extraction and normalisation (issue 4: not built yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Article, Time


def normalise_times(doc: Doc, article: Article) -> list[Time]:
    return []
