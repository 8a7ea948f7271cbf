import pytest

from liveblog.embeds import embed_card


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://x.com/someone/status/1", "Post on X"),
        ("https://www.youtube.com/watch?v=abc", "Video on YouTube"),
        ("https://youtu.be/abc", "Video on YouTube"),
        ("https://bsky.app/profile/a/post/b", "Post on Bluesky"),
        ("https://news.example.org/story", "Link to news.example.org"),
    ],
)
def test_embed_links_become_labelled_cards(url, label):
    assert embed_card(url).label == label


def test_embed_links_that_are_not_web_addresses_are_dropped():
    assert embed_card("javascript:alert(1)") is None
