"""Every write to live blogs and posts goes through these functions.

Each validates, writes and appends the matching event in one transaction;
the event is broadcast only after commit.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from streams import events
from streams.conflicts import ConflictError, describe_changes, stale

from . import frames, images, permissions
from .models import LiveBlog, Post, Quote
from .sanitize import sanitize_body


@dataclass(frozen=True)
class QuoteData:
    text: str
    speaker_name: str
    speaker_role: str = ""


CONTENT_FIELDS = (
    "headline", "body", "image", "image_caption", "image_credit", "embed_url", "is_key_event", "correction",
)  # fmt: skip
EDITABLE_FIELDS = [*CONTENT_FIELDS, "status", "published_at"]

QUOTE_DELETED_WITH_POST = "deleted with its post"


def _content(post: Post, quotes) -> tuple:
    values = tuple(str(getattr(post, name)) for name in CONTENT_FIELDS)
    return values + tuple((q.text, q.speaker_name, q.speaker_role) for q in quotes)


def _replace_quotes(post: Post, quotes: list[QuoteData], *, is_new: bool) -> None:
    if not is_new:
        post.quotes.all().delete()
    for position, data in enumerate(quotes):
        quote = Quote(post=post, position=position, **data.__dict__)
        quote.full_clean()
        quote.save()


def _post_event_kind(was_public: bool, is_public: bool) -> str | None:
    if is_public:
        return events.POST_UPDATED if was_public else events.POST_PUBLISHED
    return events.POST_DELETED if was_public else None


@dataclass(frozen=True)
class PostChange:
    """A saved post and the seq readers see the change at (None when readers see nothing, as for a draft)."""

    post: Post
    seq: int | None


class EndedBlogError(ValidationError):
    """The blog has ended: a post goes into it only when the caller says so explicitly."""

    def __init__(self):
        super().__init__("This blog has ended. Confirm that this update should still go into it.", code="ended")


def post_create(*, post: Post, actor, quotes: list[QuoteData] | None = None, allow_ended: bool = False) -> PostChange:
    """Write a new post (with its quotes, in order) and tell readers if it is published.

    Without a time, a published post is stamped the moment it is saved; a time ahead schedules it.
    """
    if post.pk is not None:
        raise ValueError("post_create writes new posts; edit one with post_update.")
    if not permissions.can_add_post(actor, post.blog):
        raise PermissionDenied("You may not post to this blog.")
    if post.blog.status == LiveBlog.Status.ENDED and not allow_ended:
        raise EndedBlogError()
    if not post.author_id:
        post.author = actor
    return _write_post(post=post, actor=actor, quotes=quotes, expected_version=None)


def post_update(
    *, post: Post, actor, quotes: list[QuoteData] | None = None, expected_version: int | None = None
) -> PostChange:
    """Edit a post and tell readers what changed.

    `post` carries the new field values; `quotes`, when given, replaces the
    post's quotes in order. An edit naming the version it started from is
    refused with a ConflictError if someone saved the post since.
    """
    if post.pk is None:
        raise ValueError("post_update edits existing posts; write a new one with post_create.")
    return _write_post(post=post, actor=actor, quotes=quotes, expected_version=expected_version)


def _write_post(*, post: Post, actor, quotes, expected_version) -> PostChange:
    # A new picture and its renditions are written before the post's row is locked,
    # and removed again if the save does not go through.
    written = images.store_new_picture(post)
    try:
        with transaction.atomic():
            return _save_locked(post=post, actor=actor, quotes=quotes, expected_version=expected_version)
    except BaseException:
        images.remove(written)
        raise


def _save_locked(*, post: Post, actor, quotes, expected_version) -> PostChange:
    previous = Post.objects.select_for_update().filter(pk=post.pk).first() if post.pk else None
    if post.pk and previous is None:
        raise ValidationError("This post has been deleted; an edit cannot bring it back.")
    if previous is not None:
        if not permissions.can_edit_post(actor, previous):
            raise PermissionDenied("You may edit only your own posts.")
        if expected_version is not None and expected_version != previous.version:
            raise stale_post_error(previous, expected_version)
        post.version = previous.version + 1
        # Pinning is not an edit: keep what is stored.
        post.is_pinned, post.pinned_at, post.author_id = previous.is_pinned, previous.pinned_at, previous.author_id
    post.body = sanitize_body(post.body)
    post.settle_time()
    if post.status not in Post.UNPUBLISHED and not permissions.can_publish(actor):
        raise PermissionDenied("Your posts go to an editor for approval: submit it instead of publishing.")
    if post.is_published:
        post.review_note = ""
    was_public = previous is not None and previous.is_published
    if previous is not None:
        old_quotes = list(previous.quotes.all())
        new_quotes = quotes if quotes is not None else old_quotes
        if was_public and post.is_published and _content(post, new_quotes) != _content(previous, old_quotes):
            post.edited_at = timezone.now()
    if not post.is_published:
        post.is_pinned, post.pinned_at = False, None
    # The blog and author are rows the caller already holds; the database's
    # foreign keys still refuse a missing one, and the whole save rolls back.
    post.full_clean(exclude=["blog", "author"])
    post._history_user = actor
    post.save()
    if quotes is not None:
        _replace_quotes(post, quotes, is_new=previous is None)
    kind = _post_event_kind(was_public, post.is_published)
    if kind is None:
        return PostChange(post=post, seq=None)
    if kind == events.POST_DELETED:
        _withdraw_text(post.blog, post.pk)
    event = events.append(stream_key=post.blog.stream_key, kind=kind, render=frames.post_frame(post, kind))
    return PostChange(post=post, seq=event.seq)


def posts_publish_due() -> int:
    """Publish every scheduled post whose time has come, oldest first, each as an ordinary event with its own seq.

    Every server process runs this on a timer (streams.jobs). A post is taken with its row
    locked and locked rows skipped, so two processes never publish the same post; on
    SQLite the immediate transaction serialises them, and the second finds it published.
    """
    published = 0
    while True:
        with transaction.atomic():
            due = Post.objects.due(timezone.now()).select_for_update(skip_locked=True, of=("self",))
            post = due.select_related("blog").first()
            if post is None:
                return published
            post.status = Post.Status.PUBLISHED
            post.save(update_fields=["status"])
            kind = events.POST_PUBLISHED
            events.append(stream_key=post.blog.stream_key, kind=kind, render=frames.post_frame(post, kind))
        published += 1


def post_publish_now(*, post: Post, actor) -> PostChange:
    """An editor publishes a scheduled post at once, stamped now."""
    post = _stored_with_status(post, Post.Status.SCHEDULED, doing="published now")
    post.status, post.published_at = Post.Status.PUBLISHED, None
    return post_update(post=post, actor=actor)


def post_unschedule(*, post: Post, actor) -> PostChange:
    """An editor cancels a schedule: the post goes back to being a draft, keeping its time."""
    post = _stored_with_status(post, Post.Status.SCHEDULED, doing="cancelled")
    post.status = Post.Status.DRAFT
    return post_update(post=post, actor=actor)


def post_approve(*, post: Post, actor) -> PostChange:
    """An editor publishes a contributor's submission, stamped the moment it is approved."""
    if not permissions.can_approve(actor):
        raise PermissionDenied("Only editors approve submissions.")
    post = _stored_with_status(post, Post.Status.SUBMITTED, doing="approved")
    post.status, post.published_at = Post.Status.PUBLISHED, None
    return post_update(post=post, actor=actor)


