"""The installed command, run as a user runs it: exit codes, stdin, JSON Lines out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEED, SEED_PUBLISHED, check_record, requires_shared

CLASH = (
    "Two soldiers were killed when militants attacked an army post near Diffa on Sunday, "
    "the Niger defence ministry said in a statement."
)


def newsint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsint", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def records(stdout: str) -> list[dict]:
    return [check_record(json.loads(line)) for line in stdout.splitlines() if line.strip()]


def test_analyze_mixed_batch_reports_each_bad_item_and_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(CLASH, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "batch.jsonl").write_text(
        json.dumps({"id": "niger-7", "text": CLASH + " More later.", "outlet": "Sahel Wire"})
        + "\n{broken\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = newsint("analyze", str(tmp_path), "--published", "2024-01-15", "-o", str(out))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsint: ")]
    named = "\n".join(errors)
    assert "empty.txt: empty file" in named
    assert "bin.dat: binary file" in named
    assert "batch.jsonl:2: malformed JSON" in named
    got = records(out.read_text(encoding="utf-8"))
    assert len(got) == 2
    by_id = {r["article"]["id"]: r for r in got}
    assert by_id["niger-7"]["article"]["outlet"] == "Sahel Wire"
    assert all(r["article"]["published"] == "2024-01-15" for r in got)


def test_analyze_reads_stdin_and_succeeds() -> None:
    result = newsint("analyze", "-", "--published", "2024-01-15", stdin=CLASH)
    assert result.returncode == 0, result.stderr
    [record] = records(result.stdout)
    assert record["article"]["text"] == CLASH


def test_bad_published_flag_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLASH, encoding="utf-8")
    result = newsint("analyze", str(tmp_path / "a.txt"), "--published", "15/01/2024")
    assert result.returncode == 2
    assert "not a date" in result.stderr
    assert "Traceback" not in result.stderr


def test_info_names_versions_model_and_data() -> None:
    result = newsint("info")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["spacy"].startswith("3.8.")
    assert info["spacy_model"]["name"] == "en_core_web_sm"
    assert info["spacy_model"]["version"] == "3.8.0"
    files = {f["file"] for f in info["data_files"]}
    assert "newsint-1.schema.json" in files
    assert any(f.startswith("actors/") for f in files)


@requires_shared
def test_analyze_seed_file() -> None:
    result = newsint("analyze", str(SEED), "--published", SEED_PUBLISHED)
    assert result.returncode == 0, result.stderr
    [record] = records(result.stdout)
    assert record["article"]["published"] == SEED_PUBLISHED


def test_model_is_the_official_en_core_web_sm_3_8_0() -> None:
    """The PyPI re-upload must be Explosion's release: same build, same components and
    labels, same published accuracy (explosion/spacy-models meta/en_core_web_sm-3.8.0.json)."""
    from newsint.parse import load_model

    meta = load_model().meta
    assert meta["version"] == "3.8.0"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert len(meta["labels"]["ner"]) == 18 and "NORP" in meta["labels"]["ner"]
    assert meta["performance"]["ents_f"] == 0.8433119744
    assert meta["performance"]["dep_las"] == 0.8991533598
