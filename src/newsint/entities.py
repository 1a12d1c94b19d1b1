"""Entities and actors layer: spaCy NER mentions linked to actors."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Actor, Article, Entity


def link_entities(doc: Doc, article: Article) -> tuple[list[Entity], list[Actor]]:
    entities = [
        Entity(id=f"e{i}", start=ent.start_char, end=ent.end_char, text=ent.text, type=ent.label_)
        for i, ent in enumerate(doc.ents, start=1)
    ]
    return entities, []