def post_return(*, post: Post, actor, note: str) -> PostChange:
    """An editor sends a submission back to its contributor with a note saying what to change."""
    if not permissions.can_approve(actor):
        raise PermissionDenied("Only editors return submissions.")
    if not note.strip():
        raise ValidationError({"review_note": "Say what the contributor should change."})
    post = _stored_with_status(post, Post.Status.SUBMITTED, doing="returned")
    post.status, post.review_note = Post.Status.RETURNED, note.strip()
    return post_update(post=post, actor=actor)


def _stored_with_status(post: Post, status: str, *, doing: str) -> Post:
    stored = Post.objects.select_related("blog").get(pk=post.pk)
    if stored.status != status:
        raise ValidationError(f"Only a post that is {Post.Status(status).label.lower()} can be {doing}.")
    return stored


def post_delete(*, post: Post, actor) -> None:
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_delete_post(actor, post):
            raise PermissionDenied("You may delete only your own posts.")
        post_id, was_public = post.pk, post.is_published
        # Quotes go first, marked, so a restore can bring back exactly these.
        for quote in post.quotes.all():
            quote._history_user, quote._change_reason = actor, QUOTE_DELETED_WITH_POST
            quote.delete()
        post._history_user = actor
        post.delete()
        if was_public:
            _withdraw_text(post.blog, post_id)
            kind = events.POST_DELETED
            events.append(
                stream_key=post.blog.stream_key, kind=kind, render=frames.post_frame(post, kind, post_id=post_id)
            )


