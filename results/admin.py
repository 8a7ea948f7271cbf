from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import frames, permissions, services
from .exit_poll import check_seats, exit_poll_publish
from .figures import FiguresError
from .forms import ResultEntryForm
from .history_admin import ReadOnlyHistoryAdmin
from .models import Candidacy, Contest, Election, ExitPoll, ExitPollSeats, Party, Result, Revision
from .summary import summarise


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "polling_day", "kind", "results_page"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="")
    def results_page(self, election):
        return format_html('<a href="{}" target="_blank">Results page</a>', election.get_absolute_url())


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "colour"]
    search_fields = ["name", "short_name"]


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    extra = 0
    fields = ["ballot_order", "name", "party", "sitting", "is_speaker"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    inlines = [CandidacyInline]
    list_display = ["name", "enter_result", "election", "kind", "status", "watched"]  # the button in view on a phone
    list_editable = ["watched"]
    list_filter = ["election", "kind", "watched"]
    list_select_related = ["election", "result"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        css = {"all": ["results/desk.css"]}

    @admin.display(description="Status")
    def status(self, contest):
        result = getattr(contest, "result", None)
        return result.get_status_display() if result else "Expected"

    @admin.display(description="")
    def enter_result(self, contest):
        url = reverse("admin:results_contest_enter", args=[contest.pk])
        return format_html('<a class="button" href="{}">Enter result</a>', url)

    def get_urls(self):
        enter = self.admin_site.admin_view(self.enter_result_view)
        return [path("<int:contest_id>/enter/", enter, name="results_contest_enter"), *super().get_urls()]

    def enter_result_view(self, request, contest_id):
        if not permissions.can_declare(request.user):
            raise PermissionDenied
        contest = get_object_or_404(Contest.objects.select_related("election"), pk=contest_id)
        # Opening the page writes nothing: a result is created only by a service, when the desk acts.
        result = Result.objects.filter(contest=contest).select_related("current").first() or Result(contest=contest)
        # A correction starts from the figures as declared; only the reason is asked for afresh.
        initial = ResultEntryForm.initial_from(result.current) if result.current_id else {}
        form = ResultEntryForm(request.POST or None, contest=contest, initial={**initial, "version": result.version})
        preview = None
        if request.method == "POST":
            status = request.POST.get("_status")
            if status:
                return self._change_status(request, contest, result, status)
            if form.is_valid():
                preview = self._preview_or_declare(request, contest, result, form)
                if preview is None and form.is_valid():
                    return redirect(reverse("admin:results_contest_enter", args=[contest.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Enter result: {contest.name}",
            "contest": contest,
            "result": result,
            "form": form,
            "preview": preview,
            "revisions": result.revisions.select_related("entered_by").order_by("-number") if result.pk else [],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/results/contest/enter_result.html", context)

    def _preview_or_declare(self, request, contest, result, form) -> "Preview | None":
        """Show the computed card; declare only what was previewed. None once declared."""
        try:
            declaration = summarise(form.contest_as_entered(), form.entry())
        except FiguresError as error:
            form.add_error(None, str(error))
            return None
        digest = form.digest()
        card = frames.card_html(declaration, _draft_revision(result, form))
        if "_declare" not in request.POST:
            return Preview(card=card, digest=digest, headline=declaration.headline)
        if request.POST.get("previewed") != digest:
            form.add_error(None, "The figures changed since the preview: check them and declare again.")
            return Preview(card=card, digest=digest, headline=declaration.headline)
        try:
            services.result_declare(
                contest=contest, entry=form.entry(), declared_at=form.cleaned_data["declared_at"],
                actor=request.user, expected_version=form.cleaned_data["version"],
                source=form.cleaned_data["source"], reason=form.cleaned_data["reason"],
                electorate=form.cleaned_data.get("electorate"),
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
            return Preview(card=card, digest=digest, headline=declaration.headline)
        messages.success(request, f"Declared: {contest.name}: {declaration.headline}")
        return None

    def _change_status(self, request, contest, result, status):
        try:
            services.result_set_status(
                contest=contest, status=status, actor=request.user,
                expected_version=int(request.POST.get("version", -1)),
            )  # fmt: skip
            messages.success(request, f"{contest.name}: {Result.Status(status).label}.")
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(reverse("admin:results_contest_enter", args=[contest.pk]))


@dataclass(frozen=True)
class Preview:
    card: str
    digest: str
    headline: str


def _draft_revision(result: Result, form: ResultEntryForm) -> Revision:
    """An unsaved revision, so the preview card shows what the declared one will."""
    return Revision(
        result=result,
        number=(result.current.number + 1) if result.current_id else 1,
        declared_at=form.cleaned_data["declared_at"],
        source=form.cleaned_data["source"],
        reason=form.cleaned_data["reason"],
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@admin.register(Result)
class ResultAdmin(ReadOnlyHistoryAdmin):
    """Read-only: results change only through the entry form. History shows every save and who made it."""

    list_display = ["contest", "status", "version", "updated_at", "updated_by"]
    list_filter = ["contest__election", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["result", "number", "declared_at", "entered_by", "reason"]
    list_filter = ["result__contest__election"]
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExitPollSeatsFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seats = [form.cleaned_data["seats"] for form in self.forms
                 if form.cleaned_data and not form.cleaned_data.get("DELETE")]  # fmt: skip
        check_seats(self.instance, seats)


class ExitPollSeatsInline(admin.TabularInline):
    model = ExitPollSeats
    formset = ExitPollSeatsFormSet
    extra = 8
    autocomplete_fields = ["party"]


@admin.register(ExitPoll)
class ExitPollAdmin(admin.ModelAdmin):
    """Saving publishes: the results page's seat chart shows the projection, and each covering blog pins the card."""

    inlines = [ExitPollSeatsInline]
    list_display = ["election", "headline", "published_at"]
    fields = ["election", "headline", "source"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        exit_poll_publish(exit_poll=form.instance, actor=request.user)
        self.message_user(request, "The exit poll is published: the seat chart and the covering blogs show it.")
