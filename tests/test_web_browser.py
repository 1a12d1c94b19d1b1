"""The web UI in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium,
installed by `make test` through scripts/ensure_chromium.sh when it is missing).

A test store holds the seed article and a hostile article, both ingested through the real
pipeline, plus hand-built records with every layer (corpus_fixtures) and one whose every
layer is a payload (web_records). The server runs in a thread on a free port. Each page is
saved as a screenshot in docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import ROOT, SEED, SEED_PUBLISHED, check_record
from corpus_fixtures import all_records
from web_records import HOSTILE_ARTICLE, HOSTILE_ID, hostile_record

CHROMIUM = Path(os.environ.get("NEWSINT_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/ensure_chromium.sh)",
    ),
]

sync_api = pytest.importorskip("playwright.sync_api")


# -- the stores and the servers


@pytest.fixture(scope="module")
def showcase_db(tmp_path_factory):
    """The sample corpus and the seed, analysed by the real pipeline, and the hand-built
    records with every layer: what the screenshots show."""
    from newsint.corpus import ingest

    db = tmp_path_factory.mktemp("showcase") / "showcase.duckdb"
    corpus = ROOT / "examples" / "corpus"
    if corpus.is_dir():
        ingest([corpus], db, workers=0)
    if SEED.is_file():
        ingest([SEED], db, workers=0, published=SEED_PUBLISHED)
    _add(db, all_records())
    return db


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A hostile article through the real pipeline, and a record whose every layer is a
    payload."""
    from newsint.corpus import ingest

    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    hostile = folder / "inputs" / "hostile.txt"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    ingest([hostile], db, workers=0)
    _add(db, [hostile_record()])
    return db


def _add(db: Path, records: list) -> None:
    from newsint.store import Store

    with Store(db) as store:
        store.add_records(records)
        store.rebuild_clusters()
        for record in store.iter_records():
            check_record(record)


def _article_id(db: Path, contains: str) -> str | None:
    from newsint.store import Store

    with Store(db, read_only=True) as store:
        _, rows = store.query(
            "SELECT id FROM articles WHERE contains(text, ?) ORDER BY id LIMIT 1", [contains]
        )
    return rows[0][0] if rows else None


@contextmanager
def _serving(db: Path):
    import uvicorn

    from newsint.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db), log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def server(showcase_db):
    with _serving(showcase_db) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_server(hostile_db):
    with _serving(hostile_db) as base:
        yield base


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 900},
            device_scale_factor=1,
        )
        yield context
        context.close()


class Watch:
    """What a page did that it should not: dialogs opened, errors logged (including
    Content-Security-Policy refusals), uncaught exceptions, requests to other hosts."""

    def __init__(self, page) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:"))
                else self.foreign.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def clean(self) -> None:
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


@pytest.fixture()
def page(browser_context):
    page = browser_context.new_page()
    page.watch = Watch(page)
    yield page
    page.close()


def _open(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=15_000)
    page.wait_for_load_state("networkidle")


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def seed(showcase_db, server) -> tuple[str, dict]:
    """The seed article's id and its record as the API gives it."""
    import json
    import urllib.request

    article_id = _article_id(showcase_db, "Rahmatullah Nabil")
    if not article_id:
        pytest.skip("../shared/seed/article.txt is not beside this clone; CI provides it")
    with urllib.request.urlopen(f"{server}/api/articles/{quote(article_id, safe='')}") as r:
        return article_id, json.loads(r.read())


# -- the seed article


def test_seed_article_shows_gardez_on_the_map(page, server, seed):
    article_id, record = seed
    gardez = [p for p in record["places"] if p["text"] == "Gardez"]
    assert gardez, [p["text"] for p in record["places"]]
    assert gardez[0]["country"] == "AF"
    assert abs(gardez[0]["lat"] - 33.60) < 0.2 and abs(gardez[0]["lon"] - 69.22) < 0.2

    _open(page, f"{server}/article/{quote(article_id, safe='')}", "#minimap .place-marker")
    marker = page.locator('#minimap path.place-marker[data-place="Gardez"]')
    assert marker.count() == 1
    labels = page.locator("#minimap .leaflet-tooltip").all_text_contents()
    assert "Gardez" in labels, labels
    # Clicking Gardez in the text shows its record; "show on the map" brings its label up.
    page.locator("#article-text mark.ann-place", has_text="Gardez").first.click()
    panel = page.locator("#panel-body")
    assert "Gardez" in panel.inner_text() and "AF" in panel.inner_text()
    panel.locator("button[data-map]").click()
    page.wait_for_timeout(400)  # the map's pan
    label = page.locator("#minimap .leaflet-tooltip", has_text="Gardez")
    assert label.is_visible()
    assert label.bounding_box()["width"] > 0
    page.watch.clean()