def _withdraw_text(blog: LiveBlog, post_id: int) -> None:
    """No replay serves a withdrawn post's text again: each stored event that showed it becomes a
    removal at the same seq, and Key events lists stored in other events lose its entry."""
    as_post, as_key_event = frames.post_mentions(post_id)
    events.rewrite_stored(stream_key=blog.stream_key, containing=as_post, rewrite=frames.post_tombstone(post_id))
    events.rewrite_stored(
        stream_key=blog.stream_key, containing=as_key_event, rewrite=frames.without_key_event(post_id)
    )


def _set_pinned(*, post: Post, actor, pinned: bool) -> Post:
    if not permissions.can_pin(actor):
        raise PermissionDenied("Only editors can pin posts.")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("blog").get(pk=post.pk)
        if post.is_pinned == pinned:
            return post
        if pinned and not post.is_published:
            raise PermissionDenied("Publish a post before pinning it.")
        post.is_pinned = pinned
        post.pinned_at = timezone.now() if pinned else None
        post._history_user = actor
        post.save(update_fields=["is_pinned", "pinned_at"])
        kind = events.POST_PINNED if pinned else events.POST_UNPINNED
        events.append(stream_key=post.blog.stream_key, kind=kind, render=frames.post_frame(post, kind))
    return post


def post_pin(*, post: Post, actor) -> Post:
    return _set_pinned(post=post, actor=actor, pinned=True)


def post_unpin(*, post: Post, actor) -> Post:
    return _set_pinned(post=post, actor=actor, pinned=False)


