"""A small web site on loopback with the pages link previews are made from: OpenGraph,
Twitter card and oEmbed pages, and pages that must give no card."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pytest_httpserver import HTTPServer

from tests.media import files

HTML = "text/html; charset=utf-8"


def page(head: str, body: str = "<p>Body text.</p>") -> str:
    return f'<!doctype html><html lang="en-GB"><head>{head}</head><body>{body}</body></html>'


ARTICLE = page(
    '<meta charset="utf-8"><title>Plain title</title>'
    '<meta property="og:title" content="A &amp; B: the story">'
    '<meta property="og:description" content="What happened next.">'
    '<meta property="og:site_name" content="Loopback News">'
    '<meta property="og:image" content="/pictures/story.png">'
    '<meta property="og:image:alt" content="A harbour at dawn">'
    '<meta property="article:published_time" content="2026-03-01T09:30:00+00:00">'
    '<meta name="author" content="Jo Writer">'
)
TWITTER = page(
    "<title>Ignored when the card names one</title>"
    '<meta name="twitter:card" content="summary">'
    '<meta name="twitter:title" content="Twitter title">'
    '<meta name="twitter:description" content="Twitter description">'
    '<meta name="twitter:site" content="@loopback">'
)
EMBED_EVIL = (
    '<iframe src="https://localhost/embed/42" width="560" height="315" onload="alert(1)" '
    'allowfullscreen></iframe><script>alert("owned")</script>'
    '<iframe src="https://evil.example/frame"></iframe>'
    '<iframe src="javascript:alert(2)"></iframe><img src="x" onerror="alert(3)">'
)


@dataclass
class CardSite:
    server: HTTPServer

    def url(self, path: str, host: str = "localhost") -> str:
        return f"http://{host}:{self.server.port}{path}"

    def serve(self) -> CardSite:
        ok = self.server.expect_request
        ok("/article").respond_with_data(ARTICLE, content_type=HTML)
        ok("/pictures/story.png").respond_with_data(
            files.image_bytes("PNG", (1200, 630)), content_type="image/png"
        )
        ok("/twitter").respond_with_data(TWITTER, content_type=HTML)
        oembed = self.url("/oembed.json", host="127.0.0.1")
        ok("/video").respond_with_data(
            page(
                "<title>A video</title>"
                f'<link rel="alternate" type="application/json+oembed" href="{oembed}">'
            ),
            content_type=HTML,
        )
        ok("/oembed.json").respond_with_data(
            json.dumps(
                {
                    "version": "1.0",
                    "type": "video",
                    "title": "The video",
                    "author_name": "Film Maker",
                    "author_url": self.url("/@maker"),
                    "provider_name": "Loopback Video",
                    "provider_url": self.url("/"),
                    "html": EMBED_EVIL,
                    "width": 560,
                    "height": 315,
                    "thumbnail_url": self.url("/pictures/story.png"),
                }
            ),  # fmt: skip
            content_type="application/json",
        )
        ok("/bomb").respond_with_data(
            page(
                '<meta property="og:title" content="Bomb"><meta property="og:image" '
                'content="/pictures/bomb.png">'
            ),  # fmt: skip
            content_type=HTML,
        )
        ok("/pictures/bomb.png").respond_with_data(files.png_bomb(), content_type="image/png")
        ok("/paper.pdf").respond_with_data(b"%PDF-1.4 ...", content_type="application/pdf")
        ok("/huge").respond_with_data(
            page("<title>Huge</title>", "x" * (2 * 1024 * 1024)), content_type=HTML
        )
        ok("/gone").respond_with_data("", status=404, content_type=HTML)
        return self

    def requests_to(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)
