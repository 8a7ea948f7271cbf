from django.urls import path

from . import views

app_name = "liveblog"

urlpatterns = [
    path("", views.home, name="home"),
    path("live/<slug:slug>/", views.blog_detail, name="blog"),
]
