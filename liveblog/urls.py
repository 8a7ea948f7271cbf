from django.urls import path

from . import api, views

app_name = "liveblog"

urlpatterns = [
    path("", views.home, name="home"),
    path("live/<slug:slug>/", views.blog_detail, name="blog"),
    path("live/<slug:slug>/events", views.blog_events, name="events"),
    path("api/live/<slug:slug>/posts/", api.publish_post, name="api-publish"),
]
