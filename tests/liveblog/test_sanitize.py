import pytest

from liveblog.sanitize import sanitize_body


@pytest.mark.parametrize(
    ("hostile", "forbidden"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<p onclick="steal()">Click</p>', "onclick"),
        ('<a href="javascript:alert(1)">link</a>', "javascript:"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "data:"),
        ('<div hx-get="/admin/" hx-trigger="load">x</div>', "hx-"),
        ('<p data-hx-post="/x">x</p>', "hx-"),
        ('<p id="pinned">hijack</p>', "id="),
        ('<p style="position:fixed;top:0">cover</p>', "style"),
        ("<iframe src='https://evil.example'></iframe>", "iframe"),
    ],
)
def test_sanitiser_removes_hostile_markup(hostile, forbidden):
    assert forbidden not in sanitize_body(hostile)


def test_sanitiser_keeps_ordinary_formatting_and_safe_links():
    body = '<p><strong>Con</strong> <em>gain</em></p><ul><li>one</li></ul><a href="https://example.org/x">src</a>'
    clean = sanitize_body(body)
    assert "<strong>Con</strong>" in clean
    assert "<em>gain</em>" in clean
    assert "<li>one</li>" in clean
    assert 'href="https://example.org/x"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_sanitiser_keeps_the_text_of_removed_elements_readable():
    assert "Counting" in sanitize_body('<div hx-get="/x">Counting</div>')


def test_the_cleaner_keeps_exactly_the_tags_the_editor_produces():
    from django_prose_editor.config import allowlist_from_extensions

    from liveblog.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, EDITOR_EXTENSIONS

    editor = allowlist_from_extensions(EDITOR_EXTENSIONS)
    assert set(ALLOWED_TAGS) == editor["tags"]
    assert {"p", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h3"} <= set(ALLOWED_TAGS)
    for tag, attributes in ALLOWED_ATTRIBUTES.items():
        assert attributes <= editor["attributes"][tag]


def test_markup_the_editor_cannot_make_is_dropped_but_its_text_kept():
    clean = sanitize_body("<h1>Big</h1><table><tr><td>cell</td></tr></table><span style='color:red'>red</span>")
    assert "<h1" not in clean and "<table" not in clean and "<span" not in clean
    assert "Big" in clean and "cell" in clean and "red" in clean


def test_plain_text_gets_its_paragraphs_and_line_breaks():
    assert sanitize_body("Polls closed.\nCount under way.\n\nTurnout 42% & rising") == (
        "<p>Polls closed.<br>Count under way.</p><p>Turnout 42% &amp; rising</p>"
    )


def test_an_editor_body_with_no_text_is_stored_empty():
    assert sanitize_body("<p></p>") == ""
    assert sanitize_body("<p><br></p>") == ""


def test_a_post_with_only_an_empty_editor_paragraph_is_refused():
    from django.core.exceptions import ValidationError

    from liveblog.models import Post

    with pytest.raises(ValidationError, match="needs a headline, a body"):
        Post(body="<p></p>").clean()


def test_empty_paragraphs_and_list_items_left_by_the_editor_are_dropped():
    assert sanitize_body("<p>One</p><p></p><p><br></p><p>Two</p>") == "<p>One</p><p>Two</p>"
    assert sanitize_body("<ul><li><p>Gain</p></li><li><p></p></li></ul>") == "<ul><li><p>Gain</p></li></ul>"
    assert sanitize_body("<p>Text</p><ul><li></li></ul>") == "<p>Text</p>"
