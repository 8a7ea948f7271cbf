"""The reporters' posting form: what it asks, in what order, and what it refuses."""

from django import forms
from django_prose_editor.widgets import AdminProseEditorWidget

from . import images, services
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
        field_classes = {"image": images.PictureField, "published_at": forms.DateTimeField}
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
        if not self.may_publish:
            self.fields["status"].choices = CONTRIBUTOR_CHOICES
            if self.instance.status not in (Post.Status.DRAFT, Post.Status.SUBMITTED):
                self.initial["status"] = Post.Status.SUBMITTED

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
