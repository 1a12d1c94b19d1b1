"""Inputs become articles or clear per-item errors; a bad item never stops the batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsint.ingest import MAX_FILE_BYTES, InputError, article_id, iter_items, make_article

ARTICLE = "Police in Lagos arrested 30 protesters on Saturday, a police spokesman said."


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_text_file_with_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.txt",
        "---\ntitle: Arrests in Lagos\noutlet: Lagos Ledger\npublished: 2024-06-02\n---\n" + ARTICLE,
    )
    [item] = iter_items([path])
    assert item.ok
    assert item.article.text == ARTICLE
    assert item.article.title == "Arrests in Lagos"
    assert item.article.outlet == "Lagos Ledger"
    assert item.article.published == "2024-06-02"


def test_front_matter_wins_over_command_line_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "---\npublished: 2024-06-02\n---\n" + ARTICLE)
    other = write(tmp_path / "b.txt", ARTICLE + " More text.")
    items = list(iter_items([path, other], published="2020-01-01", outlet="Wire"))
    assert [i.article.published for i in items] == ["2024-06-02", "2020-01-01"]
    assert [i.article.outlet for i in items] == ["Wire", "Wire"]


def test_text_that_merely_starts_with_dashes_is_kept_whole(tmp_path: Path) -> None:
    text = "---\nBreaking: floods hit Dhaka\n---\nWater rose overnight."
    [item] = iter_items([write(tmp_path / "a.txt", text)])
    assert item.article.text == text


def test_jsonl_keeps_ids_and_reports_bad_lines_by_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "wire-1", "text": ARTICLE, "outlet": "Wire", "published": "2024-06-02T10:00:00Z"}),
        "{not json",
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": "   "}),
        json.dumps({"text": "Floods in Sylhet displaced thousands.", "published": "last Tuesday"}),
        json.dumps({"text": "Floods in Sylhet displaced thousands."}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines))
    items = list(iter_items([path]))
    assert [i.ok for i in items] == [True, False, False, False, False, True]
    assert items[0].article.id == "wire-1"
    assert items[0].article.published == "2024-06-02"
    assert items[1].source.endswith("batch.jsonl:2") and "malformed JSON" in items[1].error
    assert "no 'text'" in items[2].error
    assert items[3].error == "empty text"
    assert "not a date" in items[4].error
    assert items[5].article.id == article_id("Floods in Sylhet displaced thousands.")


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = """<html><head><title>Strike on Kharkiv</title>
    <meta property="og:site_name" content="Eastern Courier">
    <meta name="date" content="2024-05-19"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Strike on Kharkiv</h1>
    <p>A missile strike on a hardware store in Kharkiv killed at least twelve people on
    Saturday, the regional governor said. Rescuers searched the rubble through the night.</p>
    <p>The governor said forty-three people were wounded in the attack.</p></article>
    <footer>Copyright Eastern Courier</footer></body></html>"""
    [item] = iter_items([write(tmp_path / "page.html", html)])
    assert item.ok, item.error
    assert "missile strike on a hardware store" in item.article.text
    assert "Home | World" not in item.article.text
    assert item.article.outlet == "Eastern Courier"
    assert item.article.published == "2024-05-19"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("latin1.txt", "Caf\xe9 bombing in Algiers".encode("latin-1"), "not valid UTF-8"),
        ("nothing.html", b"<html><body></body></html>", "no article text"),
    ],
)
def test_bad_files_get_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    [item] = iter_items([write(tmp_path / name, data)])
    assert not item.ok
    assert item.source == str(tmp_path / name)
    assert reason in item.error


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    [item] = iter_items([path])
    assert "too large" in item.error


def test_folder_is_walked_recursively_and_bad_items_do_not_stop_it(tmp_path: Path) -> None:
    write(tmp_path / "b" / "good2.txt", ARTICLE + " Two.")
    write(tmp_path / "a" / "good1.txt", ARTICLE + " One.")
    write(tmp_path / "a" / "bad.txt", b"\xff\xfe\x00")
    write(tmp_path / ".hidden" / "skip.txt", ARTICLE)
    items = list(iter_items([tmp_path, tmp_path / "missing.txt"]))
    assert [Path(i.source).name for i in items] == ["bad.txt", "good1.txt", "good2.txt", "missing.txt"]
    assert [i.ok for i in items] == [False, True, True, False]
    assert items[-1].error == "no such file or folder"


def test_make_article_validates() -> None:
    with pytest.raises(InputError, match="not a valid calendar date"):
        make_article(ARTICLE, published="2024-02-30")
    with pytest.raises(InputError, match="empty"):
        make_article(" \n ")
    article = make_article("a\r\nb", published="2024-02-29")
    assert article.text == "a\nb"
