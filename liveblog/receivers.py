"""What the live blog does when other apps announce something. Connected in LiveblogConfig.ready."""

from django.dispatch import receiver

from results.signals import result_declared

from .models import LiveBlog
from .services import post_result_card


@receiver(result_declared, dispatch_uid="liveblog.show_declaration_in_covering_blogs")
def show_declaration_in_covering_blogs(sender, *, result, headline: str, declared_at, actor, **kwargs) -> None:
    """Every public blog covering the election gets the declaration card as a key-event post."""
    for blog in LiveBlog.objects.public().filter(elections=result.contest.election_id):
        post_result_card(blog=blog, result=result, actor=actor, headline=headline, declared_at=declared_at)
