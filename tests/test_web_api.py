"""The HTTP API and the server-rendered pages of `newsint serve`, through FastAPI's
TestClient: filters, 404s, the analyze token, request limits, escaping, security headers."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest
from conftest import check_record
from corpus_fixtures import all_records
from fastapi.testclient import TestClient
from web_records import HOSTILE_ID, hostile_record

from newsint.store import Store, StoreError
from newsint.web import create_app
from newsint.web.annotate import Span, nest_spans, record_spans, render_text
from newsint.web.queries import like_pattern, search_terms, snippet
from newsint.web.security import CONTENT_SECURITY_POLICY, TokenError, load_token

TOKEN = "correct-horse-battery-staple-42"
BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    records = [*all_records(), hostile_record()]
    for record in records:
        check_record(record)
    with Store(path) as store:
        store.add_records(records)
        store.rebuild_clusters()
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db), base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def token_client(db):
    with TestClient(create_app(db, token=TOKEN), base_url=BASE) as c:
        yield c


# -- articles and search


def test_article_record_round_trips(client):
    response = client.get("/api/articles/kw-1")
    assert response.status_code == 200
    data = check_record(response.json())
    assert data["article"]["outlet"] == "Kabul Wire"
    assert [p["name"] for p in data["places"]] == ["Gardez"]


def test_article_ids_with_slashes_and_markup_are_addressable(client):
    response = client.get("/api/articles/" + quote(HOSTILE_ID, safe=""))
    assert response.status_code == 200
    assert response.json()["article"]["id"] == HOSTILE_ID
    page = client.get("/article/" + quote(HOSTILE_ID, safe=""))
    assert page.status_code == 200


def test_unknown_article_is_404(client):
    assert client.get("/api/articles/no-such-article").status_code == 404
    assert client.get("/api/articles/no-such-article").json()["detail"]
    page = client.get("/article/no-such-article")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert client.get("/sources/no-such-article").status_code == 404
    assert client.get("/map", params={"article": "no-such-article"}).status_code == 404


def test_search_finds_words_and_phrases_and_filters(client):
    found = client.get("/api/articles", params={"q": "Gardez"}).json()
    assert {i["id"] for i in found["items"]} == {"kw-1", "fp-1"}
    assert found["total"] == 2
    item = next(i for i in found["items"] if i["id"] == "kw-1")
    start, end = item["highlights"][0]
    assert item["snippet"][start:end].lower() == "gardez"
    assert item["counts"]["events"] == 1

    phrase = client.get("/api/articles", params={"q": '"clash with Taliban"'}).json()
    assert [i["id"] for i in phrase["items"]] == ["kw-1"]
    both = client.get("/api/articles", params={"q": "Taliban Kabul"}).json()
    assert [i["id"] for i in both["items"]] == ["dc-1"]
    assert client.get("/api/articles", params={"q": "Gardez Nairobi"}).json()["total"] == 0

    kenya = client.get("/api/articles", params={"country": "ke"}).json()
    assert [i["id"] for i in kenya["items"]] == ["nt-1"]
    outlet = client.get("/api/articles", params={"outlet": "courier"}).json()
    assert [i["id"] for i in outlet["items"]] == ["dc-1"]
    alias = client.get("/api/articles", params={"actor": "Islamic Emirate"}).json()
    assert {i["id"] for i in alias["items"]} == {"kw-1", "fp-1", "dc-1"}
    dated = client.get("/api/articles", params={"since": "2021-10-28", "until": "2022-01-01"}).json()
    assert [i["id"] for i in dated["items"]] == ["dc-1"]


def test_search_wildcards_are_literal(client):
    assert client.get("/api/articles", params={"q": "%"}).json()["total"] == 0
    # Only the article with a literal underscore (window.__pwned) matches "_".
    assert [i["id"] for i in client.get("/api/articles", params={"q": "_"}).json()["items"]] == [HOSTILE_ID]


def test_search_pages(client):
    first = client.get("/api/articles", params={"limit": 2}).json()
    second = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    beyond = client.get("/api/articles", params={"offset": 50}).json()
    assert beyond["items"] == [] and beyond["total"] == 5


# -- events and clusters


def test_events_filters(client):
    everything = client.get("/api/events").json()
    assert everything["count"] == 7 and not everything["truncated"]
    assault_af = client.get("/api/events", params={"country": "af", "type": "assault"}).json()
    assert {(e["article_id"], e["place_name"]) for e in assault_af["items"]} == {
        ("kw-1", "Gardez"), ("fp-1", "Gardez"), ("dc-1", "Paktia"), ("dc-1", "Kabul"),
    }
    acled = client.get("/api/events", params={"type": "Peaceful protest"}).json()
    assert {e["article_id"] for e in acled["items"]} == {"nt-1"}
    taliban = client.get("/api/events", params={"actor": "taliban"}).json()
    assert taliban["count"] == 4
    window = client.get("/api/events", params={"since": "2023-01-01", "until": "2023-12-31"}).json()
    assert {e["article_id"] for e in window["items"]} == {"nt-1"}
    forecast = client.get("/api/events", params={"modality": "forecast"}).json()
    assert [e["type"] for e in forecast["items"]] == ["PROTEST"]
    one = client.get("/api/events", params={"article": "kw-1"}).json()["items"]
    assert len(one) == 1
    event = one[0]
    assert event["fatalities"] == 1 and event["date_start"] == "2021-10-25"
    assert abs(event["lat"] - 33.597) < 0.01 and abs(event["lon"] - 69.226) < 0.01
    assert "clash with Taliban fighters near Gardez" in event["evidence_text"][0]
    assert event["speaker"] == "Reuters"
    assert event["cluster_reports"] == 3


def test_events_limit_and_geojson(client):
    limited = client.get("/api/events", params={"limit": 2}).json()
    assert limited["count"] == 2 and limited["truncated"]
    geo = client.get("/api/events", params={"format": "geojson", "country": "KE"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert len(features) == 1
    lon, lat = features[0]["geometry"]["coordinates"]
    assert abs(lat + 1.283) < 0.01 and abs(lon - 36.817) < 0.01


@pytest.mark.parametrize(
    "params",
    [
        {"country": "AFG"},
        {"since": "2021-02-30"},
        {"until": "yesterday"},
        {"limit": 0},
        {"limit": 10**6},
        {"modality": "rumoured"},
        {"format": "xml"},
        {"type": "x" * 65},
    ],
)
def test_events_reject_bad_filters(client, params):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_clusters(client):
    data = client.get("/api/clusters", params={"order": "reports"}).json()
    top = data["items"][0]
    # The Gardez clash: three reports, three outlets, two independent origins (two of the
    # outlets carry Reuters' report).
    assert (top["n_reports"], top["n_outlets"], top["n_origins"]) == (3, 3, 2)
    assert top["country"] == "AF"
    assert client.get("/api/clusters", params={"min_reports": 2}).json()["count"] == 1
    assert client.get("/api/clusters", params={"country": "KE"}).json()["count"] == 1


def test_stats(client):
    stats = client.get("/api/stats").json()
    assert set(stats) == {"articles", "events", "statements", "places", "clusters"}
    assert (stats["articles"], stats["events"], stats["statements"], stats["places"]) == (5, 7, 5, 6)


# -- analyze


def test_analyze_is_disabled_without_a_token(client):
    response = client.post("/api/analyze", json={"text": "Rebels attacked a police post."})
    assert response.status_code == 403
    assert "NEWSINT_API_TOKEN" in response.json()["detail"]


def test_analyze_needs_the_right_token(token_client):
    body = {"text": "Rebels attacked a police post in Kidal on Monday."}
    assert token_client.post("/api/analyze", json=body).status_code == 401
    wrong = token_client.post("/api/analyze", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_analyze_returns_a_record(token_client):
    text = 'The governor said on Monday that rebels had attacked a police post in Kidal. "We will rebuild it," he said.'
    response = token_client.post(
        "/api/analyze",
        json={"text": text, "published": "2024-03-12", "outlet": "Example Wire"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200
    data = check_record(response.json())
    assert data["article"]["text"] == text
    assert data["article"]["published"] == "2024-03-12"
    assert data["article"]["outlet"] == "Example Wire"


def test_analyze_validates_its_input(token_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert token_client.post("/api/analyze", json={"text": ""}, headers=auth).status_code == 422
    assert token_client.post("/api/analyze", json={"text": "   "}, headers=auth).status_code == 422
    assert token_client.post("/api/analyze", json={"text": "x", "published": "2021-13-01"}, headers=auth).status_code == 422
    assert token_client.post("/api/analyze", json={"text": "x", "path": "/etc/passwd"}, headers=auth).status_code == 422
    too_long = token_client.post("/api/analyze", json={"text": "a " * 100_001}, headers=auth)
    assert too_long.status_code == 422


def test_request_bodies_over_the_limit_are_refused(token_client):
    auth = {"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    big = b'{"text": "' + b"a" * (2 << 20) + b'"}'
    assert token_client.post("/api/analyze", content=big, headers=auth).status_code == 413

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        for _ in range(40):
            yield b"a" * 65536

    streamed = token_client.post("/api/analyze", content=chunks(), headers=auth)
    assert streamed.status_code == 413


def test_token_sources(tmp_path):
    assert load_token(None, environ={}) is None
    assert load_token(None, environ={"NEWSINT_API_TOKEN": TOKEN}) == TOKEN
    token_file = tmp_path / "token"
    token_file.write_text(f"  {TOKEN}\nsecond line\n")
    assert load_token(token_file, environ={"NEWSINT_API_TOKEN": "ignored-because-file-wins"}) == TOKEN
    token_file.write_text("short\n")
    with pytest.raises(TokenError):
        load_token(token_file, environ={})
    with pytest.raises(TokenError):
        load_token(tmp_path / "missing", environ={})
    with pytest.raises(TokenError):
        create_app(tmp_path / "x.duckdb", token="short")


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        create_app(tmp_path / "missing.duckdb")


# -- security


def test_security_headers_on_every_answer(client):
    for path in ("/", "/api/stats", "/api/articles/nope", "/static/app.css", "/docs"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["script-src"] == "'self'"  # no inline scripts, no eval
    assert policy["default-src"] == "'none'"


def test_unknown_host_names_are_refused(db):
    # A page whose domain is re-pointed at 127.0.0.1 (DNS rebinding) names its own host.
    with TestClient(create_app(db), base_url="http://attacker.example") as c:
        assert c.get("/api/stats").status_code == 400
    with TestClient(create_app(db), base_url="http://localhost:8000") as c:
        assert c.get("/api/stats").status_code == 200


def test_static_files_come_from_the_package_only(client):
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/world-atlas/countries-50m.json").json()["type"] == "Topology"
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                 "/static//etc/passwd", "/static/vendor/../../app.py", "/static/templates/base.html"):
        assert client.get(path).status_code == 404, path
    etag = client.get("/static/app.css").headers["etag"]
    assert client.get("/static/app.css", headers={"if-none-match": etag}).status_code == 304


def test_vendored_assets_carry_their_licences():
    from newsint.web.assets import load_assets

    assets = load_assets()
    for package in ("leaflet", "topojson-client", "world-atlas", "swagger-ui"):
        assert f"vendor/{package}/LICENSE" in assets, package
    import json

    manifest = json.loads(assets["vendor/manifest.json"].body)
    assert manifest["leaflet"]["version"] == "1.9.4"
    for folder, entry in manifest.items():
        for name, digest in entry["files"].items():
            import hashlib

            assert hashlib.sha256(assets[f"vendor/{folder}/{name}"].body).hexdigest() == digest


def _no_live_markup(page: str) -> None:
    """No element, attribute or URL from an article survived unescaped."""
    assert "<script>window" not in page and "<script>alert" not in page
    assert "<img src=x" not in page and "<svg onload" not in page
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", page, flags=re.I)
    assert 'href="javascript:' not in page.lower()


def test_pages_escape_article_content(client):
    hostile = quote(HOSTILE_ID, safe="")
    for path in (f"/article/{hostile}", f"/sources/{hostile}", "/?q=%3Cscript%3E",
                 f"/map?article={hostile}", f"/timeline?article={hostile}", "/?q=militia"):
        response = client.get(path)
        assert response.status_code == 200, path
        _no_live_markup(response.text)
    page = client.get(f"/article/{hostile}").text
    # The payloads are shown as text.
    assert html.escape('<svg onload="window.__pwned=3">Ahmed</svg>', quote=False) in page or \
        "&lt;svg onload=&#34;window.__pwned=3&#34;&gt;Ahmed&lt;/svg&gt;" in page
    # The record travels as JSON in a data block that cannot close its script element.
    block = re.search(r'<script type="application/json" id="record-data">(.*?)</script>', page, re.S)
    assert block and "<" not in block.group(1)


def test_error_pages_escape_the_request(client):
    response = client.get("/map", params={"since": "<script>alert(1)</script>"})
    assert response.status_code == 422
    _no_live_markup(response.text)
    response = client.get("/article/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    _no_live_markup(response.text)


def test_openapi_document(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/clusters", "/api/analyze", "/api/stats"):
        assert path in paths, path
    assert not any(p.startswith(("/article/", "/static", "/map")) for p in paths)
    record_ref = paths["/api/articles/{article_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    name = record_ref.rsplit("/", 1)[1]
    schemas = doc["components"]["schemas"]
    assert set(schemas[name]["properties"]) >= {"schema", "article", "entities", "places", "statements", "events", "sources"}
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert params >= {"country", "type", "since", "until", "actor", "limit"}
    assert "HTTPBearer" in str(paths["/api/analyze"]["post"].get("security"))
    # Every $ref resolves inside the document.
    refs = re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', client.get("/openapi.json").text)
    assert refs and all(ref in schemas for ref in refs)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text


# -- the article view's markup


def test_spans_nest_when_they_cross():
    text = "abcdefghij"
    spans = [Span(0, 6, "statement", "s1"), Span(4, 10, "evidence", "v1"), Span(2, 5, "actor", "e1")]
    root = nest_spans(len(text), spans)

    def flatten(node, depth=0):
        out = []
        for child in node.children:
            out.append((child.kind, child.ref, child.start, child.end, depth))
            out += flatten(child, depth + 1)
        return out

    pieces = flatten(root)
    # Every piece lies inside its parent, and together the pieces of an annotation cover
    # exactly its span.
    for _, _, start, end, _ in pieces:
        assert start < end
    covered = {}
    for _, ref, start, end, _ in pieces:
        covered.setdefault(ref, set()).update(range(start, end))
    assert covered == {"s1": set(range(0, 6)), "v1": set(range(4, 10)), "e1": set(range(2, 5))}

    def check(node):
        for child in node.children:
            assert node.start <= child.start < child.end <= node.end
            check(child)

    check(root)


def test_rendered_text_keeps_the_article_text_exactly():
    record = check_record(hostile_record())
    rendered = render_text(record["article"]["text"], record)
    # Dropping the tags of our own marks and unescaping gives back the text, plus the
    # attribution after the statement.
    without_attribution = re.sub(r'<span class="attribution"[^>]*>.*?</span>', "", str(rendered))
    plain = html.unescape(re.sub(r"</?mark[^>]*>", "", without_attribution))
    assert plain == record["article"]["text"]
    kinds = {s.kind for s in record_spans(record)}
    assert kinds >= {"actor", "place", "time", "statement", "speaker", "cue", "evidence", "trigger"}
    assert 'class="attribution" data-ref="s1"' in str(rendered)


def test_search_helpers():
    assert search_terms('Taliban "Paktia province"  taliban') == ["Taliban", "Paktia province"]
    assert like_pattern("100%_a\\b") == "%100\\%\\_a\\\\b%"
    shown, highlights = snippet("word " * 100 + "the Gardez clash " + "word " * 100, ["gardez"])
    start, end = highlights[0]
    assert shown[start:end] == "Gardez"
    assert shown.startswith("… ") and shown.endswith(" …")


# -- the command


def test_serve_command_starts_and_answers(db, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "newsint", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read() if process.poll() is not None else "timeout") from None
                time.sleep(0.2)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in err
    assert "disabled" in err


def test_serve_command_reports_bad_settings(tmp_path, db):
    from typer.testing import CliRunner

    from newsint.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2
    assert "no store" in missing.output
    short = tmp_path / "token"
    short.write_text("short\n")
    weak = runner.invoke(app, ["serve", "--db", str(db), "--token-file", str(short)])
    assert weak.exit_code == 2
    assert "at least 16 characters" in weak.output
