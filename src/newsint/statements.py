"""Statements layer: quotes, reported speech and sourcing chains (issue 5: not built yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Actor, Article, Entity, Sources, Statement


def attribute_statements(
    doc: Doc, article: Article, entities: list[Entity], actors: list[Actor]
) -> tuple[list[Statement], Sources]:
    return [], Sources()
