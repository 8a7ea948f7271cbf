"""Posts in the admin: the posting form, the editors' list, approval and deleted posts."""

from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from results.history_admin import ReadOnlyHistoryAdmin
from streams.http import whole_number

from . import permissions, services, times
from .models import LiveBlog, Post, Quote
from .post_form import PostAdminForm, fieldsets_for
from .services import QuoteData

LATEST_ON_FORM = 10
# Short enough for the Posts list's column at 1366 px.
SHORT_STATUS = {Post.Status.SUBMITTED: "For approval", Post.Status.RETURNED: "Returned"}


class QuoteInline(admin.StackedInline):
    model = Quote
    fields = ["text", "speaker_name", "speaker_role"]
    extra = 1
    classes = ["collapse"]


def quotes_from(formsets) -> list[QuoteData] | None:
    """The quotes as entered, or None where the form had no quotes (changelist edits)."""
    if not formsets:
        return None
    quotes = []
    for formset in formsets:
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE") and data.get("text"):
                quotes.append(QuoteData(data["text"], data["speaker_name"], data.get("speaker_role", "")))
    return quotes


def error_text(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


@admin.register(Post)
class PostAdmin(ReadOnlyHistoryAdmin):
    form = PostAdminForm
    change_form_template = "admin/liveblog/post/change_form.html"
    change_list_template = "admin/liveblog/post/change_list.html"
    inlines = [QuoteInline]
    list_display = ["title", "state", "is_key_event", "pinned", "time", "author_name"]
    list_display_links = ["title"]
    list_editable = ["is_key_event"]
    list_filter = ["status", "is_key_event", "is_pinned", "blog"]
    search_fields = ["headline", "body"]
    actions = ["publish_now", "cancel_schedule"]
    list_per_page = 50

    class Media:
        css = {"all": ["liveblog/desk.css"]}
        js = ["liveblog/desk.js"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("blog", "author__author_profile")
        return permissions.visible_posts(request.user, queryset)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """The versions listed on a post's history page and the only ones its version pages show."""
        versions = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return permissions.visible_posts(request.user, versions)

    def get_list_display(self, request):
        """Editors get the one-click Pin button; reporters see whether a post is pinned; contributors, their notes."""
        if not permissions.can_publish(request.user):
            return ["title", "state", "review_note", "time"]
        if permissions.can_pin(request.user):
            return self.list_display
        return [("pinned_state" if name == "pinned" else name) for name in self.list_display]

    @admin.display(description="Post", ordering="headline")
    def title(self, post):
        return str(post)[:90]

    @admin.display(description="Status", ordering="status")
    def state(self, post):
        return SHORT_STATUS.get(post.status, post.get_status_display())

    @admin.display(description="Author", ordering="author__author_profile__display_name")
    def author_name(self, post):
        return post.byline[0]

    @admin.display(description="Time", ordering="published_at")
    def time(self, post):
        if post.published_at is None:
            return "—"
        shown = times.local(post.published_at, post.blog.zone)
        if shown is None:
            return post.published_at.isoformat()
        return f"{shown:%-d %b} {times.clock(post.published_at, post.blog.zone)}"

    @admin.display(description="Pinned", ordering="is_pinned")
    def pinned(self, post):
        """One click pins or unpins, for editors; the button posts the changelist's own form, CSRF token included."""
        if not post.is_published:
            return "—"
        label = "Unpin" if post.is_pinned else "Pin"
        url = reverse("admin:liveblog_post_pin", args=[post.pk])
        return format_html(
            '<button type="submit" class="button pin-toggle" formaction="{}" formmethod="post" '
            'aria-label="{} “{}”">{}</button>', url, label, str(post)[:60], label,
        )  # fmt: skip

    @admin.display(description="Pinned", ordering="is_pinned")
    def pinned_state(self, post):
        return "Pinned" if post.is_pinned else "—"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_restore": permissions.can_restore_posts(request.user),
            "may_approve": permissions.can_approve(request.user),
            "waiting": Post.objects.filter(status=Post.Status.SUBMITTED).count(),
        }
        return super().changelist_view(request, extra_context)

    def get_fieldsets(self, request, obj=None):
        blog = obj.blog if obj is not None else self._blog_for(request, None)
        return fieldsets_for(
            obj, may_publish=permissions.can_publish(request.user),
            into_ended_blog=obj is None and blog is not None and blog.status == LiveBlog.Status.ENDED,
        )  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "blog":
            kwargs["queryset"] = permissions.blogs_open_to(request.user, LiveBlog.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_publish = permissions.can_publish(request.user)
        return form

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit_post(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.can_delete_post(request.user, obj)

    # The post is written once, with its quotes, by the service in save_related.
    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        quotes = quotes_from(formsets)
        if change:
            services.post_update(
                post=form.instance, actor=request.user, quotes=quotes,
                expected_version=form.cleaned_data.get("edited_version"),
            )  # fmt: skip
        else:
            services.post_create(
                post=form.instance, actor=request.user, quotes=quotes,
                allow_ended=form.cleaned_data.get("post_to_ended_blog", False),
            )  # fmt: skip

    def construct_change_message(self, request, form, formsets, add=False):
        return construct_change_message(form, [], add)

    def delete_model(self, request, obj):
        services.post_delete(post=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for post in queryset:
                services.post_delete(post=post, actor=request.user)

    @admin.action(permissions=["change"], description="Publish selected scheduled posts now")
    def publish_now(self, request, queryset):
        self._each(request, queryset, services.post_publish_now, "Published now")

    @admin.action(permissions=["change"], description="Cancel the schedule of selected posts (back to draft)")
    def cancel_schedule(self, request, queryset):
        self._each(request, queryset, services.post_unschedule, "Schedule cancelled")

    def _each(self, request, posts, service, done: str, **arguments) -> None:
        for post in posts:
            try:
                service(post=post, actor=request.user, **arguments)
                self.message_user(request, f"{done}: {post}", messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{post}: {error_text(error)}", messages.ERROR)

    # The posting form, with the blog's latest posts under it.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        blog = self._blog_for(request, object_id)
        may_publish = permissions.can_publish(request.user)
        extra_context = {**(extra_context or {}), "update_blog": blog, "may_publish": may_publish}
        if blog is not None:
            extra_context.update(self._latest_context(request, blog))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _latest_context(self, request, blog: LiveBlog) -> dict:
        just = whole_number(request.GET.get("just"))
        posts = blog.posts.select_related("author__author_profile", "blog")
        newest_first = [models.F("published_at").desc(nulls_last=True), "-id"]
        if not permissions.can_publish(request.user):
            posts = posts.filter(models.Q(status=Post.Status.PUBLISHED) | models.Q(author=request.user))
        latest = list(posts.exclude(pk=just).order_by(*newest_first)[:LATEST_ON_FORM])
        just_saved = posts.filter(pk=just).first() if just is not None else None
        return {"latest_posts": ([just_saved] if just_saved else []) + latest, "just_saved": just_saved}

    def _blog_for(self, request, object_id):
        if object_id:
            post = self.get_queryset(request).filter(pk=whole_number(object_id)).first()
            return post.blog if post else None
        blog_id = whole_number(request.GET.get("blog") or request.POST.get("blog"))
        if blog_id is None:
            return None
        return permissions.blogs_open_to(request.user, LiveBlog.objects.all()).filter(pk=blog_id).first()

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._back_to_the_form(request, obj)

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_popup" in request.POST:
            return super().response_change(request, obj)
        return self._back_to_the_form(request, obj)

    def _back_to_the_form(self, request, post: Post):
        """After a save the reporter is back on an empty form, the post just saved at the top of the list below."""
        self.message_user(request, f"Update {state_of(post)}: {post}", messages.SUCCESS)
        url = reverse("admin:liveblog_post_add") + f"?blog={post.blog_id}&just={post.pk}"
        return HttpResponseRedirect(url)

    # Editors' own pages: one-click pinning, approval, deleted posts.

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("deleted/", view(self.deleted_posts_view), name="liveblog_post_deleted"),
            path("approval/", view(self.approval_view), name="liveblog_post_approval"),
            path("<int:post_id>/pin/", view(self.pin_view), name="liveblog_post_pin"),
            *super().get_urls(),
        ]

    def pin_view(self, request, post_id):
        return require_POST(self._toggle_pin)(request, post_id)

    def _toggle_pin(self, request, post_id):
        post = get_object_or_404(self.get_queryset(request), pk=post_id)
        service = services.post_unpin if post.is_pinned else services.post_pin
        try:
            post = service(post=post, actor=request.user)
            self.message_user(request, f"{'Pinned' if post.is_pinned else 'Unpinned'}: {post}", messages.SUCCESS)
        except PermissionDenied as error:
            # Whoever may not pin learns nothing about the post from the refusal.
            self.message_user(request, error_text(error), messages.ERROR)
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            back = reverse("admin:liveblog_post_changelist")
        return HttpResponseRedirect(back)

    def approval_view(self, request):
        """Submissions waiting for an editor, oldest first, each with Publish and Return with a note."""
        if not permissions.can_approve(request.user):
            raise PermissionDenied
        if request.method == "POST":
            post = get_object_or_404(Post, pk=whole_number(request.POST.get("post")) or 0)
            if "return" in request.POST:
                self._each(request, [post], services.post_return, "Returned", note=request.POST.get("note", ""))
            else:
                self._each(request, [post], services.post_approve, "Published")
            return HttpResponseRedirect(reverse("admin:liveblog_post_approval"))
        waiting = (
            Post.objects.filter(status=Post.Status.SUBMITTED)
            .select_related("blog", "author__author_profile").prefetch_related("quotes").order_by("created_at", "id")
        )  # fmt: skip
        context = {**self.admin_site.each_context(request), "title": "Waiting for approval", "waiting": waiting,
                   "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/liveblog/post/approval.html", context)

    def deleted_posts_view(self, request):
        """Posts deleted and not yet restored, newest first, each with a Restore button."""
        if not permissions.can_restore_posts(request.user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                post = services.post_restore(history_id=int(request.POST.get("history_id", 0)), actor=request.user)
                self.message_user(request, f"Restored: {post}", messages.SUCCESS)
            except (ValidationError, ValueError) as error:
                self.message_user(request, error_text(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:liveblog_post_deleted"))
        existing = Post.objects.values_list("pk", flat=True)
        records = (
            Post.history.filter(history_type="-").exclude(id__in=existing)
            .select_related("history_user").order_by("-history_date")[:100]
        )  # fmt: skip
        context = {**self.admin_site.each_context(request), "title": "Deleted posts", "records": records,
                   "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/liveblog/post/deleted.html", context)


def state_of(post: Post) -> str:
    if post.status == Post.Status.SCHEDULED:
        shown = times.local(post.published_at, post.blog.zone)
        on_day = f" on {shown:%-d %b}" if shown else ""
        return f"scheduled for {times.clock(post.published_at, post.blog.zone)}{on_day}"
    return {
        Post.Status.PUBLISHED: "published",
        Post.Status.SUBMITTED: "submitted for approval",
        Post.Status.RETURNED: "returned",
    }.get(post.status, "saved as a draft")
