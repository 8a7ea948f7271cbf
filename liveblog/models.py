import re
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from streams.events import blog_stream

from .times import local, validate_displayable

# A time this little ahead is a clock's drift, not a schedule.
SCHEDULE_AFTER = timedelta(seconds=5)
# How far ahead a post may be dated: a typo in the year must not pin a post above every other.
LATEST_AHEAD = timedelta(days=7)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone, such as Europe/London.")


# Where a block of the body ends (or a line breaks), its text runs into the next's once tags are stripped.
BLOCK_ENDS = re.compile(r"</(?:p|li|h[1-6]|blockquote|ul|ol)>|<br\s*/?>", re.IGNORECASE)


class AuthorProfile(models.Model):
    """The byline a reader sees: a display name and a role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile")
    display_name = models.CharField(max_length=120, help_text="Name as printed in the byline.")
    role = models.CharField(
        max_length=120, blank=True, help_text="Shown under the name, e.g. “Political correspondent”."
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role})" if self.role else self.display_name


class LiveBlogQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=LiveBlog.Status.DRAFT)

    def live_first(self):
        live_rank = models.Case(
            models.When(status=LiveBlog.Status.LIVE, then=0), default=1, output_field=models.IntegerField()
        )
        return self.order_by(live_rank, "-created_at")


class LiveBlog(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    title = models.CharField(max_length=200, help_text="The blog's headline.")
    slug = models.SlugField(unique=True, help_text="Used in the reader's address: /live/this-slug/.")
    standfirst = models.TextField(blank=True, help_text="One or two sentences under the headline.")
    summary = models.TextField(
        "key points", blank=True,
        help_text="The story so far, as a short bulleted list at the top of the page. Readers see each save at once.",
    )  # fmt: skip
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Readers cannot open a draft blog. Live shows a LIVE badge, ended an ENDED badge.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_time_zone],
        help_text="Times on the reader page are shown in this zone.",
    )
    elections = models.ManyToManyField(
        "results.Election", blank=True, related_name="live_blogs",
        help_text="Declarations in these elections appear in the blog as they happen.",
    )  # fmt: skip
    starts_at = models.DateTimeField(
        "coverage starts", default=timezone.now, validators=[validate_displayable],
        help_text="When the blog's coverage begins. Posts cannot be dated earlier; backdating within it is fine.",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = LiveBlogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("liveblog:blog", kwargs={"slug": self.slug})

    @property
    def stream_key(self) -> str:
        return blog_stream(self.pk)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    def due(self, now):
        """Scheduled posts whose time has come, oldest first."""
        return self.filter(status=Post.Status.SCHEDULED, published_at__lte=now).order_by("published_at", "id")

    def pinned(self):
        return self.published().filter(is_pinned=True).order_by("-pinned_at", "-id")

    def stream(self):
        """Published, unpinned posts, newest first: the body of the reader page."""
        return self.published().filter(is_pinned=False).order_by("-published_at", "-id")

    def key_events(self):
        return self.published().filter(is_key_event=True).order_by("-published_at", "-id")

    def key_event_links(self):
        """Just enough of each key event for the Key events list."""
        return self.key_events().only("id", "blog_id", "headline", "body", "published_at")

    def older_than(self, post: "Post"):
        return self.filter(
            models.Q(published_at__lt=post.published_at) | models.Q(published_at=post.published_at, id__lt=post.id)
        )

    def for_display(self):
        return self.select_related("author__author_profile", "result__current", "exit_poll").prefetch_related("quotes")


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned with a note"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    # Never shown to readers and carrying no time of their own: the time is stamped when published.
    UNPUBLISHED = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)

    blog = models.ForeignKey(LiveBlog, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    headline = models.CharField(max_length=200, blank=True, help_text="Optional. Key events are listed by it.")
    body = models.TextField(
        blank=True,
        help_text="Paragraphs, bold, italics, lists and links. Anything else is removed when saved.",
    )
    published_at = models.DateTimeField(
        "time", null=True, blank=True, validators=[validate_displayable],
        help_text="Leave empty to stamp the moment it is published. A time ahead schedules it; an earlier one "
        "backdates it. Shown to readers as HH:MM in the blog's time zone.",
    )  # fmt: skip
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text="Readers see published posts only. A time ahead schedules the post.",
    )
    is_key_event = models.BooleanField("key event", default=False, help_text="Listed under Key events.")
    is_pinned = models.BooleanField("pinned", default=False, editable=False)
    pinned_at = models.DateTimeField(null=True, blank=True, editable=False)
    image = models.ImageField(upload_to="posts/%Y/%m/", blank=True)
    image_caption = models.CharField(max_length=300, blank=True, help_text="What the picture shows.")
    image_credit = models.CharField(max_length=120, blank=True, help_text="Photographer / agency.")
    image_widths = models.JSONField(default=list, blank=True, editable=False)
    # The picture's own size, so pages reserve its space before it loads and nothing below it moves.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    embed_url = models.URLField(
        blank=True,
        help_text="A link to a social post or video. Readers see a link card; no third-party script runs.",
    )
    review_note = models.TextField(
        blank=True, editable=False, help_text="An editor's note to the contributor when a submission is returned."
    )
    correction = models.TextField(
        blank=True, help_text="Shown to readers as “Correction: …” under the post. Say what was wrong."
    )
    # Optimistic lock: a save must name the version it was edited from.
    version = models.PositiveIntegerField(default=0, editable=False)
    # Set on the post that carries a declaration card; the results desk writes it.
    result = models.ForeignKey(
        "results.Result", null=True, blank=True, on_delete=models.CASCADE, related_name="posts", editable=False
    )
    # Set on the post that carries a general election's exit poll card.
    exit_poll = models.ForeignKey(
        "results.ExitPoll", null=True, blank=True, on_delete=models.CASCADE, related_name="posts", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("pin_post", "Can pin and unpin posts"),
            ("edit_any_post", "Can edit and delete other people's posts"),
            ("publish_post", "Can publish posts without approval"),
        ]
        indexes = [models.Index(fields=["blog", "status", "-published_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["blog", "result"], condition=models.Q(result__isnull=False), name="one_card_post_per_result"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "returned"])
                | models.Q(published_at__isnull=False),
                name="published_and_scheduled_posts_have_a_time",
                violation_error_message="A published or scheduled post needs a time.",
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.body_text[:60] or f"Post {self.pk}"

    def get_absolute_url(self) -> str:
        return self.get_permalink()

    def clean(self) -> None:
        # Settled first, so a post refused for its content is not also refused for lacking a time.
        self.settle_time()
        if not (self.headline.strip() or self.body_text or self.image or self.embed_url or self.result_id):
            raise ValidationError("A post needs a headline, a body, a picture or an embed link.")
        if self.image and not self.image_credit.strip():
            raise ValidationError({"image_credit": "A picture must carry a credit."})
        self._check_publishing_window()

    def settle_time(self) -> None:
        """A post going public without a time is stamped now; a time ahead schedules it; a due schedule publishes.

        Run when the post is validated, so "now" is the moment Publish was pressed, not when the form was opened.
        """
        if self.status in self.UNPUBLISHED:
            return
        now = timezone.now()
        if self.published_at is None:
            if self.status == self.Status.SCHEDULED:
                raise ValidationError({"published_at": "A scheduled post needs the time it should appear."})
            self.published_at = now
        elif self.published_at > now + SCHEDULE_AFTER:
            if self.blog_id is not None and self.blog.status == LiveBlog.Status.ENDED:
                raise ValidationError({"published_at": "This blog has ended: nothing can be scheduled in it."})
            self.status = self.Status.SCHEDULED
        elif self.status == self.Status.SCHEDULED:
            self.status = self.Status.PUBLISHED

    def _check_publishing_window(self) -> None:
        if self.published_at is None or self.blog_id is None:
            return
        latest = timezone.now() + LATEST_AHEAD
        if self.published_at > latest:
            raise ValidationError({"published_at": (
                f"A post can be dated at most {LATEST_AHEAD.days} days ahead, until {_shown(latest, self.blog)}."
            )})  # fmt: skip
        # A declaration card is dated by its declaration, whenever the blog began covering the election.
        if self.result_id is None and self.published_at < self.blog.starts_at:
            raise ValidationError({"published_at": (
                f"This blog's coverage starts at {_shown(self.blog.starts_at, self.blog)}; "
                "a post cannot be dated earlier."
            )})  # fmt: skip

    @property
    def body_text(self) -> str:
        """The body as a reader sees it, as plain text: tags gone, entities turned back into characters,
        and a space where one paragraph, line or list item ends and the next begins ("One. Two.", not "One.Two.").

        Whatever shows it (a template, a feed, JSON-LD) escapes it once, for its own format.
        """
        import html

        from django.utils.html import strip_tags

        spaced = BLOCK_ENDS.sub(" ", self.body)
        return " ".join(html.unescape(strip_tags(spaced)).split())

    @property
    def day_label(self) -> str:
        """'Fri 7 May' for a post on a later day than the blog's coverage began: a night past midnight reads right."""
        if self.published_at is None:
            return ""
        posted, began = (local(moment, self.blog.zone) for moment in (self.published_at, self.blog.starts_at))
        if posted is None or began is None or posted.date() == began.date():
            return ""
        day = posted.date()
        return f"{day:%a} {day.day} {day:%b}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def byline(self) -> tuple[str, str]:
        """(display name, role) for readers; falls back to the account name."""
        try:
            profile = self.author.author_profile
        except AuthorProfile.DoesNotExist:
            return (self.author.get_full_name() or self.author.get_username(), "")
        return (profile.display_name, profile.role)

    @property
    def image_srcset(self) -> str:
        from .images import srcset

        return srcset(self.image.name, self.image_widths) if self.image and self.image_widths else ""

    def get_permalink(self) -> str:
        return reverse("liveblog:post", kwargs={"slug": self.blog.slug, "post_id": self.pk})

    @property
    def embed(self):
        from .embeds import embed_card

        return embed_card(self.embed_url) if self.embed_url else None


def _shown(moment, blog: LiveBlog) -> str:
    shown = local(moment, blog.zone)
    return shown.strftime("%-d %b %Y %H:%M") if shown else moment.isoformat()


class Quote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(help_text="The words spoken, without quotation marks.")
    speaker_name = models.CharField(max_length=120, help_text="Who said it.")
    speaker_role = models.CharField(max_length=160, blank=True, help_text="e.g. “former shadow home secretary”.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.text[:50]}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A key for newsroom tools posting through the API, acting as its user.

    Only a hash is stored; the key is shown once, when the token is created.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Wire desk bot”.")
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set to stop the token working.")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiReplay(models.Model):
    """A publishing request's Idempotency-Key, claimed before the post is written, then its answer.

    The claim comes first so that two requests with one key cannot both post: the unique
    constraint lets one of them in, and the other waits for that one's answer.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="replays")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the request the key was first sent with."
    )
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty while still being answered.")
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, help_text="When the key was claimed.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="one_answer_per_token_and_key")]

    def __str__(self) -> str:
        return f"{self.token_id}: {self.key}"

    @property
    def is_answered(self) -> bool:
        return self.status is not None
