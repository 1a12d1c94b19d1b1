"""Places layer: toponyms resolved to GeoNames entries (issue 3: not built yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Article, Entity, Place


def resolve_places(doc: Doc, article: Article, entities: list[Entity]) -> list[Place]:
    return []
