from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from results.history_admin import ReadOnlyHistoryAdmin

from . import services, tokens
from .models import ApiToken, AuthorProfile, LiveBlog
from .post_form import rich_text_widget


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
class LiveBlogAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "status", "created_at", "post_an_update"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]

    @admin.display(description="")
    def post_an_update(self, blog):
        url = reverse("admin:liveblog_post_add") + f"?blog={blog.pk}"
        return format_html('<a class="button" href="{}">Post an update</a>', url)

    class Media:
        css = {"all": ["liveblog/desk.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":  # written with the posts' editor, cleaned as they are
            kwargs["widget"] = rich_text_widget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.blog_save(blog=obj, actor=request.user)


# Posts have their own module; importing it registers them.
from . import post_admin  # noqa: E402, F401
