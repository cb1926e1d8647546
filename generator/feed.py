"""The site's recent changes as an Atom 1.0 feed (RFC 4287), one entry per update, newest first.

Ids are ``urn:uuid:`` names made from the record and the update, not from the site's address, so
a feed reader keeps its entries when the site moves. Links are full addresses when the site has
one; without one they are relative to the feed, which sits at the site's root (RFC 4287 resolves
them against the feed's own address), and no ``rel="self"`` link is given: the feed claims no
address it does not know.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from xml.sax.saxutils import escape, quoteattr

from .changes import Update, content_date, site_history
from .corpus import Corpus
from .models import KIND_LABELS
from .pages import CHANGES_PAGE, FEED

FEED_ENTRIES = 50
# Fixed forever: changing it changes every entry's id, and feed readers would show them all again.
FEED_NAMESPACE = uuid.UUID("6f0c8a8e-3f57-4c8e-9d0a-5b1f2c7e4a91")
# What XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CHANGES_URL = CHANGES_PAGE.removesuffix("index.md")


def xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", " ".join(text.split())))


def xml_attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", text))


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(site_name: str, update: Update) -> str:
    name = f"{site_name}|{update.kind}/{update.id}|{update.date}|{update.number}"
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, name)}"


def feed_entry(corpus: Corpus, update: Update) -> str:
    path = f"{update.kind}/{update.id}/"
    href = corpus.project.page_url(path) or path
    return (
        "  <entry>\n"
        f"    <id>{entry_id(corpus.project.site_name, update)}</id>\n"
        f"    <title>{xml_text(update.title)}</title>\n"
        f"    <updated>{timestamp(update.date)}</updated>\n"
        f'    <link rel="alternate" type="text/html" href={xml_attr(href)}/>\n'
        f"    <category term={xml_attr(update.kind)} label={xml_attr(KIND_LABELS[update.kind])}/>\n"
        f"    <summary>{xml_text(update.text)}</summary>\n"
        "  </entry>\n"
    )


def atom_feed(corpus: Corpus) -> bytes:
    """feed.xml: the newest updates of every record, newest first."""
    project = corpus.project
    updates = site_history(corpus)[:FEED_ENTRIES]
    newest = updates[0].date if updates else content_date(corpus) or dt.date(1970, 1, 1)
    author = project.publishing.publisher or project.site_name
    self_link = (f'  <link rel="self" type="application/atom+xml" href={xml_attr(project.page_url(FEED))}/>\n'
                 if project.site_url else "")
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"  <id>urn:uuid:{uuid.uuid5(FEED_NAMESPACE, project.site_name)}</id>\n"
        f"  <title>{xml_text(project.site_name)}: recent changes</title>\n"
        f"  <updated>{timestamp(newest)}</updated>\n"
        f"  <author><name>{xml_text(author)}</name></author>\n"
        f'  <link rel="alternate" type="text/html" href={xml_attr(project.page_url(CHANGES_URL) or CHANGES_URL)}/>\n'
        f"{self_link}"
    )
    return (head + "".join(feed_entry(corpus, update) for update in updates) + "</feed>\n").encode("utf-8")
