from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from liveblog import http

from . import selectors
from .api import election_json
from .models import Election


@require_safe
def election_results(request, slug):
    election = get_object_or_404(Election, slug=slug)
    page = selectors.results_page(election)
    template = "results/_results_area.html" if request.htmx and request.GET.get("fragment") == "live" else (
        "results/election.html")  # fmt: skip
    return render(request, template, {"page": page, "election": election})


@require_safe
def election_events(request, slug):
    election = get_object_or_404(Election.objects.only("pk"), slug=slug)
    return http.events_since(request, stream_key=election.stream_key)


@require_safe
def election_results_api(request, slug):
    election = get_object_or_404(Election, slug=slug)
    return JsonResponse(election_json(election), json_dumps_params={"ensure_ascii": False})
