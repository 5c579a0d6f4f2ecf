"""Plain text to HTML as Mastodon renders it, the character count Mastodon applies, and the
one sanitiser for HTML that arrives from anywhere else. Shared by the web pages, the API and
federation so that a post looks the same whichever surface made it."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import nh3

URL_COUNTS_AS = 23
MAX_URL_DISPLAY = 30

URL_RE = re.compile(r"(?<![\w/@.])(https?://[^\s<>\"]+)", re.IGNORECASE)
MENTION_RE = re.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@([\w.-]+\w+))?", re.IGNORECASE
)
HASHTAG_RE = re.compile(r"(?<![=/)\w#])#(\w*[^\W\d_]\w*|\w*_\w*)", re.UNICODE)
TRAILING_PUNCTUATION = ".,;:!?'\""


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    kind: str  # "url", "mention" or "hashtag"
    value: str
    domain: str | None = None


def _trim_url(url: str) -> str:
    while url and url[-1] in TRAILING_PUNCTUATION:
        url = url[:-1]
    # A closing parenthesis belongs to the URL only when the URL opened one.
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in URL_RE.finditer(text):
        url = _trim_url(match.group(1))
        if len(url) > len("https://"):
            tokens.append(Token(match.start(1), match.start(1) + len(url), "url", url))

    def overlaps(start: int, end: int) -> bool:
        return any(t.start < end and start < t.end for t in tokens)

    for match in MENTION_RE.finditer(text):
        if not overlaps(match.start(), match.end()):
            domain = match.group(2).lower() if match.group(2) else None
            tokens.append(Token(match.start(), match.end(), "mention", match.group(1), domain))
    for match in HASHTAG_RE.finditer(text):
        if not overlaps(match.start(), match.end()):
            tokens.append(Token(match.start(), match.end(), "hashtag", match.group(1)))
    return sorted(tokens, key=lambda t: t.start)


def extract_hashtags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for token in tokenize(text):
        if token.kind == "hashtag":
            seen.setdefault(token.value.lower(), token.value)
    return list(seen.values())


def extract_mentions(text: str) -> list[tuple[str, str | None]]:
    seen: dict[tuple[str, str | None], None] = {}
    for token in tokenize(text):
        if token.kind == "mention":
            seen.setdefault((token.value.lower(), token.domain), None)
    return list(seen)


def count_characters(text: str) -> int:
    """Mastodon's count: every URL is 23 characters, a remote mention counts its local part."""
    length = 0
    position = 0
    for token in tokenize(text):
        length += len(text[position : token.start])
        if token.kind == "url":
            length += URL_COUNTS_AS
        elif token.kind == "mention":
            length += len(token.value) + 1
        else:
            length += token.end - token.start
        position = token.end
    return length + len(text[position:])


def _link_html(url: str) -> str:
    match = re.match(r"(https?://(?:www\.)?)(.*)", url, re.IGNORECASE)
    prefix, rest = (match.group(1), match.group(2)) if match else ("", url)
    if len(rest) > MAX_URL_DISPLAY:
        display = (
            f'<span class="ellipsis">{escape(rest[:MAX_URL_DISPLAY])}</span>'
            f'<span class="invisible">{escape(rest[MAX_URL_DISPLAY:])}</span>'
        )
    else:
        display = f'<span class="">{escape(rest)}</span><span class="invisible"></span>'
    return (
        f'<a href="{escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{escape(prefix)}</span>{display}</a>'
    )


MentionResolver = Callable[[str, str | None], str | None]


def render_plain_text(
    text: str, *, resolve_mention: MentionResolver, tag_url: Callable[[str], str]
) -> str:
    """Escape everything, then link URLs, resolvable @mentions and #hashtags, in paragraphs."""
    pieces: list[str] = []
    position = 0
    for token in tokenize(text):
        pieces.append(escape(text[position : token.start], quote=False))
        original = text[token.start : token.end]
        if token.kind == "url":
            pieces.append(_link_html(token.value))
        elif token.kind == "mention":
            href = resolve_mention(token.value, token.domain)
            if href is None:
                pieces.append(escape(original, quote=False))
            else:
                pieces.append(
                    f'<span class="h-card" translate="no"><a href="{escape(href)}" '
                    f'class="u-url mention">@<span>{escape(token.value)}</span></a></span>'
                )
        else:
            pieces.append(
                f'<a href="{escape(tag_url(token.value))}" class="mention hashtag" '
                f'rel="tag">#<span>{escape(token.value)}</span></a>'
            )
        position = token.end
    pieces.append(escape(text[position:], quote=False))
    html = "".join(pieces).strip().replace("\r\n", "\n")
    paragraphs = [p for p in re.split(r"\n{2,}", html) if p.strip()]
    return "".join(f"<p>{p.strip().replace(chr(10), '<br />')}</p>" for p in paragraphs)


ALLOWED_TAGS = {
    "p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i",
    "em", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "translate"},
    "span": {"class", "translate"},
    "ol": {"start", "reversed"},
    "li": {"value"},
}
ALLOWED_CLASS_RE = re.compile(r"^(h|p|u|dt|e)-|^(mention|hashtag|ellipsis|invisible)$")


def _keep_classes(element: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [c for c in value.split() if ALLOWED_CLASS_RE.match(c)]
    return " ".join(kept) or None


def sanitize_html(html: str) -> str:
    """Mastodon's rules for remote HTML: a small set of tags, links opened safely."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_classes,
        url_schemes={
            "http",
            "https",
            "dat",
            "dweb",
            "ipfs",
            "ipns",
            "ssb",
            "gopher",
            "xmpp",
            "magnet",
            "gemini",
        },
        link_rel="nofollow noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )


# Mastodon's shortcode between colons, not glued to a letter or digit on either side;
# `:a::b:` counts as two.
SHORTCODE_SCAN_RE = re.compile(r"(?<![^\W_]):([a-zA-Z0-9_]{2,}):(?![^\W_])")
MARKUP_RE = re.compile(r"(<[^>]*>)")


def emoji_image_html(shortcode: str, url: str) -> str:
    code = escape(f":{shortcode}:")
    return (
        f'<img class="custom-emoji" src="{escape(url)}" alt="{code}" title="{code}" '
        'draggable="false">'
    )


def emojify(html: str, images: dict[str, str]) -> str:
    """Custom emoji shortcodes in safe HTML (escaped text, or our formatter's and sanitiser's
    output) become images; tags and their attributes are left as they are."""
    if not images:
        return html
    pieces = MARKUP_RE.split(html)
    for index in range(0, len(pieces), 2):  # even pieces are text between tags
        pieces[index] = SHORTCODE_SCAN_RE.sub(
            lambda m: emoji_image_html(m[1], images[m[1]]) if m[1] in images else m[0],
            pieces[index],
        )
    return "".join(pieces)
