"""Framing layer: loaded language and other persuasion techniques (not built yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Article, Framing


def detect_framing(doc: Doc, article: Article) -> list[Framing]:
    return []
