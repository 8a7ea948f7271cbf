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
