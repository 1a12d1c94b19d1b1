"""The events layer's lexicons and mapping tables, loaded once from `data/events/*.tsv`.

Everything the events layer knows about words (triggers, weapons, participants, numbers)
and about coding schemes (PLOVER -> CAMEO, PLOVER -> ACLED) lives in those data files; this
module only parses them into typed, immutable lookups.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsint.data import data_path

EVENTS_DIR = "events"

# PLOVER types whose acts help the other side; an announced intent to do one of these is
# AGREE ("Turkey will allow refugees to return"), an announced intent to do any other is
# THREATEN ("Iran threatened to launch an offensive"), as in CAMEO's 03 / 13 root codes.
COOPERATIVE_TYPES = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
)
HOSTILE_TYPES = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)

POS_CODES = {"V": ("VERB",), "N": ("NOUN",), "A": ("ADJ",)}


# The tests a conditions.tsv row may use (see its header); pobj may name prepositions.
CONDITION_TESTS = frozenset({"*", "obj", "subj", "prep", "mod", "comp", "head", "sentence", "armed",
                             "purpose", "bare", "mand"})

@dataclass(frozen=True)
class Trigger:
    """One row of triggers.tsv.

    `head` is the lemma of the token that carries the event; `deps` are the other words
    as (lemma, parent index) pairs, where parent -1 is the head and i >= 0 is deps[i].
    """

    head: str
    deps: tuple[tuple[str, int], ...]
    pos: str  # V, N or A
    type: str
    mode: str | None
    flags: frozenset[str]
    of_role: str | None
    reverse: str | None

    @property
    def text(self) -> str:
        return " ".join([self.head, *(w for w, _ in self.deps)])


@dataclass(frozen=True)
class Condition:
    """One row of conditions.tsv: if every test holds over its values, apply `outcome`."""

    tests: tuple[str, ...]
    values: tuple[frozenset[str], ...]
    outcome: str


@dataclass(frozen=True)
class ModeCue:
    priority: int
    mode: str
    acled_sub: str | None


@dataclass(frozen=True)
class AcledRule:
    type: str
    mode: str  # "*" for any
    conditions: tuple[str, ...]  # all must hold; empty for "*"
    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[tuple[str, str], tuple[Trigger, ...]]  # (head lemma, pos code) -> rows
    conditions: dict[tuple[str, str], tuple[Condition, ...]]  # (trigger text, pos) -> rows
    cues: dict[str, frozenset[str]]  # kind -> lemmas (multi-word joined by spaces)
    modes: dict[str, ModeCue]  # cue lemma -> mode
    mode_priority: dict[str, int]  # mode name -> priority
    classes: dict[str, frozenset[str]]  # lemma -> participant classes
    quantities: dict[str, int]
    cameo: dict[tuple[str, str | None], str]
    acled: tuple[AcledRule, ...]

    def cue(self, kind: str) -> frozenset[str]:
        return self.cues.get(kind, frozenset())


def _rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines."""
    path: Path = data_path(f"{EVENTS_DIR}/{name}")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([field.strip() for field in line.split("\t")])
    return rows


def _optional(field: str) -> str | None:
    return None if field in ("", "-") else field


