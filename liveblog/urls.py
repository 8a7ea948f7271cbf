from django.urls import path

from . import api, feeds, views

app_name = "liveblog"

urlpatterns = [
    path("", views.home, name="home"),
    path("live/", views.blog_index, name="index"),
    path("live/<slug:slug>/", views.blog_detail, name="blog"),
    path("live/<slug:slug>/posts/<int:post_id>/", views.post_permalink, name="post"),
    path("live/<slug:slug>/events", views.blog_events, name="events"),
    path("live/<slug:slug>/key-events/", views.key_events, name="key_events"),
    path("live/<slug:slug>/feed/", feeds.BlogFeed(), name="feed"),
    path("embed/live/<slug:slug>/", views.blog_embed, name="embed"),
    path("api/live/<slug:slug>/posts/", api.publish_post, name="api-publish"),
]