def stale_post_error(current: Post, expected_version: int) -> ConflictError:
    seen = current.history.filter(version=expected_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    return stale(
        who=latest.history_user if latest else None,
        when=latest.history_date if latest else None,
        what="post",
        changes=describe_changes(seen.instance if seen else None, current, EDITABLE_FIELDS),
    )


def post_restore(*, history_id: int, actor) -> Post:
    """Bring back a deleted post, with its id, quotes and place in the stream."""
    if not permissions.can_restore_posts(actor):
        raise PermissionDenied("Only editors can restore deleted posts.")
    with transaction.atomic():
        record = Post.history.filter(history_id=history_id, history_type="-").first()
        if record is None:
            raise ValidationError("There is no deleted post with that history entry.")
        if Post.objects.filter(pk=record.id).exists():
            raise ValidationError("That post exists: it has already been restored.")
        post = record.instance
        post.is_pinned, post.pinned_at = False, None
        post.version += 1
        post._history_user = actor
        post.full_clean(validate_unique=False)
        post.save(force_insert=True)
        earlier = (
            Post.history.filter(id=record.id, history_type="-", history_date__lt=record.history_date)
            .order_by("-history_date").values_list("history_date", flat=True).first()
        )  # fmt: skip
        quote_records = Quote.history.filter(
            post_id=record.id, history_type="-", history_change_reason=QUOTE_DELETED_WITH_POST,
            history_date__lte=record.history_date,
        ).order_by("position", "id")  # fmt: skip
        if earlier is not None:
            quote_records = quote_records.filter(history_date__gt=earlier)
        for quote in quote_records:
            Quote.objects.create(post=post, text=quote.text, speaker_name=quote.speaker_name,
                                 speaker_role=quote.speaker_role, position=quote.position)  # fmt: skip
        if post.is_published:
            kind = events.POST_PUBLISHED
            events.append(stream_key=post.blog.stream_key, kind=kind, render=frames.post_frame(post, kind))
    return post


def is_key_declaration(contest) -> bool:
    """Every declaration is a key event, except on a night with seats to watch: then only theirs are."""
    return contest.watched or not type(contest).objects.filter(election=contest.election_id, watched=True).exists()


def post_result_card(*, blog: LiveBlog, result, actor, headline: str, declared_at) -> Post:
    """Create or refresh the post that carries a result's declaration card in a blog.

    Called when results announce a declaration (liveblog/receivers.py); the results
    service has already checked the actor may declare, and the card itself is
    rendered once and stored with the revision.
    """
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(blog=blog, result=result).first()
        if post is None:
            post = Post(blog=blog, result=result, author=actor, published_at=declared_at,
                        is_key_event=is_key_declaration(result.contest))  # fmt: skip
            kind = events.POST_PUBLISHED
        else:
            post.edited_at = timezone.now()
            kind = events.POST_UPDATED
        post.headline = headline
        post.full_clean()
        post.save()
        post.blog = blog
        strip = frames.scoreboard_strip_html(blog, oob=True)
        events.append(stream_key=blog.stream_key, kind=kind, render=frames.post_frame(post, kind, extra=(strip,)))
    return post


def post_exit_poll_card(*, blog: LiveBlog, exit_poll, actor) -> Post:
    """Create or refresh the pinned key-event post that carries the exit poll's card in a blog.

    Called when results publish the exit poll (liveblog/receivers.py); they have checked the actor.
    """
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(blog=blog, exit_poll=exit_poll).first()
        headline = f"Exit poll: {exit_poll.headline}"
        if post is None:
            now = timezone.now()
            post = Post(blog=blog, exit_poll=exit_poll, author=actor, published_at=exit_poll.published_at,
                        is_key_event=True, is_pinned=True, pinned_at=now, headline=headline)  # fmt: skip
            kind = events.POST_PUBLISHED
        else:
            post.edited_at, post.headline = timezone.now(), headline
            kind = events.POST_UPDATED
        post.full_clean()
        post.save()
        strip = frames.scoreboard_strip_html(blog, oob=True)
        events.append(stream_key=blog.stream_key, kind=kind, render=frames.post_frame(post, kind, extra=(strip,)))
    return post


def blog_save(*, blog: LiveBlog, actor) -> LiveBlog:
    """Create or edit a live blog; readers of a public blog see header changes live.

    A blog taken back to draft tells its open pages it is withdrawn, and they show nothing new;
    made public again, it tells them so, and they carry on from where it was withdrawn.
    """
    if not permissions.can_save_blog(actor, blog):
        raise PermissionDenied("Only editors can change a live blog.")
    blog.summary = sanitize_body(blog.summary)
    with transaction.atomic():
        previous_status = (
            LiveBlog.objects.select_for_update().filter(pk=blog.pk).values_list("status", flat=True).first()
        )
        blog.full_clean()
        blog.save()
        if blog.status != LiveBlog.Status.DRAFT:
            kind = events.STREAM_REOPENED if previous_status == LiveBlog.Status.DRAFT else events.BLOG_UPDATED
            events.append(stream_key=blog.stream_key, kind=kind, render=frames.blog_frame(blog, kind))
        elif previous_status not in (None, LiveBlog.Status.DRAFT):
            events.append(stream_key=blog.stream_key, kind=events.STREAM_CLOSED, render=frames.withdrawn_frame(blog))
    return blog