def _split_words(words: str, pos: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """Head and dependants of a multi-word trigger.

    Verbs are written head first ("turn down", "take to>street"); nouns in English order,
    head last ("air strike", "martial law"), every other word modifying the head.
    """
    if pos == "N":
        parts = words.split()
        return parts[-1], tuple((w, -1) for w in parts[:-1])
    head, *rest = words.split()
    deps: list[tuple[str, int]] = []
    for chunk in rest:
        parent = -1
        for word in chunk.split(">"):
            deps.append((word, parent))
            parent = len(deps) - 1
    return head, tuple(deps)


def _parse_trigger(row: list[str]) -> list[Trigger]:
    words, pos_codes, type_, mode, flags_field, reverse = (row + ["-"] * 6)[:6]
    flags = set() if flags_field == "-" else {f for f in flags_field.split(",") if f}
    of_role = None
    for flag in sorted(flags):
        if flag.startswith("of="):
            of_role = flag[3:]
    out = []
    for pos in pos_codes.split(","):
        head, deps = _split_words(words, pos)
        out.append(
            Trigger(
                head=head,
                deps=deps,
                pos=pos,
                type=type_,
                mode=_optional(mode),
                flags=frozenset(f for f in flags if not f.startswith("of=")),
                of_role=of_role,
                reverse=_optional(reverse),
            )
        )
    return out


def _words(field: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in field.split(",") if w.strip())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    for row in _rows("triggers.tsv"):
        for trig in _parse_trigger(row):
            triggers.setdefault((trig.head, trig.pos), []).append(trig)
    # Multi-word rows first: "call off" must be tried before "call".
    ordered = {
        key: tuple(sorted(rows, key=lambda t: -len(t.deps))) for key, rows in triggers.items()
    }

    conditions: dict[tuple[str, str], list[Condition]] = {}
    for words, pos, test, values, outcome in (r[:5] for r in _rows("conditions.tsv")):
        tests = tuple(test.split("+"))
        unknown = [t for t in tests if t not in CONDITION_TESTS and not re.fullmatch(r"pobj(:[a-z|]+)?", t)]
        if unknown:  # a typo would otherwise make a row that never holds
            raise ValueError(f"conditions.tsv: {words} {pos}: unknown test {unknown[0]!r}")
        groups = tuple(
            _words(v) if v.strip() != "-" else frozenset({"-"}) for v in values.split(" + ")
        )
        if len(groups) != len(tests):
            raise ValueError(f"conditions.tsv: {words} {test}: {len(tests)} tests, {len(groups)} value sets")
        cond = Condition(tests=tests, values=groups, outcome=outcome)
        conditions.setdefault((words, pos), []).append(cond)

    cues = {kind: _words(lemmas) for kind, lemmas in (r[:2] for r in _rows("cues.tsv"))}

    modes: dict[str, ModeCue] = {}
    mode_priority: dict[str, int] = {}
    for priority, mode, acled_sub, lemmas in (r[:4] for r in _rows("modes.tsv")):
        cue = ModeCue(int(priority), mode, _optional(acled_sub))
        mode_priority[mode] = max(mode_priority.get(mode, 0), int(priority))
        for lemma in _words(lemmas):
            # a cue listed under two modes keeps the higher-priority one
            if lemma not in modes or modes[lemma].priority < cue.priority:
                modes[lemma] = cue

    classes: dict[str, set[str]] = {}
    for cls, lemmas in (r[:2] for r in _rows("participants.tsv")):
        for lemma in _words(lemmas):
            classes.setdefault(lemma, set()).add(cls)

    quantities = {word.lower(): int(value) for word, value in (r[:2] for r in _rows("quantities.tsv"))}

    cameo = {(t, _optional(m)): code for t, m, code in (r[:3] for r in _rows("cameo.tsv"))}

    acled = tuple(
        AcledRule(
            type=t,
            mode=m,
            conditions=() if cond == "*" else tuple(cond.split("+")),
            event_type=et,
            sub_event_type=st,
        )
        for t, m, cond, et, st in (r[:5] for r in _rows("acled.tsv"))
    )

    return Lexicon(
        triggers=ordered,
        conditions={k: tuple(v) for k, v in conditions.items()},
        cues=cues,
        modes=modes,
        mode_priority=mode_priority,
        classes={k: frozenset(v) for k, v in classes.items()},
        quantities=quantities,
        cameo=cameo,
        acled=acled,
    )


def cameo_root(lexicon: Lexicon, plover_type: str, mode: str | None) -> str | None:
    """The CAMEO root code of a PLOVER type and mode (most specific row first)."""
    return lexicon.cameo.get((plover_type, mode)) or lexicon.cameo.get((plover_type, None))


def intent_type(act_type: str, negated: bool) -> str:
    """The type of an announced intent to do an act of `act_type` (CAMEO 03 / 13 / 12):
    promising a cooperative act is AGREE, refusing one is REJECT; announcing a hostile act
    is THREATEN, forswearing one is AGREE."""
    if act_type in COOPERATIVE_TYPES:
        return "REJECT" if negated else "AGREE"
    if act_type in HOSTILE_TYPES:
        return "AGREE" if negated else "THREATEN"
    return act_type


def parse_number(text: str, quantities: dict[str, int]) -> int | None:
    """An integer from a number token's text: "25", "1,200", "two", "dozens", "3.5"->3."""
    t = text.lower().strip()
    if not t:
        return None
    if t in quantities:
        return quantities[t]
    digits = t.replace(",", "")
    if digits.isdigit():
        return int(digits)
    try:
        value = float(digits)
    except ValueError:
        pass
    else:
        return int(value) if value >= 0 and value == value and value < 1e12 else None
    if "-" in t:  # "twenty-five"
        parts = [quantities.get(p) for p in t.split("-")]
        if all(p is not None for p in parts):
            return sum(parts)  # type: ignore[arg-type]
    return None
