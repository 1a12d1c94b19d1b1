"""Statements layer: quotes, reported speech, speakers and sourcing chains.

Sentences here are written for these tests; the seed and PolNeAR are read from ../shared.
"""

from __future__ import annotations

import importlib.util
import json

import pytest

import newsint
from conftest import EVAL, check_record, requires_shared
from newsint.entities import link_entities
from newsint.parse import parse
from newsint.quotemarks import find_quotes
from newsint.schema import Article
from newsint.statements import attribute_statements


def analyse(text: str, **kw) -> dict:
    return check_record(newsint.analyze(text, published="2024-05-02", **kw))


def quoted(record: dict, st: dict) -> str:
    s, e = st["content"]
    return record["article"]["text"][s:e]


def statement_with(record: dict, words: str) -> dict:
    found = [st for st in record["statements"] if words in quoted(record, st)]
    assert found, f"no statement contains {words!r}: {[quoted(record, s) for s in record['statements']]}"
    return found[0]


def speaker(st: dict) -> str | None:
    return st["speaker"]["text"] if st["speaker"] else None


# --- quotation marks -------------------------------------------------------------------


def test_quote_styles_are_paired() -> None:
    text = (
        "“Curly,” she said. \"Straight,\" he said. ''Doubled,'' they said. "
        "‘Single,’ it said. «Guillemets» and the Joneses' dog, don't mind."
    )
    got = [text[q.start:q.end] for q in find_quotes(text)]
    assert got == ["“Curly,”", '"Straight,"', "''Doubled,''", "‘Single,’", "«Guillemets»"]


def test_quotation_running_over_paragraphs_reopens_each_paragraph() -> None:
    text = "“We lost the harvest.\n“Then we lost the herd,” the farmer said.\nThe rains came late."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].start:quotes[0].end].endswith("herd,”")


# --- quotations that break naive tools -------------------------------------------------


def test_odd_number_of_quote_marks() -> None:
    # The opening mark is never closed: the quotation runs to the end of its paragraph.
    text = (
        "The mayor of Tamale, Ibrahim Adam, spoke at the flooded market on Monday. "
        "He said: “We will rebuild the bridge before the rains. Nobody will stop us.\n"
        "Traders have lost stock worth thousands of cedis."
    )
    record = analyse(text)
    st = statement_with(record, "We will rebuild the bridge")
    assert "Nobody will stop us" in quoted(record, st)
    assert "Traders" not in quoted(record, st)
    assert st["kind"] == "direct"
    assert speaker(st) == "Ibrahim Adam"


def test_closing_mark_without_opening_mark() -> None:
    text = "Fighting resumed near the dam.\nwe will not give up the dam,” the commander said on Monday."
    record = analyse(text)
    st = statement_with(record, "we will not give up the dam")
    assert st["kind"] == "direct"
    assert st["speaker"]["text"] == "the commander"


def test_quote_with_no_cue_verb_in_its_sentence() -> None:
    text = (
        "Amina Yusuf, a nurse at the general hospital in Kano, has worked on the children's "
        "ward for a decade.\n"
        "“We have had no fuel for the generator since Friday,” she told reporters.\n"
        "The hospital's generator broke down in March.\n"
        "“The children on the ward cannot wait for another delivery.”\n"
        "The hospital board did not respond to a request for comment."
    )
    record = analyse(text)
    first = statement_with(record, "no fuel for the generator")
    assert speaker(first) == "Amina Yusuf"
    assert first["speaker"]["role"].startswith("nurse at the general hospital")
    assert first["addressee"]["text"] == "reporters"
    second = statement_with(record, "cannot wait for another delivery")
    assert second["cue"] is None and second["kind"] == "direct"
    assert speaker(second) == "Amina Yusuf"
    assert not any("hospital board" in quoted(record, s) for s in record["statements"])
    assert not any("broke down" in quoted(record, s) for s in record["statements"])


def test_next_paragraph_quote_continues_the_statement() -> None:
    text = (
        "“We have had no fuel for the generator since Friday,” Amina Yusuf told reporters.\n"
        "“The children on the ward cannot wait for another delivery.”"
    )
    record = analyse(text)
    assert len(record["statements"]) == 1
    st = record["statements"][0]
    assert quoted(record, st).endswith("another delivery.”")
    assert speaker(st) == "Amina Yusuf"


