from voicetrace.core.sources import SourceType
from voicetrace.ingest import read_bytes

from .builders import texts

PAGE = """<!DOCTYPE html><html><head><title>You said, we did</title>
<style>p { color: red }</style><script>alert("x")</script></head>
<body><!-- a comment --><h1>Changes   this year</h1>
<p>Patients asked for a <b>quiet</b>
   room &amp; better signs &pound;5 &ndash; done.<br>Opened in May.</p>
<ul><li>New leaflet</li><li>Parking &lt;free&gt;</li></ul>
<table><tr><td>Cell one</td><td>Cell two</td></tr></table>
<pre>keep   spacing</pre><noscript>no js</noscript></body></html>"""


def test_html_blocks_become_paragraphs() -> None:
    parsed = read_bytes("page.html", PAGE.encode())
    assert parsed.type is SourceType.DOCUMENT
    assert parsed.title == "You said, we did"
    assert texts(parsed) == [
        "Changes this year",
        "Patients asked for a quiet room & better signs £5 – done.\nOpened in May.",
        "New leaflet",
        "Parking <free>",
        "Cell one",
        "Cell two",
        "keep   spacing",
    ]
    assert "alert" not in parsed.text and "color" not in parsed.text and "comment" not in parsed.text
    assert "\n\n".join(texts(parsed)) == parsed.text


def test_deeply_nested_html_does_not_crash() -> None:
    page = "<div>" * 5000 + "deep text" + "</div>" * 5000
    parsed = read_bytes("deep.htm", page.encode())
    assert "deep text" in parsed.text
