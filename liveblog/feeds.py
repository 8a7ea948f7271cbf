"""An Atom feed per blog: an edit updates its entry, a deletion drops it."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from results.summary import declaration_for

from .models import LiveBlog

FEED_LENGTH = 50


class BlogFeed(Feed):
    """Entry ids are the posts' whole permalinks (Django's default for an entry without a guid): stable URIs."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(LiveBlog.objects.public(), slug=slug)

    def title(self, blog):
        return blog.title

    def subtitle(self, blog):
        return blog.standfirst

    def link(self, blog):
        return blog.get_absolute_url()

    def items(self, blog):
        posts = blog.posts.published().select_related("author__author_profile", "blog", "result__current", "exit_poll")
        return posts.order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_title(self, post):
        return post.headline or post.body_text[:100]

    def item_description(self, post):
        """The body; a declaration card's post says the result in words."""
        if post.body or post.result_id is None or post.result.current is None:
            return post.body
        revision = post.result.current
        # Stored when declared; a revision from before words were stored has them worked out here.
        return revision.facts.get("words") or declaration_for(revision).in_words()

    def item_link(self, post):
        return post.get_permalink()

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.edited_at or post.published_at

    def item_author_name(self, post):
        return post.byline[0]
