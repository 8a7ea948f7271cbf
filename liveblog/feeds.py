"""An Atom feed per blog: an edit updates its entry, a deletion drops it."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from .models import LiveBlog

FEED_LENGTH = 50


class BlogFeed(Feed):
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
        posts = blog.posts.published().select_related("author__author_profile", "blog")
        return posts.order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_title(self, post):
        return post.headline or post.body_text[:100]

    def item_description(self, post):
        return post.body

    def item_link(self, post):
        return post.get_permalink()

    def item_guid(self, post):
        return f"post-{post.pk}"

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.edited_at or post.published_at

    def item_author_name(self, post):
        return post.byline[0]
