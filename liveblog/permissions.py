"""Who may do what to posts and blogs: the single place object rules live."""

from .models import LiveBlog, Post


def _owns_or_may_touch_any(user, post: Post) -> bool:
    return post.author_id == user.pk or user.has_perm("liveblog.edit_any_post")


def can_add_post(user, blog: LiveBlog) -> bool:
    return user.is_active and user.has_perm("liveblog.add_post")


def can_edit_post(user, post: Post) -> bool:
    return user.is_active and user.has_perm("liveblog.change_post") and _owns_or_may_touch_any(user, post)


def can_delete_post(user, post: Post) -> bool:
    return user.is_active and user.has_perm("liveblog.delete_post") and _owns_or_may_touch_any(user, post)


def can_restore_posts(user) -> bool:
    return user.is_active and user.has_perm("liveblog.edit_any_post") and user.has_perm("liveblog.add_post")


def can_pin(user) -> bool:
    return user.is_active and user.has_perm("liveblog.pin_post")


def can_change_blog(user) -> bool:
    return user.is_active and user.has_perm("liveblog.change_liveblog")


def can_save_blog(user, blog: LiveBlog) -> bool:
    """Editors change blogs; whoever may add blogs may also write a new one."""
    return can_change_blog(user) or (blog.pk is None and user.is_active and user.has_perm("liveblog.add_liveblog"))
