"""The results desk's entry form: one contest, candidates in ballot order, a box each."""

import hashlib
import json

from django import forms
from django.utils import timezone

from .figures import FiguresError, parse_count
from .models import Contest, Party, Revision
from .summary import Entry


class CountField(forms.CharField):
    """A vote or seat count typed by a person: "15,529" is fine, "15.5" and "-3" are not."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 9}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, "") and not self.required:
            return None
        try:
            return parse_count(value)
        except FiguresError as error:
            raise forms.ValidationError(str(error)) from error


class ResultEntryForm(forms.Form):
    # The fields under the counts, in this order (the counts are laid out as a table of their own).
    desk_fields = ("declared_at", "electorate", "rejected_ballots", "ballot_papers", "source", "uncontested",
                   "lot_winner", "reason")  # fmt: skip

    declared_at = forms.DateTimeField(
        label="Declared at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    rejected_ballots = CountField(label="Rejected ballots", required=False)
    ballot_papers = CountField(
        label="Valid ballot papers", required=False,
        help_text="Wards electing several: shares are then votes ÷ ballot papers, as councils give them.",
    )  # fmt: skip
    electorate = CountField(
        label="Electorate", required=False,
        help_text="Registered electors, as the returning officer gives them: turnout is worked out from it.",
    )  # fmt: skip
    source = forms.CharField(required=False, max_length=200, help_text="e.g. Returning officer at the count.")
    uncontested = forms.BooleanField(required=False, help_text="Elected unopposed: no votes to enter.")
    lot_winner = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Winner drawn by lot", help_text="Only for a tie."
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required when correcting."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.candidacies = list(contest.candidacies.select_related("party"))
        self.parties = list(Party.objects.all()) if contest.is_council else []
        self.fields["declared_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["electorate"].initial = contest.electorate
        self.fields["lot_winner"].choices = [("", "—")] + [(c.pk, c.name) for c in self.candidacies]
        if contest.seats_up < 2:
            del self.fields["ballot_papers"]
        sv = contest.voting_system == Contest.VotingSystem.SV
        for candidacy in self.candidacies:
            self.fields[f"votes_{candidacy.pk}"] = CountField(label=str(candidacy), required=False)
            if sv:
                self.fields[f"transfers_{candidacy.pk}"] = CountField(
                    label=f"{candidacy.name}: second-preference transfers", required=False
                )
        for party in self.parties:
            self.fields[f"seats_{party.code}"] = CountField(label=f"{party.name} seats", required=False)

    @staticmethod
    def initial_from(revision: Revision) -> dict:
        """The form as the current revision left it, so a correction changes only what was wrong.

        The declaration time is kept too: a correction is stamped by when it was entered, not re-declared."""
        initial = {
            "declared_at": timezone.localtime(revision.declared_at).replace(second=0, microsecond=0),
            "rejected_ballots": revision.rejected_ballots,
            "ballot_papers": revision.ballot_papers,
            "source": revision.source,
            "uncontested": revision.uncontested,
            "lot_winner": revision.winner_by_lot_id,
        }
        for row in revision.votes.all():
            initial[f"votes_{row.candidacy_id}"] = row.votes
            if row.transfers is not None:
                initial[f"transfers_{row.candidacy_id}"] = row.transfers
        initial |= {f"seats_{code}": seats for code, seats in revision.council_seats.items()}
        return initial

    def clean_electorate(self):
        electorate = self.cleaned_data.get("electorate")
        if electorate is not None and electorate < 1:
            raise forms.ValidationError("The electorate must be at least 1.")
        return electorate

    def contest_as_entered(self) -> Contest:
        """The contest with the electorate the desk typed, for the preview (saved only when declared)."""
        if self.cleaned_data.get("electorate") is not None:
            self.contest.electorate = self.cleaned_data["electorate"]
        return self.contest

    def vote_rows(self):
        """(candidacy, votes field, transfers field or None) in ballot order, for the template."""
        return [
            (c, self[f"votes_{c.pk}"], self[f"transfers_{c.pk}"] if f"transfers_{c.pk}" in self.fields else None)
            for c in self.candidacies
        ]

    def seat_fields(self):
        return [self[f"seats_{p.code}"] for p in self.parties]

    def entry(self) -> Entry:
        data = self.cleaned_data
        votes = {c.pk: data[f"votes_{c.pk}"] for c in self.candidacies if data.get(f"votes_{c.pk}") is not None}
        transfers = {
            c.pk: data[f"transfers_{c.pk}"] for c in self.candidacies if data.get(f"transfers_{c.pk}") is not None
        }
        seats = {p.code: data[f"seats_{p.code}"] for p in self.parties if data.get(f"seats_{p.code}")}
        return Entry(
            votes=votes,
            transfers=transfers,
            rejected_ballots=data.get("rejected_ballots") or 0,
            lot_winner=data.get("lot_winner"),
            council_seats=seats,
            uncontested=data.get("uncontested", False),
            ballot_papers=data.get("ballot_papers"),
        )

    def digest(self) -> str:
        """Fingerprint of what was previewed, so Declare commits exactly those figures."""
        entry = self.entry()
        payload = json.dumps(
            [entry.votes, entry.transfers, entry.rejected_ballots, entry.lot_winner, entry.council_seats,
             entry.uncontested, entry.ballot_papers, self.cleaned_data["declared_at"].isoformat(),
             self.cleaned_data.get("electorate"),
             self.cleaned_data.get("reason", "")],
            sort_keys=True, default=str,
        )  # fmt: skip
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
