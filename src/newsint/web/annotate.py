"""The article text with every layer's spans marked, as escaped HTML.

A record's spans overlap freely: a statement contains actors and places, an event's evidence
sentence contains its trigger and perhaps part of a statement, a place is often also an
entity. HTML elements must nest, so `nest_spans` builds a tree in which a span that crosses
the end of an enclosing one is cut into pieces that each nest; every piece keeps its kind and
record id, so the page treats the pieces as one annotation.

`render_text` writes that tree as `<mark>` elements around text escaped with markupsafe:
article text is untrusted, and nothing from it reaches the page unescaped.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Kinds of annotation, outermost first: when two spans start together, the one of the
# earlier kind encloses the other (an event's evidence sentence encloses a statement,
# which encloses the speaker's name, which may be an actor mention).
KIND_ORDER = (
    "evidence", "statement", "framing", "speaker", "cue", "trigger", "place", "time", "actor",
    "entity",
)
_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}

# Entity labels shown as mentions of their own; dates and numbers are left to the times
# and events layers, which say what they mean.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW"})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str
    ref: str  # the id of the record item (entity id, place id, statement id, event id...)


@dataclass(slots=True)
class Node:
    start: int
    end: int
    kind: str | None = None  # None for the root
    ref: str | None = None
    children: list[Node] = field(default_factory=list)


def _valid(start: object, end: object, length: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def record_spans(record: dict) -> list[Span]:
    """Every span of a `newsint/1` record (as a dict) that the article view marks."""
    length = len(record["article"]["text"])
    spans: list[Span] = []

    def add(start: object, end: object, kind: str, ref: object) -> None:
        if _valid(start, end, length) and isinstance(ref, str):
            spans.append(Span(start, end, kind, ref))

    places = record.get("places") or []
    place_spans = {(p.get("start"), p.get("end")) for p in places}
    for p in places:
        add(p.get("start"), p.get("end"), "place", p.get("id"))
    for t in record.get("times") or []:
        add(t.get("start"), t.get("end"), "time", t.get("id"))
    for e in record.get("entities") or []:
        if e.get("actor"):
            add(e.get("start"), e.get("end"), "actor", e.get("id"))
        elif e.get("type") in NAME_LABELS and (e.get("start"), e.get("end")) not in place_spans:
            # An unlinked name the places layer already resolved is shown as the place.
            add(e.get("start"), e.get("end"), "entity", e.get("id"))
    for s in record.get("statements") or []:
        content, cue, speaker = s.get("content"), s.get("cue"), s.get("speaker")
        if content:
            add(content[0], content[1], "statement", s.get("id"))
        if cue:
            add(cue[0], cue[1], "cue", s.get("id"))
        if speaker:
            mention = speaker.get("mention")
            if mention:
                add(mention[0], mention[1], "speaker", s.get("id"))
            if not mention or (speaker.get("start"), speaker.get("end")) != tuple(mention):
                add(speaker.get("start"), speaker.get("end"), "speaker", s.get("id"))
    for v in record.get("events") or []:
        trigger = v.get("trigger")
        if trigger:
            add(trigger[0], trigger[1], "trigger", v.get("id"))
        for ev in v.get("evidence") or []:
            add(ev[0], ev[1], "evidence", v.get("id"))
    for f in record.get("framing") or []:
        add(f.get("start"), f.get("end"), "framing", f.get("id"))
    return sorted(set(spans), key=lambda s: (s.start, -s.end, _RANK[s.kind], s.ref))


def nest_spans(length: int, spans: Iterable[Span]) -> Node:
    """A tree of properly nested pieces of `spans` over a text of `length` characters.

    Spans are taken in order of start, longer first, outer kinds first; a span reaching past
    the end of the span that encloses its start is cut there, and the rest goes back into
    the queue to be placed after it."""
    root = Node(0, length)
    queue = [(s.start, -s.end, _RANK[s.kind], s.ref, s.kind) for s in spans if 0 <= s.start < s.end <= length]
    heapq.heapify(queue)
    stack = [root]
    while queue:
        start, neg_end, rank, ref, kind = heapq.heappop(queue)
        end = -neg_end
        while len(stack) > 1 and stack[-1].end <= start:
            stack.pop()
        parent = stack[-1]
        if end > parent.end:
            heapq.heappush(queue, (parent.end, -end, rank, ref, kind))
            end = parent.end
        node = Node(start, end, kind, ref)
        parent.children.append(node)
        stack.append(node)
    return root


def _last_pieces(root: Node) -> set[int]:
    """Python ids of the last piece of each annotation (where an attribution goes)."""
    last: dict[tuple[str | None, str | None], Node] = {}

    def walk(node: Node) -> None:
        for child in node.children:
            key = (child.kind, child.ref)
            if key not in last or child.end >= last[key].end:
                last[key] = child
            walk(child)

    walk(root)
    return {id(node) for node in last.values()}


def render_text(text: str, record: dict, speakers: dict[str, str] | None = None) -> Markup:
    """The article text as HTML with `<mark>` elements for every annotation.

    `speakers` maps statement ids to the name shown after the statement's last piece (the
    attribution); it defaults to each statement's `speaker.text`."""
    if speakers is None:
        speakers = statement_speakers(record)
    root = nest_spans(len(text), record_spans(record))
    last = _last_pieces(root)
    out: list[str] = []

    def emit(node: Node) -> None:
        pos = node.start
        for child in node.children:
            if child.start > pos:
                out.append(escape(text[pos : child.start]))
            out.append(
                Markup('<mark class="ann ann-{}" data-kind="{}" data-ref="{}">').format(
                    child.kind, child.kind, child.ref
                )
            )
            emit(child)
            out.append(Markup("</mark>"))
            if child.kind == "statement" and id(child) in last and speakers.get(child.ref or ""):
                out.append(
                    Markup(
                        '<span class="attribution" data-ref="{}" title="who says so">{}</span>'
                    ).format(child.ref, speakers[child.ref or ""])
                )
            pos = child.end
        if node.end > pos:
            out.append(escape(text[pos : node.end]))

    emit(root)
    return Markup("").join(out)


def statement_speakers(record: dict) -> dict[str, str]:
    """Statement id -> the name of its speaker, from the actor when linked (the fullest
    name), else from the speaker span."""
    actors = {a.get("id"): a for a in record.get("actors") or []}
    out: dict[str, str] = {}
    for s in record.get("statements") or []:
        speaker = s.get("speaker")
        if not speaker or not isinstance(s.get("id"), str):
            continue
        name = speaker.get("text")
        actor = actors.get(speaker.get("actor"))
        if not name and actor:
            name = actor.get("name")
        if name:
            out[s["id"]] = str(name)
    return out

