import hashlib

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from streams import http

from . import party_styles, seat_search, selectors
from .api import election_json
from .models import Contest, Election

# Party colours change between elections, not during a night.
PARTY_COLOURS_CACHE_CONTROL = "public, max-age=600"


@require_safe
def election_index(request):
    return render(request, "results/index.html", {"elections": selectors.elections_listed()})


def _results_page(request, election, template):
    choices = selectors.SummaryChoices.from_query(request.GET)
    return http.page_for_seq(
        request, stream_key=election.stream_key, variant=f"{template.rsplit('/', 1)[-1]}?{choices.variant}",
        render=lambda: render(request, template, {"page": selectors.results_page(election, choices),
                                                  "election": election}),
        reads=selectors.SummaryChoices.READS,
    )  # fmt: skip


@require_safe
@vary_on_headers("HX-Request")  # the same address answers a fragment to htmx
def election_results(request, slug):
    election = get_object_or_404(Election, slug=slug)
    if request.htmx and request.GET.get("fragment") == "live":
        page = selectors.results_page(election, selectors.SummaryChoices.from_query(request.GET))
        context = {"page": page, "election": election, "embedded": request.GET.get("embedded") == "1"}
        return render(request, "results/_results_area.html", context)
    return _results_page(request, election, "results/election.html")


@require_safe
@xframe_options_exempt
def election_results_embed(request, slug):
    """The scoreboard and cards alone, for other sites' iframes."""
    return _results_page(request, get_object_or_404(Election, slug=slug), "results/embed.html")


def _search_page(request, slug: str, variant: str, answer):
    """A page answering what was typed in the search box, kept by the stream's seq like the results page:
    `answer(election, query, found)` renders it from the contests found."""
    election = get_object_or_404(Election, slug=slug)
    query = seat_search.Query.parse(request.GET.get("q"))
    # What was typed is shown back, so the page differs by the text itself; hashed to keep the key short.
    typed = hashlib.sha256(query.typed.encode()).hexdigest()[:32]
    return http.page_for_seq(
        request, stream_key=election.stream_key, variant=f"{variant}:{typed}", reads=("q",),
        render=lambda: answer(election, query, seat_search.find(election, query)),
    )  # fmt: skip


@require_safe
def find_contest(request, slug):
    """Find a constituency by a few letters of its name: one match goes straight to its page."""

    def answer(election, query, found):
        if len(found) == 1:
            return redirect(found[0].url)
        context = {"election": election, "query": query, "found": found}
        return render(request, "results/find.html", context, status=400 if query.problem and query.typed else 200)

    return _search_page(request, slug, "find", answer)


@require_safe
def contest_suggestions(request, slug):
    """The first few contests matching what is typed in the search box, as options for its list."""

    def answer(election, query, found):
        shown = found[: seat_search.SUGGESTIONS_SHOWN]
        context = {"found": shown, "more": len(found) - len(shown), "query": query}
        return render(request, "results/_seat_suggestions.html", context)

    return _search_page(request, slug, "suggest", answer)


@require_safe
def party_colours(request):
    """Each party's colour as a CSS class (`.party-lab`), so a row names its party's swatch in a few bytes."""
    css = party_styles.stylesheet()
    etag = f'"{hashlib.sha256(css.encode()).hexdigest()[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = PARTY_COLOURS_CACHE_CONTROL
    return response


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
