"""The reporters' posting form: what it asks, in what order, and what it refuses."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_prose_editor.widgets import AdminProseEditorWidget

from . import images, services, times
from .models import LiveBlog, Post
from .sanitize import EDITOR_EXTENSIONS

# Asked for on every post, in the first screen; the rest is folded until opened.
MAIN_FIELDS = ["blog", "headline", "body", "is_key_event"]
FOLDED = [
    ("Picture", ["image", ("image_caption", "image_credit")]),
    ("Social post or video", ["embed_url"]),
]
CORRECTION = ("Correction", ["correction"])


def rich_text_widget() -> AdminProseEditorWidget:
    """The editor for rich text (post bodies, a blog's key points): exactly the features the cleaner keeps."""
    return AdminProseEditorWidget(config={"extensions": EDITOR_EXTENSIONS}, preset="configurable")


class WallClockDateTimeField(forms.DateTimeField):
    """A time typed as the desk's clock reads it, which the hour clocks go back reads twice.

    A browser's date-time box carries no zone, so in that hour the reading alone is ambiguous,
    and Django refuses it. Here the post's own stored time wins when the reading is unchanged
    (so an edit that leaves the time alone saves), and any other reading in that hour means
    its first occurrence, in summer time, as the help text says.
    """

    stored = None

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as refused:
            if refused.code != "ambiguous_timezone":  # not a reading in a zone's odd hours: a typo
                raise
            wall, zone = self._reading(value), timezone.get_current_timezone()
            if wall is None or timezone.is_aware(wall) or not times.occurs_twice(wall, zone):
                raise refused
            if self.stored is not None and timezone.localtime(self.stored, zone).replace(tzinfo=None) == wall:
                return self.stored
            return wall.replace(tzinfo=zone, fold=0)

    def _reading(self, value) -> datetime | None:
        """The value as typed, before Django puts it in a zone."""
        if isinstance(value, datetime):
            return value
        return parse_datetime(value.strip()) or BaseTemporalField.to_python(self, value)


CONTRIBUTOR_CHOICES = [(Post.Status.SUBMITTED, "Submit for approval"), (Post.Status.DRAFT, "Save as a draft")]


class PostAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save is refused, not applied.

    When it is refused, the form takes the stored version as its new starting point
    and keeps the other person's post in `conflict`, so the reporter can merge the
    two and save again.
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    post_to_ended_blog = forms.BooleanField(
        required=False, label="Post to this ended blog",
        help_text="Needed only when the blog has ended: readers may no longer be watching it.",
    )  # fmt: skip
    # Set for each request by the admin: contributors submit posts, they do not publish them.
    may_publish = True

    class Meta:
        model = Post
        fields = [*services.EDITABLE_FIELDS, "blog"]
        field_classes = {"image": images.PictureField, "published_at": WallClockDateTimeField}
        widgets = {
            "body": rich_text_widget(),
            "published_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: Post | None = None
        if self.instance.pk and not self.is_bound:
            self.fields["edited_version"].initial = self.instance.version
        self._tell_apart_the_repeated_hour()
        if not self.may_publish:
            self.fields["status"].choices = CONTRIBUTOR_CHOICES
            if self.instance.status not in (Post.Status.DRAFT, Post.Status.SUBMITTED):
                self.initial["status"] = Post.Status.SUBMITTED

    def _tell_apart_the_repeated_hour(self) -> None:
        field, stored = self.fields.get("published_at"), self.instance.published_at
        if field is None:  # a contributor's form: they do not set times
            return
        field.stored = stored
        if stored is None:
            return
        zone = timezone.get_current_timezone()
        shown = times.local(stored, zone)
        if shown is not None and times.occurs_twice(shown.replace(tzinfo=None), zone):
            field.help_text = (
                f"Saved as {times.clock(stored, zone)}: the clocks went back that night, so {shown:%H:%M} happened "
                "twice. Left as it is, it stays; another time in that hour means the first, in summer time."
            )

    def clean(self):
        cleaned = super().clean()
        blog = cleaned.get("blog")
        into_ended = not self.instance.pk and blog is not None and blog.status == LiveBlog.Status.ENDED
        if into_ended and not cleaned.get("post_to_ended_blog"):
            self.add_error("post_to_ended_blog", "This blog has ended. Tick the box to post to it anyway.")
        started_from = cleaned.get("edited_version")
        if self.instance.pk and started_from is not None:
            current = Post.objects.filter(pk=self.instance.pk).first()
            if current is not None and current.version != started_from:
                self._start_again_from(current)
                raise services.stale_post_error(current, started_from)
        return cleaned

    def _start_again_from(self, current: Post) -> None:
        self.conflict = current
        self.data = self.data.copy()
        self.data["edited_version"] = str(current.version)


def fieldsets_for(post: Post | None, *, may_publish: bool, into_ended_blog: bool) -> list:
    main = list(MAIN_FIELDS)
    main.append(("status", "published_at") if may_publish else "status")
    if into_ended_blog:
        main.append("post_to_ended_blog")
    main.append("edited_version")
    folded = [*FOLDED, CORRECTION] if post is not None and post.is_published else FOLDED
    return [(None, {"fields": main})] + [
        (title, {"classes": ["collapse"], "fields": fields}) for title, fields in folded
    ]
