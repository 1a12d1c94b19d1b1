"""Fit the places ranker (src/newsint/data/places/ranker.json) on half the geo dev data.

    .venv/bin/python benchmarks/train_geo_ranker.py

The ranker is a linear model over the features of `newsint.places.FEATURES`, fitted as a
conditional logit: for each recognised toponym that the gold file gives coordinates for,
the candidates within 161 km of the gold point are the right answers. It is fitted on the
even-numbered documents of ../shared/eval/geo/geoparsing.jsonl only, so that the odd ones
stay held out (`benchmarks/geo.py --split odd`). Context features depend on the weights
(the document's focus comes from the current readings), so fitting alternates with
re-reading the documents for a few rounds. numpy only; deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import geo  # noqa: E402  (the benchmark's helpers: selection, input conversion, parsing)

from newsint.data import data_path  # noqa: E402
from newsint.entities import link_entities  # noqa: E402
from newsint.gazetteer import cache_dir, get_gazetteer  # noqa: E402
from newsint.places import FEATURES, find_mentions, resolve_mentions  # noqa: E402

KM = 161.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def align(doc, mentions, toponyms) -> dict[int, dict]:
    """Mention index -> the gold toponym it overlaps most (one-to-one, like the scorer)."""
    spans = [(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])) for m in mentions]
    pairs = []
    for gi, t in enumerate(toponyms):
        for mi, (s, e) in enumerate(spans):
            ov = min(e, t["end"]) - max(s, t["start"])
            if ov > 0:
                pairs.append((-ov, gi, mi))
    used_g, used_m, out = set(), set(), {}
    for _, gi, mi in sorted(pairs):
        if gi not in used_g and mi not in used_m:
            used_g.add(gi)
            used_m.add(mi)
            out[mi] = toponyms[gi]
    return out


def collect(samples, weights) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, right-answer mask) for every aligned mention with a choice to make."""
    groups = []
    for mentions, signals, gold in samples:
        resolution = resolve_mentions(mentions, signals, tuple(weights))
        for mi, t in gold.items():
            m = mentions[mi]
            right = np.array([km(t["lat"], t["lon"], c.lat, c.lon) <= KM for c in m.candidates])
            if right.any() and not right.all():
                groups.append((np.array(resolution.features[mi], dtype=float), right))
    return groups


def fit(groups, start: np.ndarray, l2: float, steps: int = 3000, lr: float = 0.05) -> np.ndarray:
    """Maximise the mean log-probability of the right answers (Adam, full batch)."""
    width = max(len(f) for f, _ in groups)
    n, d = len(groups), len(FEATURES)
    X = np.zeros((n, width, d))
    right = np.zeros((n, width), dtype=bool)
    valid = np.zeros((n, width), dtype=bool)
    for i, (f, r) in enumerate(groups):
        X[i, : len(f)] = f
        right[i, : len(r)] = r
        valid[i, : len(r)] = True
    w = start.copy()
    m = np.zeros(d)
    v = np.zeros(d)
    for t in range(1, steps + 1):
        s = np.where(valid, X @ w, -np.inf)
        s -= s.max(axis=1, keepdims=True)
        p_all = np.exp(s)
        p_all /= p_all.sum(axis=1, keepdims=True)
        s_right = np.where(right, s, -np.inf)
        p_right = np.exp(s_right - s_right.max(axis=1, keepdims=True))
        p_right /= p_right.sum(axis=1, keepdims=True)
        grad = np.einsum("nc,ncd->d", p_right - p_all, X) / n - 2 * l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w += lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def accuracy(groups, w) -> float:
    hits = sum(bool(r[int(np.argmax(f @ w))]) for f, r in groups)
    return hits / len(groups) if groups else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--l2", type=float, default=0.002)
    ap.add_argument("--dry-run", action="store_true", help="fit and report, but do not write")
    args = ap.parse_args(argv)

    gold = geo.select(geo.load_gold(), "even", None, None)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        gold_path, in_path = Path(tmp) / "gold.jsonl", Path(tmp) / "in.jsonl"
        gold_path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in gold), encoding="utf-8")
        geo.make_input(gold_path, in_path)
        articles = geo.read_articles(in_path)
    docs, _ = geo.parse_docs(articles, cache_dir() / "bench")
    gaz = get_gazetteer()
    samples = []
    for article, doc, g in zip(articles, docs, gold):
        entities, _ = link_entities(doc, article)
        mentions, signals = find_mentions(doc, entities, gaz)
        toponyms = [t for t in g["toponyms"] if t.get("lat") is not None and t.get("is_toponym", True)]
        samples.append((mentions, signals, align(doc, mentions, toponyms)))

    # A fixed start (population alone), so that the same data always gives the same file.
    w = np.array([1.0 if name == "log_population" else 0.0 for name in FEATURES])
    for r in range(args.rounds):
        groups = collect(samples, w)
        before = accuracy(groups, w)
        w = fit(groups, w, args.l2)
        print(f"round {r + 1}: {len(groups)} choices, accuracy {before:.3f} -> {accuracy(groups, w):.3f}")

    weights = {name: round(float(x), 4) for name, x in zip(FEATURES, w)}
    for name, x in weights.items():
        print(f"  {name:<22} {x:+.3f}")
    if args.dry_run:
        return 0
    out = {
        "about": (
            "Weights of the places ranker (newsint.places.FEATURES), fitted as a conditional "
            "logit on the even-numbered documents of ../shared/eval/geo/geoparsing.jsonl; "
            "the odd-numbered ones are held out. Rebuild: "
            ".venv/bin/python benchmarks/train_geo_ranker.py"
        ),
        "trained_on": "geoparsing.jsonl, even-numbered documents",
        "choices": len(groups),
        "rounds": args.rounds,
        "l2": args.l2,
        "weights": weights,
    }
    path = data_path("places/ranker.json")
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
