from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from results.selectors import elections_listed
from streams import http

from . import selectors, seo
from .models import LiveBlog


@require_safe
def home(request):
    return render(request, "liveblog/home.html", {**_blog_sections(), "elections": elections_listed()})


@require_safe
def blog_index(request):
    return render(request, "liveblog/blog_index.html", _blog_sections())


def _blog_sections() -> dict:
    """The public blogs in the sections a front page shows: live now (said if none), coming up, ended."""
    now = timezone.now()
    lists = selectors.blog_lists(now)
    sections = [("Live now", lists.live, "Nothing is live right now."), ("Coming up", lists.upcoming, ""),
                ("Ended", lists.ended, "")]  # fmt: skip
    return {"sections": sections, "now": now}


def _page_context(request, page, *, focus=None) -> dict:
    blog = page.blog
    posts = page.pinned + page.stream.posts
    subject = focus or None
    title = subject.headline or blog.title if subject else blog.title
    description = seo.post_summary(subject) if subject else blog.standfirst
    url = request.build_absolute_uri(subject.get_permalink() if subject else blog.get_absolute_url())
    image = request.build_absolute_uri(subject.image.url) if subject and subject.image else ""
    return {
        "blog": blog,
        "page": page,
        "share_tags": seo.share_tags(title=title, description=description, url=url, image=image),
        "canonical": url,
        "structured_data": seo.live_blog_posting(blog, posts, request.build_absolute_uri),
    }


def _reader(request, blog, page, template="liveblog/blog_detail.html"):
    return render(request, template, _page_context(request, page, focus=page.focus))


@require_safe
@vary_on_headers("HX-Request")  # the same address answers a fragment to htmx
def blog_detail(request, slug):
    blog = get_object_or_404(LiveBlog.objects.public(), slug=slug)
    before = selectors.cursor_post(blog, request.GET.get("before"))
    if request.htmx and before is not None:
        page = selectors.stream_page(blog, before=before)
        return render(request, "liveblog/_stream_page.html", {"blog": blog, "page": page})
    if request.htmx and request.GET.get("fragment") == "live":
        page = selectors.reader_page(blog)
        return render(request, "liveblog/_live_area.html", {"blog": blog, "page": page})
    variant = f"before-{before.pk}" if before else "top"
    return http.page_for_seq(
        request, stream_key=blog.stream_key, variant=variant, reads=("before",),
        render=lambda: _reader(request, blog, selectors.reader_page(blog, before=before)),
    )  # fmt: skip


@require_safe
def post_permalink(request, slug, post_id):
    blog = get_object_or_404(LiveBlog.objects.public(), slug=slug)
    post = get_object_or_404(blog.posts.published().select_related("blog"), pk=post_id)
    return http.page_for_seq(
        request, stream_key=blog.stream_key, variant=f"post-{post.pk}",
        render=lambda: _reader(request, blog, selectors.permalink_page(blog, post)),
    )  # fmt: skip


@require_safe
@xframe_options_exempt
def blog_embed(request, slug):
    """A minimal live view for other sites' iframes."""
    blog = get_object_or_404(LiveBlog.objects.public(), slug=slug)
    return http.page_for_seq(
        request, stream_key=blog.stream_key, variant="embed",
        render=lambda: _reader(request, blog, selectors.reader_page(blog), "liveblog/embed.html"),
    )  # fmt: skip


@require_safe
def key_events(request, slug):
    """Every key event of the blog, newest first: where the Key events box links when it lists only the latest."""
    blog = get_object_or_404(LiveBlog.objects.public(), slug=slug)
    return http.page_for_seq(
        request, stream_key=blog.stream_key, variant="key-events",
        render=lambda: render(request, "liveblog/key_events.html", {
            "blog": blog, "key_events": selectors.all_key_events(blog), "canonical": request.build_absolute_uri(),
        }),
    )  # fmt: skip


@require_safe
def blog_events(request, slug):
    blog = get_object_or_404(LiveBlog.objects.public().only("pk"), slug=slug)
    return http.events_since(request, stream_key=blog.stream_key)
