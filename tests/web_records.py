"""Records for the web tests: one whose every layer carries HTML and script payloads (a
scraped page can put them in names, quotes and metadata, and the layers copy them into
actor names, speakers, places and sources), and the text of a hostile article to ingest
through the real pipeline."""

from __future__ import annotations

from corpus_fixtures import Builder

from newsint.schema import Record

# Every payload sets window.__pwned (or opens a dialog) if it ever runs.
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '<svg onload="window.__pwned=3">',
    "javascript:window.__pwned=4",
)

HOSTILE_ID = 'evil/"><script>window.__pwned=5</script>'


def hostile_record() -> Record:
    """A clash in Kismayo in which every name, quote and source is a payload."""
    text = (
        'The <img src=x onerror="window.__pwned=1"> militia attacked <b>Kismayo</b> on Monday, '
        'killing three guards.\n'
        '"<script>window.__pwned=2</script> we will return," said '
        '<svg onload="window.__pwned=3">Ahmed</svg>, citing <i onclick="alert(1)">Radio X</i>.'
    )
    b = Builder(text, id=HOSTILE_ID, outlet='<script>alert("outlet")</script>',
                published="2024-05-08", title='<img src=x onerror="alert(\'title\')">',
                url="javascript:alert('url')")
    militia = b.actor('<img src=x onerror="window.__pwned=1"> militia', type="armed_group",
                      name='<img src=x onerror="window.__pwned=6">', aliases=["<b>alias</b>"])
    speaker = b.actor('<svg onload="window.__pwned=3">Ahmed</svg>', label="PERSON",
                      type="person", name='<svg onload="window.__pwned=3">Ahmed</svg>')
    radio = b.actor('<i onclick="alert(1)">Radio X</i>', type="media_outlet",
                    name='<i onclick="alert(1)">Radio X</i>')
    place = b.place("<b>Kismayo</b>", name='<img src=x onerror="window.__pwned=7">',
                    lat=-0.358, lon=42.545, country="SO", admin1="<b>Lower Juba</b>",
                    feature="PPLA", geonameid=55671)
    monday = b.time("Monday", "2024-05-06")
    outlet = b.node("outlet", '<script>alert("outlet")</script>')
    person = b.node("person", '<svg onload="window.__pwned=3">Ahmed</svg>', speaker)
    station = b.node("outlet", '<i onclick="alert(1)">Radio X</i>', radio)
    s1 = b.statement('<script>window.__pwned=2</script> we will return', "said",
                     '<svg onload="window.__pwned=3">Ahmed</svg>', speaker,
                     ["outlet:<script>alert(\"outlet\")</script>"], kind="direct")
    b.edge(outlet, person, "quotes", [s1])
    b.edge(person, station, "cites", [])
    b.event("ASSAULT", "attacked",
            evidence='The <img src=x onerror="window.__pwned=1"> militia attacked <b>Kismayo</b> '
                     "on Monday, killing three guards",
            acled=["Battles", "<b>Armed clash</b>"], cameo="19",
            actors=[("source", militia)], place=place, day="2024-05-06", time_ids=[monday],
            fatalities=3, modality="asserted", statement=s1)
    return b.record()


HOSTILE_ARTICLE = """---
title: <script>window.__pwned = "title"</script>Breaking <img src=x onerror="window.__pwned='title-img'">
outlet: <b onmouseover="window.__pwned='outlet'">Evil Wire</b>
published: 2024-05-09
url: javascript:window.__pwned='url'
---
Officials in Kismayo said on Thursday that <script>window.__pwned = "body"; alert(1)</script> was posted by the group.
"<img src=x onerror="window.__pwned='quote'; alert(2)">," the mayor of Kismayo, Ahmed Nur, told reporters on Thursday.
Gunmen attacked a police station in Kismayo on Wednesday, killing two officers, the mayor said.
A second paragraph mentions <svg onload="window.__pwned='svg'"></svg>, <iframe src="javascript:alert(3)"></iframe> and a link <a href="javascript:alert(4)">click</a>, then ends with </script><script>alert(5)</script>, {{ 7*7 }} and ${7*7}.
"""
