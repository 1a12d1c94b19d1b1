"""The sample corpus in examples/corpus: every article reads with its metadata, and every
record analysed from it honours the newsint/1 contract."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_record
from newsint.cli import app
from newsint.ingest import iter_items
from newsint.pipeline import analyze_articles

CORPUS = ROOT / "examples" / "corpus"
ARTICLE_FILES = sorted(CORPUS.glob("*.txt"))
FILE_NAME = re.compile(r"^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
# The corpus is invented news; its dates stay inside this window (see the corpus README).
EARLIEST, LATEST = dt.date(2023, 1, 1), dt.date(2025, 10, 31)


@pytest.fixture(scope="module")
def items() -> list:
    return list(iter_items(ARTICLE_FILES))


@pytest.fixture(scope="module")
def records(items: list) -> list[dict]:
    return [check_record(r) for r in analyze_articles([i.article for i in items if i.ok])]


def test_at_least_30_articles_read_without_errors(items: list) -> None:
    errors = [f"{i.source}: {i.error}" for i in items if not i.ok]
    assert not errors, errors
    assert len(items) >= 30


def test_files_are_named_nn_slug() -> None:
    bad = [p.name for p in ARTICLE_FILES if not FILE_NAME.match(p.name)]
    assert not bad, bad
    numbers = [p.name[:2] for p in ARTICLE_FILES]
    assert len(numbers) == len(set(numbers)), "two files share a number"


def test_every_article_has_title_outlet_and_date_in_range(items: list) -> None:
    for item in items:
        art = item.article
        assert art.title and art.title.strip(), item.source
        assert art.outlet and art.outlet.strip(), item.source
        assert art.published, item.source
        assert EARLIEST <= dt.date.fromisoformat(art.published) <= LATEST, item.source


def test_front_matter_is_not_part_of_the_text(items: list) -> None:
    for item in items:
        text = item.article.text
        assert not text.lstrip().startswith("---"), item.source
        assert not re.search(r"^(title|outlet|published|url):", text, re.MULTILINE), item.source


def test_bodies_are_short_news_reports(items: list) -> None:
    for item in items:
        words = len(item.article.text.split())
        assert 120 <= words <= 400, (item.source, words)


def test_urls_use_example_domains_only(items: list) -> None:
    for item in items:
        if item.article.url:
            host = urlparse(item.article.url).hostname or ""
            assert host == "example.org" or host == "example.com", (item.source, host)


def test_ids_are_unique(items: list) -> None:
    ids = [i.article.id for i in items]
    assert len(ids) == len(set(ids))


def test_every_record_passes_the_contract(items: list, records: list[dict]) -> None:
    assert len(records) == len(items)
    for item, record in zip(items, records):
        assert record["article"]["title"] == item.article.title
        assert record["article"]["published"] == item.article.published
        assert record["article"]["text"] == item.article.text


def test_readme_lists_every_file() -> None:
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in ARTICLE_FILES if f"| {p.name} |" not in readme]
    assert not missing, missing


def test_cli_analyses_the_corpus_with_exit_status_0(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    result = CliRunner().invoke(app, ["analyze", *map(str, ARTICLE_FILES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(ARTICLE_FILES)
