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


# -- the store and the server


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from newsint.corpus import ingest
    from newsint.store import Store

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "web.duckdb"
    hostile = folder / "inputs" / "hostile.txt"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    ingest([hostile], db, workers=0)
    if SEED.is_file():
        ingest([SEED], db, workers=0, published=SEED_PUBLISHED)
    records = [*all_records(), hostile_record()]
    with Store(db) as store:
        store.add_records(records)
        store.rebuild_clusters()
        for record in store.iter_records():
            check_record(record)
    return db


def _ids(store_path: Path) -> dict[str, str]:
    from newsint.store import Store

    with Store(store_path, read_only=True) as store:
        _, rows = store.query("SELECT id, text FROM articles")
    ids = {}
    for article_id, text in rows:
        if "Rahmatullah Nabil" in text:
            ids["seed"] = article_id
        elif "Officials in Kismayo" in text:
            ids["hostile_article"] = article_id
    return ids


@pytest.fixture(scope="module")
def server(store_path):
    import uvicorn

    from newsint.web import create_app

    app = create_app(store_path)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


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

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.foreign.append(r.url) if not r.url.startswith((base, "data:")) else None)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def clean(self) -> None:
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


@pytest.fixture()
def page(browser_context, server):
    page = browser_context.new_page()
    page.watch = Watch(page, server)
    yield page
    page.close()


def _open(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=15_000)
    page.wait_for_load_state("networkidle")


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _seed(store_path) -> str:
    seed = _ids(store_path).get("seed")
    if not seed:
        pytest.skip("../shared/seed/article.txt is not beside this clone; CI provides it")
    return seed


def _seed_record(server, seed_id: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server}/api/articles/{quote(seed_id, safe='')}") as r:
        return json.loads(r.read())


def _layer_pending(record: dict, layer: str, what: str) -> None:
    """The seed checks need layers that land on main one by one; while a layer yields
    nothing at all on this branch, its check is an expected failure saying so."""
    items = record["sources"]["nodes"] if layer == "sources" else record[layer]
    if not items:
        pytest.xfail(f"the {layer} layer gives nothing on this branch yet, so {what} cannot show")


# -- the seed article


def test_seed_article_shows_gardez_on_the_map(page, server, store_path):
    seed = _seed(store_path)
    record = _seed_record(server, seed)
    _layer_pending(record, "places", "Gardez")
    _open(page, f"{server}/article/{quote(seed, safe='')}", "#minimap .leaflet-countries-pane path")
    labels = page.locator("#minimap .leaflet-tooltip").all_inner_texts()
    assert "Gardez" in labels, labels
    # The map marker is the resolved place: Gardez in Paktia, Afghanistan.
    gardez = [p for p in record["places"] if p["text"] == "Gardez"]
    assert gardez and gardez[0]["country"] == "AF"
    assert abs(gardez[0]["lat"] - 33.60) < 0.2 and abs(gardez[0]["lon"] - 69.22) < 0.2
    mark = page.locator("#article-text mark.ann-place", has_text="Gardez").first
    mark.click()
    panel = page.locator("#panel-body")
    assert "Gardez" in panel.inner_text() and "AF" in panel.inner_text()
    page.watch.clean()


def test_seed_article_attributes_nabils_quote(page, server, store_path):
    seed = _seed(store_path)
    record = _seed_record(server, seed)
    _layer_pending(record, "statements", "Rahmatullah Nabil's quote")
    text = record["article"]["text"]
    quote_text = "If there were a resistance, they would have joined it"
    covering = [s for s in record["statements"]
                if s["content"][0] <= text.index(quote_text) < s["content"][1]]
    assert covering, "no statement covers Nabil's quote"
    statement = covering[0]
    assert statement["speaker"]["text"] == "Rahmatullah Nabil"

    _open(page, f"{server}/article/{quote(seed, safe='')}", "#article-text mark.ann-statement")
    marks = page.locator(f'#article-text mark.ann-statement[data-ref="{statement["id"]}"]')
    assert quote_text in "".join(marks.all_text_contents())
    attribution = page.locator(f'#article-text .attribution[data-ref="{statement["id"]}"]')
    assert attribution.inner_text().strip().endswith("Rahmatullah Nabil")
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    marks.first.click()
    card = page.locator("#panel-body .card-statement").first
    assert "Rahmatullah Nabil" in card.inner_text()
    assert quote_text in card.locator("blockquote.said").inner_text()
    page.watch.clean()


