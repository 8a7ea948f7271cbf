"""The demo: the Hartlepool by-election night (people, a live blog, its posts) and the 2024 general election to replay.

Figures are the real ones; every sentence is written for this demo, and the
quotes are illustrative paraphrases, not words anyone said.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from liveblog import services
from liveblog.models import AuthorProfile, LiveBlog, Post
from liveblog.services import QuoteData
from results.models import Result

from . import night_2024
from .night import load_elections
from .replay import contests_in_order, declare

LONDON = ZoneInfo("Europe/London")
BLOG_SLUG = "hartlepool-by-election-2021"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str
    display_name: str
    role: str


DEMO_USERS = [
    DemoUser("reporter", "reporter-demo-2021", "Reporter", "Amira Shah", "Political correspondent"),
    DemoUser("reporter2", "reporter-demo-2021", "Reporter", "Tom Ellery", "North East reporter"),
    DemoUser("editor", "editor-demo-2021", "Editor", "Helen Marsh", "Live editor"),
    DemoUser("results", "results-demo-2021", "Results desk", "Results desk", "Election data team"),
    DemoUser("contributor", "contributor-demo-2021", "Contributor", "Sam Okafor", "Community contributor"),
]


@dataclass(frozen=True)
class DemoPost:
    author: str
    at: tuple[int, int, int]  # day in May 2021, hour, minute (UK time)
    headline: str
    body: str
    quotes: tuple[QuoteData, ...] = ()
    key: bool = False
    pin: bool = False
    picture: str = ""
    embed_url: str = ""


POSTS = [
    DemoPost(
        "reporter2",
        (6, 22, 0),
        "Polls close in Hartlepool",
        "<p>Voting has ended in the by-election and in thousands of council seats across England. "
        "Ballot boxes are on their way to the count at the Mill House leisure centre.</p>",
        key=True,
    ),
    DemoPost(
        "reporter",
        (6, 22, 40),
        "",
        "<p>Labour has held Hartlepool since the seat was created in 1974. In 2019 it won by "
        "<strong>3,595</strong> votes, with the Brexit Party splitting the vote that might have gone "
        "to the Conservatives.</p>",
    ),
    DemoPost(
        "reporter2",
        (7, 0, 30),
        "Counting under way",
        "<p>Staff have started verifying the ballot papers. Both main parties are keeping their "
        "expectations low in public.</p>",
        quotes=(
            QuoteData(
                "We have worked for every vote, and we will wait for every vote to be counted.",
                "Paul Williams",
                "Labour candidate (illustrative paraphrase)",
            ),
        ),
    ),
    DemoPost(
        "reporter",
        (7, 2, 15),
        "Conservatives sound confident",
        "<p>Party figures at the count say their tallies point to a clear lead.</p>",
        quotes=(
            QuoteData(
                "People here want change, and they have been telling us so on the doorstep.",
                "Jill Mortimer",
                "Conservative candidate (illustrative paraphrase)",
            ),
        ),
        picture="Counting tables at the Hartlepool count",
    ),
    DemoPost(
        "editor",
        (7, 4, 20),
        "Jill Mortimer wins Hartlepool for the Conservatives",
        "<p>The Conservatives have taken Hartlepool from Labour with <strong>15,529</strong> votes to "
        "Labour's <strong>8,589</strong>, a majority of <strong>6,940</strong>. It is the first time the "
        "party has won the seat.</p>",
        quotes=(
            QuoteData(
                "This result belongs to the people of Hartlepool, who have voted for something new.",
                "Jill Mortimer",
                "new MP for Hartlepool (illustrative paraphrase)",
            ),
        ),
        key=True,
        pin=True,
    ),
    DemoPost(
        "reporter",
        (7, 5, 10),
        "Labour reaction",
        "<p>Senior Labour figures describe the result as a serious blow and promise to listen.</p>",
        quotes=(
            QuoteData(
                "We lost the trust of voters here, and it is on us to earn it back.",
                "Labour frontbencher",
                "speaking at the count (illustrative paraphrase)",
            ),
        ),
    ),
    DemoPost(
        "reporter2",
        (7, 11, 30),
        "Harlow council gained by the Conservatives",
        "<p>The Conservatives have taken control of Harlow council in Essex from Labour.</p>",
        key=True,
    ),
    DemoPost(
        "reporter2",
        (7, 14, 5),
        "Nuneaton and Bedworth turns blue",
        "<p>Nuneaton and Bedworth council in Warwickshire is a Conservative gain as well.</p>",
        key=True,
        embed_url="https://www.youtube.com/watch?v=example-count",
    ),
]


def _demo_picture(caption: str) -> ContentFile:
    image = Image.new("RGB", (960, 540), (0, 86, 137))
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate([(0, 135, 220), (228, 0, 59), (250, 166, 26)]):
        draw.rectangle([120 + i * 260, 400 - (3 - i) * 90, 300 + i * 260, 470], fill=colour)
    draw.text((40, 40), f"Illustrative demo picture: {caption}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="demo-count.png")


def ensure_users() -> dict:
    users = {}
    for spec in DEMO_USERS:
        user, _ = get_user_model().objects.get_or_create(username=spec.username)
        user.is_staff = True
        user.set_password(spec.password)
        user.save()
        user.groups.add(Group.objects.get(name=spec.group))
        AuthorProfile.objects.update_or_create(
            user=user, defaults={"display_name": spec.display_name, "role": spec.role}
        )
        users[spec.username] = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    return users


def _declare_hartlepool(blog: LiveBlog, users) -> None:
    for contest, spec in contests_in_order():
        if contest.slug == "hartlepool" and not Result.objects.filter(contest=contest, current__isnull=False).exists():
            declare(contest, spec, users["results"])
            services.post_pin(post=blog.posts.get(result__contest=contest), actor=users["editor"])


@transaction.atomic
def load_demo() -> LiveBlog:
    users = ensure_users()
    elections = load_elections()
    blog = LiveBlog.objects.filter(slug=BLOG_SLUG).first()
    if blog is None:
        blog = services.blog_save(
            blog=LiveBlog(
                slug=BLOG_SLUG,
                title="Hartlepool by-election and local elections 2021: live",
                standfirst="Results through the night from the Hartlepool count and councils across England. "
                "Demo content: figures are real, quotes are illustrative paraphrases.",
                status=LiveBlog.Status.LIVE,
                starts_at=datetime(2021, 5, 6, 7, 0, tzinfo=LONDON),  # polls open
            ),
            actor=users["editor"],
        )
    blog.elections.add(*elections.values())
    night_2024.make_ready(users["results"])  # the general election of 2024, waiting for its replay
    if blog.posts.exists():
        return blog
    for spec in POSTS:
        day, hour, minute = spec.at
        post = Post(
            blog=blog,
            author=users[spec.author],
            headline=spec.headline,
            body=spec.body,
            published_at=datetime(2021, 5, day, hour, minute, tzinfo=LONDON),
            is_key_event=spec.key,
            embed_url=spec.embed_url,
        )
        if spec.picture:
            post.image = _demo_picture(spec.picture)
            post.image_caption = spec.picture
            post.image_credit = "Demo graphic"
        services.post_create(post=post, actor=users[spec.author], quotes=list(spec.quotes))
        if spec.pin:
            services.post_pin(post=post, actor=users["editor"])
    _declare_hartlepool(blog, users)
    # One submission waits for an editor, so the approval queue can be tried at once.
    services.post_create(
        post=Post(blog=blog, headline="Queue at the Seaton polling station", status=Post.Status.SUBMITTED,
                  body="<p>About thirty voters were queueing at 21:45; the presiding officer says all will vote.</p>"),
        actor=users["contributor"],
    )  # fmt: skip
    return blog
