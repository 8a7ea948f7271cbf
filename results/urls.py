from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("results/<slug:slug>/", views.election_results, name="election"),
    path("results/<slug:slug>/events", views.election_events, name="events"),
    path("embed/results/<slug:slug>/", views.election_results_embed, name="embed"),
    path("api/results/<slug:slug>/", views.election_results_api, name="api"),
]
