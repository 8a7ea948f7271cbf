from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import http, selectors
from .models import LiveBlog


@require_safe
def home(request):
    blogs = LiveBlog.objects.public().live_first()
    return render(request, "liveblog/home.html", {"blogs": blogs})


@require_safe
def blog_detail(request, slug):
    blog = get_object_or_404(LiveBlog.objects.public(), slug=slug)
    before = selectors.cursor_post(blog, request.GET.get("before"))
    if request.htmx and before is not None:
        page = selectors.stream_page(blog, before=before)
        return render(request, "liveblog/_stream_page.html", {"blog": blog, "page": page})
    if request.htmx and request.GET.get("fragment") == "live":
        page = selectors.reader_page(blog)
        return render(request, "liveblog/_live_area.html", {"blog": blog, "page": page})

    def render_page():
        page = selectors.reader_page(blog, before=before)
        return render(request, "liveblog/blog_detail.html", {"blog": blog, "page": page})

    variant = f"before-{before.pk}" if before else "top"
    return http.page_for_seq(request, stream_key=blog.stream_key, variant=variant, render=render_page)


@require_safe
def blog_events(request, slug):
    blog = get_object_or_404(LiveBlog.objects.public().only("pk"), slug=slug)
    return http.events_since(request, stream_key=blog.stream_key)