def test_seed_article_attributes_nabils_quote(page, server, seed):
    article_id, record = seed
    text = record["article"]["text"]
    quote_text = "If there were a resistance, they would have joined it"
    at = text.index(quote_text)
    covering = [s for s in record["statements"] if s["content"][0] <= at < s["content"][1]]
    assert covering, "no statement covers Nabil's quote"
    # Another statement may contain it too (the journal's report); his must be among them.
    his = [s for s in covering if (s.get("speaker") or {}).get("text") == "Rahmatullah Nabil"]
    assert his, [(s.get("speaker") or {}).get("text") for s in covering]
    statement = his[0]

    _open(page, f"{server}/article/{quote(article_id, safe='')}", "#article-text mark.ann-statement")
    marks = page.locator(f'#article-text mark.ann-statement[data-ref="{statement["id"]}"]')
    assert quote_text in "".join(marks.all_text_contents())
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    attribution = page.locator(f'#article-text .attribution[data-ref="{statement["id"]}"]')
    assert attribution.inner_text().strip().endswith("Rahmatullah Nabil")
    marks.first.click()
    card = page.locator("#panel-body .card-statement").first
    assert "Rahmatullah Nabil" in card.inner_text()
    assert quote_text in card.locator("blockquote.said").inner_text()
    page.watch.clean()


def test_seed_sourcing_graph_shows_the_wall_street_journal(page, server, seed):
    article_id, record = seed
    _open(page, f"{server}/sources/{quote(article_id, safe='')}", "#graph svg .node")
    names = page.locator("#graph svg .node title").all_text_contents()
    assert any("Wall Street Journal" in n for n in names), names
    page.locator("#graph svg .node", has_text="Wall Street Journal").first.click()
    assert "Wall Street Journal" in page.locator("#panel-body").inner_text()
    page.watch.clean()


def test_seed_pages_screenshots(page, server, seed):
    """The article view and the sourcing graph of the seed, as the README shows them: the
    article with a direct quote selected."""
    article_id, record = seed
    _open(page, f"{server}/article/{quote(article_id, safe='')}", "#minimap .leaflet-countries-pane path")
    direct = [s for s in record["statements"] if s.get("speaker") and s["kind"] == "direct"]
    if direct:
        page.locator(f'#article-text mark.ann-statement[data-ref="{direct[0]["id"]}"]').first.click()
    else:
        for kind in ("trigger", "place", "actor"):
            marks = page.locator(f"#article-text mark.ann-{kind}")
            if marks.count():
                (marks.filter(has_text="Gardez").first if kind == "place" and
                 marks.filter(has_text="Gardez").count() else marks.first).click()
                break
    page.evaluate("window.scrollTo(0, 0)")
    _screenshot(page, "article")
    page.watch.clean()
    _open(page, f"{server}/sources/{quote(article_id, safe='')}", "#graph")
    nodes = page.locator("#graph svg .node")
    if nodes.count() > 1:
        nodes.nth(1).click()
    _screenshot(page, "sources")
    page.watch.clean()


# -- the corpus pages


def test_map_shows_events_with_popups_that_link_to_the_evidence(page, server):
    _open(page, f"{server}/map", "#map .event-marker")
    assert int(page.locator("#status").get_attribute("data-located")) >= 4
    assert page.locator('#map path.event-marker[data-place="Gardez"]').count() >= 1
    _screenshot(page, "map")
    # An event's popup links to the evidence in its article.
    _open(page, f"{server}/map?article=nt-1", "#map .event-marker")
    page.locator('#map path.event-marker[data-place="Nairobi"]').click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "PROTEST" in popup.inner_text()
    assert "marched through Nairobi" in popup.inner_text()
    link = popup.locator('a.evidence-link[href="/article/nt-1#v1"]')
    assert link.count() == 1
    link.click()
    page.wait_for_selector("#panel-body .card-event")
    assert "PROTEST" in page.locator("#panel-body").inner_text()
    selected = page.locator("#article-text mark.selected").all_text_contents()
    assert "marched" in "".join(selected)
    page.watch.clean()


