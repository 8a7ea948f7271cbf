"""Who may do what to posts and blogs: the single place object rules live."""

from django.db.models import QuerySet

from .models import LiveBlog, Post


def _owns_or_may_touch_any(user, post: Post) -> bool:
    return post.author_id == user.pk or user.has_perm("liveblog.edit_any_post")


def visible_posts(user, posts: QuerySet) -> QuerySet:
    """The posts, or their history records, a user may see in the admin: all of them for those who
    publish; only their own for contributors, whose view stops at their submissions and the notes on them."""
    return posts if can_publish(user) else posts.filter(author_id=user.pk)


def blogs_open_to(user, blogs: QuerySet) -> QuerySet:
    """The blogs a user may post to: all of them for those who publish; for contributors only
    blogs readers can open, a draft blog being the newsroom's own. can_add_post is the same rule."""
    if not (user.is_active and user.has_perm("liveblog.add_post")):
        return blogs.none()
    return blogs if can_publish(user) else blogs.public()


def can_add_post(user, blog: LiveBlog) -> bool:
    """blogs_open_to's rule for one blog in hand."""
    may_add = user.is_active and user.has_perm("liveblog.add_post")
    return may_add and (can_publish(user) or blog.status != LiveBlog.Status.DRAFT)


def can_publish(user) -> bool:
    """Reporters and editors publish; contributors submit posts for approval."""
    return user.is_active and user.has_perm("liveblog.publish_post")


def can_approve(user) -> bool:
    """Editors publish or return other people's submissions."""
    return can_publish(user) and user.has_perm("liveblog.edit_any_post")


def _may_touch(user, post: Post) -> bool:
    """A contributor's post is theirs to change only until it is published."""
    return _owns_or_may_touch_any(user, post) and (can_publish(user) or post.status in Post.UNPUBLISHED)


def can_edit_post(user, post: Post) -> bool:
    return user.is_active and user.has_perm("liveblog.change_post") and _may_touch(user, post)


def can_delete_post(user, post: Post) -> bool:
    return user.is_active and user.has_perm("liveblog.delete_post") and _may_touch(user, post)


def can_restore_posts(user) -> bool:
    return user.is_active and user.has_perm("liveblog.edit_any_post") and user.has_perm("liveblog.add_post")


def can_pin(user) -> bool:
    return user.is_active and user.has_perm("liveblog.pin_post")


def can_change_blog(user) -> bool:
    return user.is_active and user.has_perm("liveblog.change_liveblog")


def can_save_blog(user, blog: LiveBlog) -> bool:
    """Editors change blogs; whoever may add blogs may also write a new one."""
    return can_change_blog(user) or (blog.pk is None and user.is_active and user.has_perm("liveblog.add_liveblog"))
