"""The key points box: written by editors, cleaned like a post, on the page and pushed to open pages."""

import pytest
from channels.db import database_sync_to_async

from liveblog.services import blog_save
from tests.helpers import next_frame, open_reader

KEY_POINTS = "<ul><li>Con gain Hartlepool</li><li>Turnout 42.3%</li></ul><script>alert(1)</script>"


@pytest.mark.django_db
def test_key_points_are_cleaned_and_shown_at_the_top(client, blog, editor):
    blog.summary = KEY_POINTS
    blog_save(blog=blog, actor=editor)
    blog.refresh_from_db()
    assert blog.summary == "<ul><li>Con gain Hartlepool</li><li>Turnout 42.3%</li></ul>"
    html = client.get(blog.get_absolute_url()).content.decode()
    assert html.index('id="summary"') < html.index('id="live"')
    assert "Key points" in html and "<li>Con gain Hartlepool</li>" in html


@pytest.mark.django_db
def test_a_blog_without_key_points_has_an_empty_box_to_fill_later(client, blog):
    html = client.get(blog.get_absolute_url()).content.decode()
    assert '<section id="summary" class="summary"></section>' in html


@pytest.mark.django_db(transaction=True)
async def test_an_editors_update_to_the_key_points_reaches_open_pages(blog, editor):
    reader = await open_reader(blog)
    blog.summary = "<ul><li>Recount in Seaton</li></ul>"
    await database_sync_to_async(blog_save)(blog=blog, actor=editor)
    frame = await next_frame(reader)
    assert 'id="summary"' in frame and 'hx-swap-oob="true"' in frame and "Recount in Seaton" in frame
    await reader.disconnect()