def test_map_filters(page, server):
    _open(page, f"{server}/map?" + urlencode({"country": "KE", "type": "PROTEST", "until": "2023-12-31"}),
          "#map .event-marker")
    places = [m.get_attribute("data-place") for m in page.locator("#map path.event-marker").all()]
    assert "Nairobi" in places
    assert all(p != "Gardez" for p in places)
    assert page.locator("#map .leaflet-tooltip", has_text="Nairobi").is_visible()
    page.watch.clean()


def test_timeline(page, server):
    _open(page, f"{server}/timeline", "#timeline svg .tl-event")
    lanes = page.locator("#timeline .lane-label").all_text_contents()
    assert "ASSAULT" in lanes and "PROTEST" in lanes
    assert page.locator("#timeline .tl-event").count() >= 6
    _screenshot(page, "timeline")
    page.locator("#timeline .tl-event").first.click()
    assert page.locator("#panel-body .event-summary").count() == 1
    # Dragging across the dates zooms in; a double-click shows every date again.
    first_ticks = page.locator("#timeline .tick").all_text_contents()
    band = page.locator("#timeline .axis-band").bounding_box()
    y = band["y"] + band["height"] / 2
    page.mouse.move(band["x"] + band["width"] * 0.40, y)
    page.mouse.down()
    page.mouse.move(band["x"] + band["width"] * 0.45, y, steps=4)
    page.mouse.up()
    zoomed_ticks = page.locator("#timeline .tick").all_text_contents()
    assert zoomed_ticks != first_ticks
    assert "double-click" in page.locator("#status").inner_text()
    page.locator("#timeline svg").dblclick(position={"x": 5, "y": 5})
    assert "drag across" in page.locator("#status").inner_text()
    _open(page, f"{server}/timeline?article=kw-1", "#timeline svg .tl-event")
    assert page.locator("#timeline .tl-event").count() == 1
    page.locator("#timeline .tl-event").click()
    assert "2021-10-25" in page.locator("#panel-body").inner_text()
    page.watch.clean()


def test_search(page, server):
    _open(page, f"{server}/?" + urlencode({"q": "Taliban"}), "#result-count")
    titles = page.locator(".result-title").all_inner_texts()
    assert "Officer killed near Gardez" in titles
    hits = page.locator(".snippet mark.hit").all_inner_texts()
    assert hits and all(h.lower() == "taliban" for h in hits)
    _screenshot(page, "search")
    page.locator(".result-title", has_text="Officer killed near Gardez").click()
    page.wait_for_selector("#article-text")
    assert page.locator("#article-title").inner_text() == "Officer killed near Gardez"
    page.watch.clean()


def test_article_view_spans_and_toggles(page, server):
    _open(page, f"{server}/article/kw-1", "#minimap .place-marker")
    text = page.locator("#article-text")
    text.locator("mark.ann-trigger", has_text="clash").click()
    panel = page.locator("#panel-body")
    # Every annotation around the clicked word: the event (from its trigger), and the
    # statement that reports it.
    assert panel.locator(".card-event").count() == 1
    assert panel.locator(".card-statement").count() == 1
    assert "Reuters" in panel.locator(".card-statement").inner_text()
    # A reference in a card selects that item.
    panel.locator(".card-event button.ref", has_text="Gardez").click()
    assert "33.5970, 69.2260" in panel.inner_text()
    # Hiding a layer removes its colour.
    place = text.locator("mark.ann-place").first
    before = place.evaluate("m => getComputedStyle(m).borderBottomStyle")
    page.locator("#legend input[data-kinds='place']").uncheck()
    after = place.evaluate("m => getComputedStyle(m).borderBottomStyle")
    assert (before, after) == ("solid", "none")
    page.watch.clean()


