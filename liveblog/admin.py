from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from streams.http import whole_number

from . import images, permissions, services, tokens
from .models import ApiToken, AuthorProfile, LiveBlog, Post, Quote
from .services import QuoteData


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "user"]
    search_fields = ["display_name", "user__username"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = tokens.issue(obj)
            self.message_user(request, f"Token created. Copy it now, it is not shown again: {key}", messages.WARNING)
        super().save_model(request, obj, form, change)


@admin.register(LiveBlog)
class LiveBlogAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "created_at", "post_an_update"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]

    @admin.display(description="")
    def post_an_update(self, blog):
        url = reverse("admin:liveblog_post_add") + f"?blog={blog.pk}"
        return format_html('<a class="button" href="{}">Post an update</a>', url)

    def save_model(self, request, obj, form, change):
        services.blog_save(blog=obj, actor=request.user)


class QuoteInline(admin.StackedInline):
    model = Quote
    fields = ["text", "speaker_name", "speaker_role"]
    extra = 1


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


class PostAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save is refused, not applied."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    post_to_ended_blog = forms.BooleanField(
        required=False, label="Post to this ended blog",
        help_text="Needed only when the blog has ended: readers may no longer be watching it.",
    )  # fmt: skip

    class Meta:
        model = Post
        fields = [*services.EDITABLE_FIELDS, "blog"]
        field_classes = {"image": images.PictureField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["edited_version"].initial = self.instance.version

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
                raise services.stale_post_error(current, started_from)
        return cleaned


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    form = PostAdminForm
    change_form_template = "admin/liveblog/post/change_form.html"
    inlines = [QuoteInline]
    fields = [
        "blog",
        "headline",
        "body",
        ("status", "is_key_event"),
        "published_at",
        "image",
        ("image_caption", "image_credit"),
        "embed_url",
        "correction",
        "post_to_ended_blog",
        "edited_version",
    ]
    list_display = ["__str__", "blog", "author", "published_at", "status", "is_key_event", "is_pinned"]
    list_editable = ["is_key_event"]
    list_filter = ["blog", "status", "is_key_event", "is_pinned"]
    search_fields = ["headline", "body"]
    actions = ["pin_posts", "unpin_posts", "publish_now", "cancel_schedule"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("blog", "author")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit_post(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.can_delete_post(request.user, obj)

    def has_pin_permission(self, request):
        return permissions.can_pin(request.user)

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

    @admin.action(permissions=["pin"], description="Pin selected posts")
    def pin_posts(self, request, queryset):
        for post in queryset:
            services.post_pin(post=post, actor=request.user)
        self.message_user(request, "Pinned.", messages.SUCCESS)

    @admin.action(permissions=["pin"], description="Unpin selected posts")
    def unpin_posts(self, request, queryset):
        for post in queryset:
            services.post_unpin(post=post, actor=request.user)
        self.message_user(request, "Unpinned.", messages.SUCCESS)

    @admin.action(permissions=["change"], description="Publish selected scheduled posts now")
    def publish_now(self, request, queryset):
        self._each_scheduled(request, queryset, services.post_publish_now, "Published now")

    @admin.action(permissions=["change"], description="Cancel the schedule of selected posts (back to draft)")
    def cancel_schedule(self, request, queryset):
        self._each_scheduled(request, queryset, services.post_unschedule, "Schedule cancelled")

    def _each_scheduled(self, request, queryset, service, done: str) -> None:
        for post in queryset:
            try:
                service(post=post, actor=request.user)
                self.message_user(request, f"{done}: {post}", messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{post}: {text}", messages.ERROR)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        blog = self._blog_for(request, object_id)
        extra_context = {**(extra_context or {}), "update_blog": blog}
        if blog is not None:
            extra_context["latest_posts"] = blog.posts.select_related("author").order_by("-published_at", "-id")[:10]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _blog_for(self, request, object_id):
        if object_id:
            post = Post.objects.filter(pk=whole_number(object_id)).select_related("blog").first()
            return post.blog if post else None
        blog_id = whole_number(request.GET.get("blog") or request.POST.get("blog"))
        return LiveBlog.objects.filter(pk=blog_id).first() if blog_id is not None else None

    def get_urls(self):
        deleted = self.admin_site.admin_view(self.deleted_posts_view)
        return [path("deleted/", deleted, name="liveblog_post_deleted"), *super().get_urls()]

    def deleted_posts_view(self, request):
        """Posts deleted and not yet restored, newest first, each with a Restore button."""
        if not permissions.can_restore_posts(request.user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                post = services.post_restore(history_id=int(request.POST.get("history_id", 0)), actor=request.user)
                self.message_user(request, f"Restored: {post}", messages.SUCCESS)
            except (ValidationError, ValueError) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:liveblog_post_deleted"))
        existing = Post.objects.values_list("pk", flat=True)
        records = (
            Post.history.filter(history_type="-").exclude(id__in=existing)
            .select_related("history_user").order_by("-history_date")[:100]
        )  # fmt: skip
        context = {**self.admin_site.each_context(request), "title": "Deleted posts", "records": records,
                   "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/liveblog/post/deleted.html", context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        if obj.status == Post.Status.SCHEDULED:
            state = f"scheduled for {timezone.localtime(obj.published_at, obj.blog.zone):%H:%M on %-d %b}"
        else:
            state = "published" if obj.is_published else "saved as a draft"
        self.message_user(request, f"Update {state}: {obj}", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:liveblog_post_add") + f"?blog={obj.blog_id}")
