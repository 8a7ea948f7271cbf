"""What the live blog does when other apps announce something. Connected in LiveblogConfig.ready."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from results.signals import exit_poll_published, result_declared
from streams import events

from .models import LiveBlog
from .services import post_exit_poll_card, post_result_card


@receiver(result_declared, dispatch_uid="liveblog.show_declaration_in_covering_blogs")
def show_declaration_in_covering_blogs(sender, *, result, headline: str, declared_at, actor, **kwargs) -> None:
    """Every public blog covering the election gets the declaration card as a key-event post."""
    for blog in LiveBlog.objects.public().filter(elections=result.contest.election_id):
        post_result_card(blog=blog, result=result, actor=actor, headline=headline, declared_at=declared_at)


@receiver(exit_poll_published, dispatch_uid="liveblog.pin_exit_poll_in_covering_blogs")
def pin_exit_poll_in_covering_blogs(sender, *, exit_poll, actor, **kwargs) -> None:
    """Every public blog covering the election gets the exit poll as a pinned key event."""
    for blog in LiveBlog.objects.public().filter(elections=exit_poll.election_id):
        post_exit_poll_card(blog=blog, exit_poll=exit_poll, actor=actor)


@receiver(post_delete, sender=LiveBlog, dispatch_uid="liveblog.delete_stream_of_deleted_blog")
def delete_stream_of_deleted_blog(sender, *, instance: LiveBlog, **kwargs) -> None:
    """A blog is deleted only from the admin, by a superuser, and there is no service in between:
    its stream, stored events and every process's memory of them go with it."""
    events.stream_delete(stream_key=instance.stream_key)
