"""The second fence: what nh3 keeps and drops of a generated page."""

from __future__ import annotations

from generator.sanitize import sanitize


def test_links_keep_their_target_and_gain_nothing() -> None:
    html = '<p><a href="https://example.org/a" target="_blank" onclick="x()">a</a> <a href="#fn:1">1</a></p>'
    assert sanitize(html) == '<p><a href="https://example.org/a">a</a> <a href="#fn:1">1</a></p>'


def test_scripts_and_unsafe_urls_are_dropped() -> None:
    html = '<script>alert(1)</script><a href="javascript:alert(1)">x</a><!-- note -->'
    assert sanitize(html) == "<a>x</a>"
