"""The sanitiser's quick reading of plain HTML gives what html.parser's reading gives, byte for byte.

`clean` reads the HTML Markdown writes with one regular expression and calls the parser's handlers itself;
anything else goes to html.parser (site/sanitize.py). These tests compare the two ways on the kit's own
markup, on hostile HTML and on many random mixtures of both, and check that Markdown's plain pages do take
the quick way (else the quick way would be tested on nothing).
"""

from __future__ import annotations

import random

import pytest

from mentorkit.site import sanitize
from mentorkit.site.sanitize import clean, parsed

PLAIN = [
    '<p>Hi &amp; bye &lt;3 &gt; "quoted" \'single\'</p>',
    '<h2 id="goals">Goals<a class="headerlink" href="#goals" title="Permanent link">&para;</a></h2>',
    '<table>\n<thead>\n<tr>\n<th>Measure</th>\n<th style="text-align: right;">Result</th>\n</tr>\n</thead></table>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" aria-labelledby="t"><title id="t">A &amp; B'
    '</title><pattern patternUnits="userSpaceOnUse"><rect width="3"/></pattern><rect x="1" /></svg>',
    '<ul class="mk-checklist"><li><label><input type="checkbox" checked disabled> Read</label></li></ul>',
    '<a href="../grow/" title="a &quot;b&quot; &#x27;c&#x27; &lt;d&gt; &amp;e">Grow</a> <br> <br/> <hr />',
    '<time datetime="2026-01-05">5 January 2026</time> &nbsp;&mdash;&#8212;&#x2014; caf&eacute; &copy',
    '<div data-mk-next=""></div><p lang=""></p><LI CLASS="X">Upper</LI><Svg ViewBox="0 0 1 1"></Svg>',
    '<p>a > b, c >= d, 5 &amp;&amp; 6, AT&T, &unknown; &#0; &#xD800; &#99999999;</p>',
    "text with no tags at all & an ampersand",
    "",
    "<p>\n<em>line\nbreaks</em>\n</p>\n",
]

HOSTILE = [
    "<p>Hi</p><script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<img src="x" ONERROR="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href=javascript:alert(1)>x</a>',
    "<a href='javascript:alert(1)'>x</a>",
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<iframe src="https://example.org"><p>inside</p></iframe><p>after</p>',
    '<noscript><p>hidden</p></noscript><object><embed src="x"></object><p>kept</p>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    "<scr<script>ipt>alert(1)</script>",
    '<form action="javascript:alert(1)"><button formaction="x">b</button></form>',
    '<img srcset="ok.png 1x, javascript:alert(1) 2x">',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "<style>a>b{color:red}</style><p>after</p>",
    "<style>p{}</style><script>x</script><style>q{}</style>",
    "<title>a <b>bold</b> &amp; </title>",
    "<textarea><p>not a tag</p></textarea>",
    "<!-- <script>alert(1)</script> -->",
    "<!--x-- ><p>after</p>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?php echo 1 ?><p>x</p>",
    "<!DOCTYPE html><p>x</p>",
    '<a title="x"href="javascript:alert(1)">x</a>',
    '<a href  =  "javascript:alert(1)">x</a>',
    '<a\thref="javascript:alert(1)">x</a>',
    '<a href="x" / >y</a>',
    "</ p></p ></p\n>",
    "< p>not a tag</p>",
    "<p>unclosed <b>bold",
    '<p title="unterminated>text</p>',
    "<p>a < b</p>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"javascript:\">",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "<div\x00 onclick=\"x\">nul</div>",
    '<svg><set attributeName="onload" to="alert(1)"/></svg>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="http://x.org/?a=1&b=2">link</a>',
    '<p data-x="&unknown;" data-y="&amp" data-z="&">entities in values</p>',
    "<p>trailing ampersand &",
    "<p>trailing entity &amp",
    "<",
    "</",
    "<a",
]

PIECES = [*PLAIN, *HOSTILE, "<", ">", "&", "&amp;", "&#", "&#x27;", '"', "'", "=", "/", " ", "\n", "<p>", "</p>",
          "<a", ' href="', "javascript:", "on", "click", "<script>", "</script>", "<style>", "</style>", "<!--",
          "-->", "<b>", "</b>", "<br/>", "<title>", "</title>", "x", "é", "\u2028", "\xa0"]


def _slow(fragment: str) -> tuple[str, list[str]]:
    cleaner = parsed(fragment)
    return "".join(cleaner.out), sorted(set(cleaner.removed))


@pytest.mark.parametrize("fragment", PLAIN + HOSTILE)
def test_the_quick_way_gives_what_the_parser_gives(fragment):
    assert clean(fragment) == _slow(fragment)


def test_random_mixtures_of_plain_and_hostile_html_read_the_same_both_ways():
    rng = random.Random(27)
    for _ in range(3000):
        fragment = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        assert clean(fragment) == _slow(fragment), fragment


def test_markdowns_plain_html_takes_the_quick_way():
    for fragment in PLAIN:
        assert sanitize._feed_plain(sanitize._Cleaner(), fragment), fragment


@pytest.mark.parametrize("fragment", ["<!-- c --><p>x</p>", "<style>a{}</style>", "<p>a < b</p>",
                                      "<a href=x>y</a>", "<a href='x'>y</a>", "<script>x</script>"])
def test_what_the_quick_way_does_not_read_goes_to_the_parser(fragment):
    assert not sanitize._feed_plain(sanitize._Cleaner(), fragment)


def test_hostile_plain_html_is_still_cleaned_the_quick_way():
    fragment = '<p onclick="x">a</p><a href="javascript:alert(1)">b</a><iframe><p>c</p></iframe><p>d</p>'
    assert sanitize._feed_plain(sanitize._Cleaner(), fragment)
    cleaned, removed = clean(fragment)
    assert cleaned == "<p>a</p><a>b</a><p>d</p>"
    assert removed == ["<iframe>", "a script link in <a href>", "the onclick attribute of <p>"]