def test_api_docs_page(page, server):
    _open(page, f"{server}/docs", "#swagger-ui .opblock")
    assert page.locator("#swagger-ui .opblock-summary-path", has_text="/api/events").count() >= 1
    page.watch.clean()


# -- hostile content


PWNED = "() => [window.__pwned === undefined, window.__pwned]"
LIVE_MARKUP = """() => {
  const bad = [];
  for (const node of document.querySelectorAll('*')) {
    for (const attr of node.attributes) {
      if (/^on/i.test(attr.name)) bad.push(node.tagName + ' ' + attr.name);
      if (/^\\s*javascript:/i.test(attr.value)) bad.push(node.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const s of document.scripts) {
    if (s.src ? !s.src.startsWith(location.origin + '/static/') : s.type !== 'application/json') bad.push('script ' + (s.src || s.textContent.slice(0, 40)));
  }
  for (const tag of ['iframe', 'img[src="x"]', 'b', 'i']) {
    if (document.querySelector('main ' + tag)) bad.push(tag);
  }
  return bad;
}"""


def _assert_inert(page) -> None:
    assert page.evaluate(PWNED)[0], page.evaluate(PWNED)
    assert page.evaluate(LIVE_MARKUP) == []
    page.watch.clean()


def test_hostile_article_renders_as_text(page, hostile_server, hostile_db):
    article_id = _article_id(hostile_db, "Officials in Kismayo")
    _open(page, f"{hostile_server}/article/{quote(article_id, safe='')}", "#minimap .leaflet-countries-pane path")
    body = page.locator("#article-text").inner_text()
    assert '<script>window.__pwned = "body"; alert(1)</script>' in body
    assert "<svg onload=\"window.__pwned='svg'\"></svg>" in body
    assert page.locator("#article-title").inner_text().startswith('<script>window.__pwned = "title"</script>')
    # The javascript: URL is shown as text, never as a link.
    assert page.locator("a.source-url").count() == 0
    for mark in page.locator("#article-text mark.ann").all():
        mark.click()
    _assert_inert(page)
    for path in (f"/sources/{quote(article_id, safe='')}", "/?" + urlencode({"q": "<script>"}),
                 f"/timeline?article={quote(article_id, safe='')}", f"/map?article={quote(article_id, safe='')}"):
        _open(page, hostile_server + path, "footer")
        page.wait_for_timeout(200)
        _assert_inert(page)


def test_hostile_record_layers_render_as_text(page, hostile_server):
    hostile = quote(HOSTILE_ID, safe="")
    _open(page, f"{hostile_server}/article/{hostile}", "#minimap .place-marker")
    assert page.locator("#minimap .leaflet-tooltip").text_content() == '<img src=x onerror="window.__pwned=7">'
    assert page.locator("#article-text .attribution").inner_text().endswith('<svg onload="window.__pwned=3">Ahmed</svg>')
    marks = page.locator("#article-text mark.ann")
    for i in range(marks.count()):
        marks.nth(i).click()
        # Every reference in the card selects (and renders) another item of the record.
        for j in range(page.locator("#panel-body button.ref").count()):
            marks.nth(i).click()
            page.locator("#panel-body button.ref").nth(j).click()
    page.locator("#minimap .place-marker").click(force=True)
    page.locator("#minimap .event-ring").click(force=True)
    _assert_inert(page)

    _open(page, f"{hostile_server}/sources/{hostile}", "#graph svg .node")
    names = page.locator("#graph svg .node-name").all_text_contents()
    assert any(n.startswith("<script>") for n in names), names
    for node in page.locator("#graph svg .node").all():
        node.click()
    _assert_inert(page)

    _open(page, f"{hostile_server}/map?article={hostile}", "#map .event-marker")
    page.locator("#map path.event-marker").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert '<img src=x onerror="window.__pwned=7">' in popup.inner_text()
    _assert_inert(page)

    _open(page, f"{hostile_server}/timeline?article={hostile}", "#timeline .tl-event")
    page.locator("#timeline .tl-event").first.click()
    assert "<img src=x" in page.locator("#panel-body").inner_text()
    _assert_inert(page)
