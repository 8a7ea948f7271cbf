from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from streams import http

from . import selectors
from .api import election_json
from .models import Contest, Election


def _results_page(request, election, template):
    return http.page_for_seq(
        request, stream_key=election.stream_key, variant=template.rsplit("/", 1)[-1],
        render=lambda: render(request, template, {"page": selectors.results_page(election), "election": election}),
    )  # fmt: skip


@require_safe
@vary_on_headers("HX-Request")  # the same address answers a fragment to htmx
def election_results(request, slug):
    election = get_object_or_404(Election, slug=slug)
    if request.htmx and request.GET.get("fragment") == "live":
        page = selectors.results_page(election)
        return render(request, "results/_results_area.html", {"page": page, "election": election})
    return _results_page(request, election, "results/election.html")


@require_safe
@xframe_options_exempt
def election_results_embed(request, slug):
    """The scoreboard and cards alone, for other sites' iframes."""
    return _results_page(request, get_object_or_404(Election, slug=slug), "results/embed.html")


@require_safe
def election_events(request, slug):
    election = get_object_or_404(Election.objects.only("pk"), slug=slug)
    return http.events_since(request, stream_key=election.stream_key)


@require_safe
def election_results_api(request, slug):
    election = get_object_or_404(Election, slug=slug)
    return JsonResponse(election_json(election), json_dumps_params={"ensure_ascii": False})


@require_safe
@vary_on_headers("HX-Request")
def contest_page(request, slug, contest):
    """A contest's own page, permalinked: its card as declared, kept live by the election's stream."""
    election = get_object_or_404(Election, slug=slug)
    contest = get_object_or_404(Contest, election=election, slug=contest)
    context = {"page": selectors.contest_page(election, contest), "election": election}
    if request.htmx and request.GET.get("fragment") == "live":
        return render(request, "results/_contest_area.html", context)
    return http.page_for_seq(
        request, stream_key=election.stream_key, variant=f"contest:{contest.pk}",
        render=lambda: render(request, "results/contest.html", context),
    )  # fmt: skip
