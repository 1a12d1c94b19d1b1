"""`newsint bench`: the cost of newsint against the bare spaCy parse, side by side in one run.

Both runs use the same model, the same texts and the same process: first bare
`nlp.pipe`, then the full `analyze` (which parses again and runs every layer, each timed).
Each layer's cost is reported as a share of the bare parse time, the measure the issues'
speed targets use.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsint.ingest import iter_items
from newsint.parse import load_model, parse_many
from newsint.pipeline import build_record
from newsint.schema import Article

LAYERS = ("entities", "places", "times", "statements", "events", "framing")


@dataclass
class BenchResult:
    articles: int
    words: int
    repeat: int
    parse_seconds: float
    analyze_seconds: float
    layer_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_parse_mb: float = 0.0
    peak_rss_analyze_mb: float = 0.0

    @property
    def parse_wps(self) -> float:
        return self.words * self.repeat / self.parse_seconds

    @property
    def analyze_wps(self) -> float:
        return self.words * self.repeat / self.analyze_seconds

    def layer_share(self, layer: str) -> float:
        """A layer's time as a share of the bare parse time."""
        return self.layer_seconds.get(layer, 0.0) / self.parse_seconds

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "words": self.words,
            "repeat": self.repeat,
            "spacy_pipe": {"seconds": round(self.parse_seconds, 3), "words_per_second": round(self.parse_wps)},
            "newsint_analyze": {"seconds": round(self.analyze_seconds, 3), "words_per_second": round(self.analyze_wps)},
            "throughput_ratio": round(self.analyze_wps / self.parse_wps, 3),
            "layers_share_of_parse": {k: round(self.layer_share(k), 4) for k in LAYERS},
            "peak_rss_mb": {"after_spacy_pipe": round(self.peak_rss_parse_mb, 1),
                            "after_analyze": round(self.peak_rss_analyze_mb, 1)},
        }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_articles(paths: list[str | Path]) -> list[Article]:
    return [item.article for item in iter_items(paths) if item.ok]


def run_bench(articles: list[Article], repeat: int = 3, batch_size: int = 16) -> BenchResult:
    if not articles:
        raise ValueError("no articles to benchmark")
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    # Warm up: load the model and every layer's data before anything is timed.
    for doc, article in zip(parse_many(texts[:2]), articles[:2]):
        build_record(doc, article)

    nlp = load_model()
    started = time.perf_counter()
    for _ in range(repeat):
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
    parse_seconds = time.perf_counter() - started
    rss_parse = peak_rss_mb()

    timings: dict[str, float] = {}
    started = time.perf_counter()
    for _ in range(repeat):
        for doc, article in zip(nlp.pipe(texts, batch_size=batch_size), articles):
            build_record(doc, article, timings)
    analyze_seconds = time.perf_counter() - started

    return BenchResult(
        articles=len(articles),
        words=words,
        repeat=repeat,
        parse_seconds=parse_seconds,
        analyze_seconds=analyze_seconds,
        layer_seconds=timings,
        peak_rss_parse_mb=rss_parse,
        peak_rss_analyze_mb=peak_rss_mb(),
    )