def test_paragraph_long_quote_is_one_statement() -> None:
    text = (
        "The governor of the central bank, Daniel Okafor, defended the rate rise.\n"
        "“Prices rose by a fifth in a year. Families cannot plan, and firms cannot borrow. "
        "If we wait, the poorest will pay the most. We will not wait,” Okafor said.\n"
        "Markets fell after the announcement."
    )
    record = analyse(text)
    st = statement_with(record, "Prices rose by a fifth")
    body = quoted(record, st)
    assert body.startswith("“Prices") and body.endswith("We will not wait,”")
    assert speaker(st) == "Daniel Okafor"
    assert len(st["sentences"]) >= 4
    assert sum("Families cannot plan" in quoted(record, s) for s in record["statements"]) == 1


def test_he_said_three_sentences_after_the_name() -> None:
    text = (
        "Gen. Carlos Mendes arrived in the capital on Tuesday. He met Defence Minister Ana "
        "Torres at the ministry. Their talks lasted four hours. The army will withdraw from "
        "the border by June, he said."
    )
    record = analyse(text)
    st = statement_with(record, "The army will withdraw")
    assert st["kind"] == "indirect"
    assert speaker(st) == "Carlos Mendes"
    lo, hi = st["speaker"]["mention"]
    assert text[lo:hi] == "he"


def test_she_and_he_resolve_by_gender() -> None:
    text = (
        "Mrs. Ruth Banda chaired the meeting with Mr. Peter Phiri. "
        "She said the budget was final. He said the talks would go on."
    )
    record = analyse(text)
    assert speaker(statement_with(record, "the budget was final")) == "Ruth Banda"
    assert speaker(statement_with(record, "the talks would go on")) == "Peter Phiri"


def test_split_quote_is_one_direct_statement() -> None:
    text = "“The ceasefire holds,” said Lt. Col. Maria Ortiz, a spokeswoman for the mission, “but only just.”"
    record = analyse(text)
    st = statement_with(record, "The ceasefire holds")
    assert quoted(record, st).endswith("“but only just.”")
    assert st["kind"] == "direct"
    assert speaker(st) == "Maria Ortiz"
    assert st["speaker"]["role"] == "a spokeswoman for the mission".removeprefix("a ")


def test_quote_continued_after_the_cue_sentence() -> None:
    text = "“We are out of seed,” the farmer said. “We will plant nothing this year.”"
    record = analyse(text)
    st = statement_with(record, "out of seed")
    assert "We will plant nothing" in quoted(record, st)
    assert len(record["statements"]) == 1


def test_scare_quotes_are_not_statements() -> None:
    text = "The so-called “peace plan” was rejected by the ‘war cabinet’ on Sunday."
    record = analyse(text)
    assert record["statements"] == []


def test_mixed_quote_and_according_to() -> None:
    text = (
        "The minister said the strike was “illegal and dangerous” and would be broken. "
        "Twelve people were arrested, according to the police."
    )
    record = analyse(text)
    mixed = statement_with(record, "illegal and dangerous")
    assert mixed["kind"] == "mixed"
    assert speaker(mixed) == "The minister"
    cited = statement_with(record, "Twelve people were arrested")
    assert cited["kind"] == "indirect"
    assert speaker(cited) == "the police"
    assert "according" not in quoted(record, cited)


def test_told_the_paper_goes_through_the_papers_report() -> None:
    text = (
        "The Daily Monitor reported on Sunday that the dam had cracked. "
        "An engineer, Joseph Mwangi, told the newspaper that the cracks were old."
    )
    record = analyse(text, outlet="Example Wire")
    report = statement_with(record, "the dam had cracked")
    assert speaker(report) == "The Daily Monitor"
    assert report["via"] == ["outlet:Example Wire"]
    engineer = statement_with(record, "the cracks were old")
    assert speaker(engineer) == "Joseph Mwangi"
    assert engineer["addressee"]["text"] == "the newspaper"
    assert engineer["via"] == [report["id"], "outlet:Example Wire"]
    nodes = {n["id"]: n for n in record["sources"]["nodes"]}
    edges = {(nodes[e["source"]]["name"], nodes[e["target"]]["name"], e["relation"])
             for e in record["sources"]["edges"]}
    assert ("Example Wire", "The Daily Monitor", "reports") in edges
    assert ("The Daily Monitor", "Joseph Mwangi", "reports") in edges