def test_seed_sourcing_graph_shows_the_wall_street_journal(page, server, store_path):
    seed = _seed(store_path)
    record = _seed_record(server, seed)
    _layer_pending(record, "sources", "The Wall Street Journal")
    _open(page, f"{server}/sources/{quote(seed, safe='')}", "#graph svg .node")
    names = page.locator("#graph svg .node title").all_text_contents()
    journal = [n for n in names if "Wall Street Journal" in n]
    assert journal, names
    node = page.locator("#graph svg .node", has_text="Wall Street Journal").first
    node.click()
    assert "Wall Street Journal" in page.locator("#panel-body").inner_text()
    page.watch.clean()


def test_seed_pages_screenshots(page, server, store_path):
    """The article view and the sourcing graph of the seed, as the README shows them: the
    article with its most-quoted speaker's statement selected."""
    seed = _seed(store_path)
    record = _seed_record(server, seed)
    _open(page, f"{server}/article/{quote(seed, safe='')}", "#minimap .leaflet-countries-pane path")
    statements = [s for s in record["statements"] if s.get("speaker") and s["kind"] == "direct"]
    if statements:
        page.locator(f'#article-text mark.ann-statement[data-ref="{statements[0]["id"]}"]').first.click()
    elif page.locator("#article-text mark.ann").count():
        page.locator("#article-text mark.ann").first.click()
    page.evaluate("window.scrollTo(0, 0)")
    _screenshot(page, "article")
    page.watch.clean()
    _open(page, f"{server}/sources/{quote(seed, safe='')}", "#graph")
    nodes = page.locator("#graph svg .node")
    if nodes.count() > 1:
        nodes.nth(1).click()
    _screenshot(page, "sources")
    page.watch.clean()


# -- the corpus pages


def test_map_shows_events_with_popups_that_link_to_the_evidence(page, server):
    _open(page, f"{server}/map", "#map .event-marker")
    status = page.locator("#status")
    assert int(status.get_attribute("data-located")) >= 4
    labels = page.locator("#map .leaflet-tooltip").all_inner_texts()
    assert any(label.startswith("Gardez") for label in labels), labels
    _screenshot(page, "map")
    # Open the Nairobi marker: the popup links to the evidence in the article.
    page.locator('#map path.event-marker[data-place="Nairobi"]').click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "PROTEST" in popup.inner_text()
    assert "marched through Nairobi" in popup.inner_text()
    link = popup.locator("a.evidence-link").first
    assert link.get_attribute("href") == "/article/nt-1#v1"
    link.click()
    page.wait_for_selector("#panel-body .card-event")
    assert "PROTEST" in page.locator("#panel-body").inner_text()
    selected = page.locator("#article-text mark.selected").all_text_contents()
    assert "marched" in "".join(selected)
    page.watch.clean()


def test_map_filters(page, server):
    _open(page, f"{server}/map?" + urlencode({"country": "KE"}), "#map .event-marker")
    assert page.locator("#map .event-marker").count() == 1
    assert page.locator("#map .leaflet-tooltip").all_inner_texts() == ["Nairobi"]
    page.watch.clean()


def test_timeline(page, server):
    _open(page, f"{server}/timeline", "#timeline svg .tl-event")
    lanes = page.locator("#timeline .lane-label").all_text_contents()
    assert "ASSAULT" in lanes and "PROTEST" in lanes
    assert page.locator("#timeline .tl-event").count() >= 7
    _screenshot(page, "timeline")
    page.locator("#timeline .tl-event").first.click()
    assert page.locator("#panel-body .event-summary").count() == 1
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


def test_hostile_article_renders_as_text(page, server, store_path):
    article_id = _ids(store_path)["hostile_article"]
    _open(page, f"{server}/article/{quote(article_id, safe='')}", "#minimap .leaflet-countries-pane path")
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
                 f"/timeline?article={quote(article_id, safe='')}"):
        _open(page, server + path, "footer")
        _assert_inert(page)


def test_hostile_record_layers_render_as_text(page, server):
    hostile = quote(HOSTILE_ID, safe="")
    _open(page, f"{server}/article/{hostile}", "#minimap .place-marker")
    assert page.locator("#minimap .leaflet-tooltip").inner_text() == '<img src=x onerror="window.__pwned=7">'
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

    _open(page, f"{server}/sources/{hostile}", "#graph svg .node")
    names = page.locator("#graph svg .node-name").all_text_contents()
    assert any(n.startswith("<script>") for n in names), names
    for node in page.locator("#graph svg .node").all():
        node.click()
    _assert_inert(page)

    _open(page, f"{server}/map?article={hostile}", "#map .event-marker")
    page.locator("#map path.event-marker").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert '<img src=x onerror="window.__pwned=7">' in popup.inner_text()
    _assert_inert(page)

    _open(page, f"{server}/timeline?article={hostile}", "#timeline .tl-event")
    page.locator("#timeline .tl-event").first.click()
    assert "<img src=x" in page.locator("#panel-body").inner_text()
    _assert_inert(page)
