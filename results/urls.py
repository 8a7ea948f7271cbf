from django.urls import path

from . import (
    ids,  # noqa: F401  (registers the dataid converter)
    views,
)

app_name = "results"

urlpatterns = [
    path("results/", views.election_index, name="index"),
    path("results/<dataid:slug>/", views.election_results, name="election"),
    path("results/party-colours.css", views.party_colours, name="party_colours"),
    path("results/<dataid:slug>/events", views.election_events, name="events"),
    path("results/<dataid:slug>/find", views.find_contest, name="find"),
    path("results/<dataid:slug>/find/suggestions", views.contest_suggestions, name="suggest"),
    path("results/<dataid:slug>/<dataid:contest>/", views.contest_page, name="contest"),
    path("embed/results/<dataid:slug>/", views.election_results_embed, name="embed"),
    path("api/results/<dataid:slug>/", views.election_results_api, name="api"),
]