ODD_TEXTS = [
    "", "   ", "\n\n", "\"", "“”", "'''", "said said said", "“" * 50, "” he said ”",
    "He said: “" + "word " * 3000, "\u200b\u202e“tilt” she said\x07 ok",
    "A.\n\n\n“B,” C said.\n\n“D", "according to", "According to.", "Citing", "“It,” ",
    "’’‘‘ '' `` ‚‚ „“", "He said that.",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_layer_copes_with_odd_input(text: str) -> None:
    doc = parse(text)
    article = Article(id="odd", text=doc.text)
    entities, actors = link_entities(doc, article)
    statements, _ = attribute_statements(doc, article, entities, actors)
    for st in statements:
        assert 0 <= st.content[0] < st.content[1] <= len(text)
    if text.strip():
        check_record(newsint.analyze(text))


# --- the seed article ------------------------------------------------------------------


def _by_speaker(record: dict, name: str) -> list[dict]:
    return [s for s in record["statements"] if s["speaker"] and s["speaker"]["text"] == name]


@requires_shared
def test_seed_nabil_quotes_with_role_via_the_journal(seed_record: dict) -> None:
    nabil = _by_speaker(seed_record, "Rahmatullah Nabil")
    texts = [quoted(seed_record, s) for s in nabil]
    assert any("become very attractive" in t for t in texts)
    assert any(t.startswith("“If there were a resistance") for t in texts)
    direct = [s for s in nabil if "If there were a resistance" in quoted(seed_record, s)][0]
    assert direct["kind"] == "direct"
    told = [s for s in nabil if "become very attractive" in quoted(seed_record, s)][0]
    assert told["kind"] in ("mixed", "direct")
    assert told["addressee"]["text"] == "the journal"
    role = nabil[0]["speaker"]["role"]
    assert role.startswith("former chief of Afghanistan’s erstwhile spy agency")
    assert nabil[0]["speaker"]["organisation"] == "National Directorate of Security"
    wsj = {s["id"] for s in _by_speaker(seed_record, "The Wall Street Journal")}
    for st in nabil:
        assert st["via"][0] in wsj and st["via"][-1] == "article"


@requires_shared
def test_seed_zubair_milley_kahl(seed_record: dict) -> None:
    zubair = statement_with(seed_record, "there is no need, not even a tiny need")
    assert zubair["kind"] == "direct"
    assert speaker(zubair) == "Mawlawi Zubair"
    assert zubair["speaker"]["role"] == "senior Taliban commander"
    milley = statement_with(seed_record, "probability of a broader civil war")
    assert milley["kind"] == "indirect" and speaker(milley) == "Mark Milley"
    assert milley["speaker"]["role"] == "top American military commander"
    kahl = statement_with(seed_record, "attack the West from Afghanistan")
    assert kahl["kind"] == "indirect" and speaker(kahl) == "Colin Kahl"
    assert "Senate" in kahl["addressee"]["text"]
    assert kahl["speaker"]["role"] == "US undersecretary of defense"
    for st in (zubair, milley, kahl):
        assert st["via"] == ["article"]


@requires_shared
def test_seed_opening_claim_and_sourcing_graph(seed_record: dict) -> None:
    claim = statement_with(seed_record, "several members of the former Afghan government")
    assert speaker(claim) == "The Wall Street Journal"
    assert [m["text"] for m in claim["cites"]] == ["Taliban leaders", "former Afghan security officials"]
    official = statement_with(seed_record, "An Afghan security officer")
    assert speaker(official) == "a former Afghan official"
    assert official["via"] == [claim["id"], "article"]

    nodes = {n["id"]: n for n in seed_record["sources"]["nodes"]}
    edges = {(nodes[e["source"]]["name"], nodes[e["target"]]["name"], e["relation"])
             for e in seed_record["sources"]["edges"]}
    assert ("article", "The Wall Street Journal", "reports") in edges
    journal_sources = {t for s, t, _ in edges if s == "The Wall Street Journal"}
    assert journal_sources >= {"Taliban leaders", "former Afghan security officials",
                               "a former Afghan official", "Rahmatullah Nabil"}
    assert ("The Wall Street Journal", "Taliban leaders", "cites") in edges


@requires_shared
def test_seed_statements_know_their_sentences(seed_record: dict) -> None:
    for st in seed_record["statements"]:
        assert st["sentences"], st
    zubair = statement_with(seed_record, "there is no need")
    assert zubair["sentences"] == [16]


# --- PolNeAR -------------------------------------------------------------------------

# A fixed subset (the first 25 documents of PolNeAR's own dev split) as a regression
# guard; benchmarks/quotes.py scores the whole file. Floors sit a little under the
# measured values (content F1 0.615, direct F1 0.757, speaker accuracy 0.897).
POLNEAR_DOCS = 25


@requires_shared
def test_polnear_subset_floor(tmp_path) -> None:
    gold_path = EVAL / "quotes" / "polnear.jsonl"
    if not gold_path.is_file():
        pytest.skip("../shared/eval/quotes/polnear.jsonl is not there")
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    gold = [g for g in gold if g.get("split") == "dev"][:POLNEAR_DOCS]
    preds = {}
    for rec in newsint.pipeline.analyze_articles(
        [newsint.ingest.make_article(g["text"], id=g["id"], published=g["date"]) for g in gold]
    ):
        data = check_record(rec)
        preds[data["article"]["id"]] = data
    metrics, _ = score.score_quotes(gold, preds)
    assert metrics["content_f1"] >= 0.59, metrics
    assert metrics["direct_f1"] >= 0.72, metrics
    assert metrics["speaker_accuracy_on_matched"] >= 0.86, metrics


# --- actor links from the entities layer ---------------------------------------------------


def test_actor_links_merge_names_and_outlets() -> None:
    """With actor ids on entities (as the entities layer gives them), a later "Nabil" is
    the same speaker as "Rahmatullah Nabil" and "the journal" is the outlet's report."""
    from newsint.schema import Actor, Entity

    text = (
        "The Wall Street Journal reported that the unit had split. "
        "Rahmatullah Nabil, a former spy chief, told the journal that the split was old. "
        "Nabil said the fighters had not been paid."
    )
    doc = parse(text)
    article = Article(id="actors", text=text, outlet="Example Wire")

    def ent(words: str, label: str, actor: str, nth: int = 0) -> Entity:
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return Entity(id=f"e{start}", start=start, end=start + len(words), text=words,
                      type=label, actor=actor)

    entities = [
        ent("The Wall Street Journal", "ORG", "a1"),
        ent("Rahmatullah Nabil", "PERSON", "a2"),
        ent("the journal", "ORG", "a1"),
        ent("Nabil", "PERSON", "a2", nth=1),
    ]
    actors = [
        Actor(id="a1", name="The Wall Street Journal", type="media_outlet"),
        Actor(id="a2", name="Rahmatullah Nabil", type="person"),
    ]
    statements, sources = attribute_statements(doc, article, entities, actors)
    by_text = {text[s.content[0]:s.content[1]]: s for s in statements}
    report = next(s for t, s in by_text.items() if "the unit had split" in t)
    told = next(s for t, s in by_text.items() if "the split was old" in t)
    later = next(s for t, s in by_text.items() if "had not been paid" in t)
    assert report.speaker.actor == "a1" and report.speaker.text == "The Wall Street Journal"
    assert told.speaker.actor == "a2" and told.addressee.actor == "a1"
    assert told.via == [report.id, "outlet:Example Wire"]
    assert later.speaker.text == "Rahmatullah Nabil" and later.speaker.actor == "a2"
    assert later.speaker.role == "former spy chief"
    kinds = {n.name: n.kind for n in sources.nodes}
    assert kinds["The Wall Street Journal"] == "outlet" and kinds["Rahmatullah Nabil"] == "person"


def test_colon_dateline_is_no_speaker_but_a_transcript_name_is() -> None:
    dateline = newsint.analyze(
        "QUETTA: Gunmen shot dead two labourers at a brick kiln near Turbat on Monday, the "
        "district police chief said.", published="2024-05-14")
    speakers = [s.speaker.text for s in dateline.statements]
    assert "QUETTA" not in speakers
    assert any("police chief" in s for s in speakers)

    transcript = newsint.analyze(
        "Maria Lopez: We will reopen the crossing as soon as the shelling stops.\n"
        "Interviewer: When will that be?", published="2024-05-14")
    assert [s.speaker.text for s in transcript.statements][:1] == ["Maria Lopez"]


def test_no_one_speaking_is_no_statement() -> None:
    record = newsint.analyze(
        "A car bomb exploded outside the provincial council building in Kirkuk on Sunday. "
        "No group claimed responsibility, and none of the officials at the scene confirmed "
        "the number of dead. The governor said the council would meet on Monday.",
        published="2024-05-14")
    speakers = [s.speaker.text.lower() for s in record.statements]
    assert not any(s.startswith(("no ", "none")) for s in speakers), speakers
    assert any("governor" in s for s in speakers)


def test_he_after_a_name_the_tagger_missed() -> None:
    text = ("Igor Vorontsov, a member of the defence committee of the State Duma, said that "
            "Russia would respond. \"Every such attack brings the answer closer,\" he told the "
            "RIA Novosti news agency.")
    record = newsint.analyze(text, published="2024-05-01")
    quote = next(s for s in record.statements if s.kind == "direct")
    assert quote.speaker is not None and quote.speaker.text == "Igor Vorontsov"
    assert quote.speaker.role == "member of the defence committee of the State Duma"


def test_he_after_one_of_the_sources() -> None:
    text = ("One of the sources said the attackers fled towards the border. Several attackers "
            "were also killed, he said, without giving a figure.")
    record = newsint.analyze(text, published="2024-05-01")
    second = next(s for s in record.statements if "also killed" in text[s.content[0]:s.content[1]])
    assert second.speaker is not None and second.speaker.text == "One of the sources"
