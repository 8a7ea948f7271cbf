"""Nothing moves under the reader: pictures reserve their space, links land on their post, arrivals shift nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from liveblog import images
from tests.helpers import frame_reaching, open_page_reader, publish_from_a_server_thread

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def picture(n: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (20 * n % 255, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(f"count-{n}.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def pictures_above(blog, reporter):
    """A key event under six posts with tall pictures, with older posts below it (pictures removed afterwards)."""
    for n in range(5):
        publish_from_a_server_thread(blog, reporter, f"Older {n}", body="<p>" + "Words. " * 80 + "</p>")
    target = publish_from_a_server_thread(blog, reporter, "The key moment", is_key_event=True)
    posts = [
        publish_from_a_server_thread(
            blog, reporter, f"Picture {n}", image=picture(n), image_caption=f"Count {n}", image_credit="Agency"
        )
        for n in range(6)
    ]
    yield target
    for post in posts:
        images.remove([post.image.name, *(images.rendition_name(post.image.name, w) for w in post.image_widths)])


def landed(page, post_id: int) -> float:
    return page.locator(f"#post-{post_id}").evaluate("p => p.getBoundingClientRect().top")


def test_a_permalink_lands_on_its_post_with_pictures_above_it(asgi_server, page, blog, pictures_above):
    page.goto(f"{asgi_server}{pictures_above.get_permalink()}")
    page.wait_for_load_state("load")  # every picture in
    page.wait_for_timeout(300)
    assert abs(landed(page, pictures_above.pk)) <= 100


def test_a_key_events_link_lands_on_its_post_and_updates_the_address(asgi_server, page, blog, pictures_above):
    open_page_reader(page, asgi_server, blog)
    page.locator("#key-events a", has_text="The key moment").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(1200)  # the smooth scroll and any late picture
    assert abs(landed(page, pictures_above.pk)) <= 100
    assert page.url == f"{asgi_server}{pictures_above.get_permalink()}"


def test_ten_arrivals_at_the_top_shift_nothing_for_a_reader_further_down(asgi_server, page, blog, reporter):
    for n in range(12):
        publish_from_a_server_thread(blog, reporter, f"Earlier {n}", body="<p>" + "Words. " * 60 + "</p>")
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => {
          for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shift += entry.value; }
        }).observe({type: 'layout-shift', buffered: true});
    """)
    open_page_reader(page, asgi_server, blog)
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(500)
    before = page.evaluate("window.__shift")
    for n in range(10):
        with frame_reaching(page, f"Arrival {n}"):
            publish_from_a_server_thread(blog, reporter, f"Arrival {n}")
    expect(page.locator("#new-updates")).to_have_text("10 new updates")
    assert page.evaluate("window.__shift") - before < 0.05
