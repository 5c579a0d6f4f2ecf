from fediverse.formatting import count_characters, render_plain_text, sanitize_html


def render(text: str) -> str:
    return render_plain_text(
        text,
        resolve_mention=lambda user, domain: None if domain else f"https://h.example/@{user}",
        tag_url=lambda name: f"https://h.example/tags/{name}",
    )


def test_everything_but_links_mentions_and_tags_is_escaped() -> None:
    html = render('<script>alert(1)</script> & "quotes"')
    assert html == '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes"</p>'


def test_links_mentions_hashtags_and_paragraphs_render_as_mastodon() -> None:
    html = render("Hi @bob, see https://example.com/a.\n\n#Fediverse rocks\nyes")
    assert html == (
        '<p>Hi <span class="h-card" translate="no"><a href="https://h.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span>, see '
        '<a href="https://example.com/a" target="_blank" rel="nofollow noopener" '
        'translate="no"><span class="invisible">https://</span><span class="">example.com/a'
        '</span><span class="invisible"></span></a>.</p><p><a href="https://h.example/tags/'
        'Fediverse" class="mention hashtag" rel="tag">#<span>Fediverse</span></a> rocks<br />'
        "yes</p>"
    )


def test_unknown_mentions_and_numeric_tags_stay_text() -> None:
    assert render("@carol@remote.example #123") == "<p>@carol@remote.example #123</p>"


def test_long_links_are_shortened_for_display_only() -> None:
    url = "https://example.com/" + "x" * 40
    html = render(url)
    assert f'href="{url}"' in html and '<span class="ellipsis">' in html


def test_links_count_as_23_and_remote_mentions_as_their_username() -> None:
    assert count_characters("https://example.com/" + "x" * 100) == 23
    assert count_characters("hi @someone@very.long.domain.example") == len("hi @someone")
    assert count_characters("plain") == 5


def test_sanitiser_keeps_mastodon_markup_and_drops_the_rest() -> None:
    clean = sanitize_html(
        '<p onclick="x">hi <a href="javascript:alert(1)">x</a><script>1</script>'
        '<span class="h-card evil">y</span><img src=x></p>'
    )
    assert "onclick" not in clean and "script" not in clean and "javascript" not in clean
    assert '<span class="h-card">y</span>' in clean and "<img" not in clean
