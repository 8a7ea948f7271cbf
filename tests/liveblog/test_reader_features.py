"""What search engines, feed readers, other sites and readers' devices get from a blog."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liveblog.models import Post
from liveblog.services import post_create, post_delete, post_update

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def structured_data(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_the_page_carries_valid_live_blog_posting_json_ld(client, blog, reporter, publish):
    publish(reporter, headline="Polls close", body="<p>Voting is over.</p>")
    publish(reporter, headline="</script><script>alert(1)</script>")
    html = client.get(blog.get_absolute_url()).content.decode()
    data = structured_data(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "LiveBlogPosting"
    for key in ("headline", "url", "coverageStartTime", "coverageEndTime", "liveBlogUpdate"):
        assert data[key], key
    assert datetime.fromisoformat(data["coverageEndTime"]) > datetime.fromisoformat(data["coverageStartTime"])
    update = data["liveBlogUpdate"][-1]
    assert update["@type"] == "BlogPosting" and update["headline"] == "Polls close"
    assert update["author"] == {"@type": "Person", "name": "Amira Shah"}
    datetime.fromisoformat(update["datePublished"])
    assert "</script><script>" not in html.split('application/ld+json">')[1].split("</script>")[0] + "</script>"


def test_share_card_tags_describe_the_blog_and_each_permalink(client, blog, reporter, publish):
    post = publish(reporter, headline="Mortimer wins", body="<p>A Conservative gain.</p>")
    page = client.get(blog.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Hartlepool by-election: live">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    permalink = client.get(post.get_permalink()).content.decode()
    assert '<meta property="og:title" content="Mortimer wins">' in permalink
    assert '<meta property="og:description" content="A Conservative gain.">' in permalink
    assert f'<link rel="canonical" href="http://testserver/live/hartlepool/posts/{post.pk}/">' in permalink


def test_a_permalink_shows_an_old_post_in_context_and_asks_to_focus_it(client, blog, reporter):
    posts = [post_create(post=Post(blog=blog, headline=f"Update {n}"), actor=reporter).post for n in range(30)]
    old = posts[3]
    html = client.get(old.get_permalink()).content.decode()
    ids = [int(i) for i in re.findall(r'<article id="post-(\d+)"', html)]
    assert ids[0] == old.pk  # the stream starts at it
    assert f'data-focus="post-{old.pk}"' in html
    assert client.get(f"/live/hartlepool/posts/{old.pk + 999}/").status_code == 404


def test_the_atom_feed_updates_edited_entries_and_drops_deleted_ones(client, blog, reporter, editor):
    kept = post_create(post=Post(blog=blog, headline="First take"), actor=reporter).post
    gone = post_create(post=Post(blog=blog, headline="Mistake"), actor=reporter).post
    kept.headline = "Second take"
    post_update(post=kept, actor=reporter)
    post_delete(post=gone, actor=editor)
    feed = ET.fromstring(client.get("/live/hartlepool/feed/").content)  # noqa: S314 (our own feed)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Second take"]
    entry = entries[0]
    assert entry.find(f"{ATOM}updated").text != entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/live/hartlepool/posts/{kept.pk}/")


def test_the_embed_view_is_minimal_and_may_be_framed(client, blog, reporter, publish):
    publish(reporter, headline="Embedded")
    response = client.get("/embed/live/hartlepool/")
    html = response.content.decode()
    assert "Embedded" in html and 'class="masthead"' not in html
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert client.get(blog.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_times_are_labelled_in_the_blogs_zone_across_a_clock_change(client, blog, reporter):
    london = ZoneInfo("Europe/London")
    post_create(post=Post(blog=blog, headline="Winter", published_at=datetime(2021, 1, 10, 7, 42, tzinfo=london)),
              actor=reporter)  # fmt: skip
    post_create(post=Post(blog=blog, headline="Summer", published_at=datetime(2021, 5, 7, 7, 42, tzinfo=london)),
              actor=reporter)  # fmt: skip
    html = client.get(blog.get_absolute_url()).content.decode()
    assert ">07:42 GMT</time>" in html and ">07:42 BST</time>" in html


def test_pictures_get_responsive_sizes_and_load_lazily(client, blog, reporter, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (0, 135, 220)).save(buffer, format="PNG")
    picture = SimpleUploadedFile("count.png", buffer.getvalue(), content_type="image/png")
    post = post_create(post=Post(blog=blog, headline="Count", image=picture, image_credit="Agency",
                               image_caption="The count"), actor=reporter).post  # fmt: skip
    assert post.image_widths == [480, 960, 1440]
    html = client.get(blog.get_absolute_url()).content.decode()
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'loading="lazy"' in img and "-w480.jpg 480w" in img and "-w1440.jpg 1440w" in img
    with Image.open(tmp_path / post.image.name.replace(".png", "-w960.jpg")) as rendition:
        assert rendition.size == (960, 480)


def test_the_live_page_shows_a_declared_x_of_y_strip_for_covered_elections(client, blog, night, results_desk):
    from demo.night import demo_entry
    from results.models import Contest
    from results.services import result_declare

    blog.elections.add(night["local-2021"])
    harlow = Contest.objects.get(slug="harlow")
    spec, entry = demo_entry(harlow)
    result_declare(contest=harlow, entry=entry, declared_at=spec.declared_at, actor=results_desk, expected_version=None)
    html = client.get(blog.get_absolute_url()).content.decode()
    assert "declared 1 of 3" in html
    from streams.models import Event

    frame = Event.objects.filter(stream__key=blog.stream_key).last().html
    assert 'id="scoreboard-strip" class="strip" hx-swap-oob="true"' in frame and "declared 1 of 3" in frame


def test_the_strip_names_the_parties_with_most_seats_and_their_change(client, blog, night, results_desk):
    from tests.helpers import declare_demo_contest

    blog.elections.add(night["hartlepool-2021"])
    strip = client.get(blog.get_absolute_url()).content.decode().split('id="scoreboard-strip"')[1].split("</div>")[0]
    assert "declared 0 of 1" in strip and "strip__seats" not in strip  # nobody has a seat yet
    declare_demo_contest("hartlepool", results_desk)
    strip = client.get(blog.get_absolute_url()).content.decode().split('id="scoreboard-strip"')[1].split("</div>")[0]
    assert '<span class="strip__seats">Con 1 (+1)</span>' in strip  # a gain from Labour, who hold none now
