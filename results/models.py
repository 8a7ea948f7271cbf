from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from streams.events import election_stream

from .ids import MAX_LENGTH, validate_data_id

hex_colour = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Use a colour like #0087DC.")


class Election(models.Model):
    class Kind(models.TextChoices):
        BY_ELECTION = "westminster-by", "Westminster by-election"
        GENERAL = "general", "General election"
        LOCAL = "local", "Local elections"
        MAYORAL = "mayoral", "Mayoral election"
        DEVOLVED = "devolved", "Devolved parliament / assembly"
        PCC = "pcc", "Police and crime commissioner election"

    name = models.CharField(max_length=200, help_text="e.g. “Hartlepool by-election 2021”.")
    slug = models.CharField(
        "election id", max_length=MAX_LENGTH, unique=True, validators=[validate_data_id],
        help_text="As the data has it, e.g. local.knowsley.2021-05-06; the results page is /results/<id>/.",
    )  # fmt: skip
    polling_day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Running counts, moved by each declaration in its own transaction (results.scoreboard.record).
    declared_count = models.PositiveIntegerField(default=0, editable=False)
    councils_declared = models.PositiveIntegerField(default=0, editable=False)
    # The Speaker's seat is nobody's party seat: counted on a line of its own.
    speaker_seats = models.PositiveIntegerField(default=0, editable=False)
    # Valid votes in the declared single-seat contests: what national shares are of.
    votes_declared = models.BigIntegerField(default=0, editable=False)
    previous_shares = models.JSONField(
        "previous national shares", default=dict, blank=True,
        help_text='The previous election\'s national vote share per party code, e.g. {"con": 43.6, "lab": 32.1}: '
                  "national shares are shown with their change from these.",
    )  # fmt: skip
    previous_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year of those shares.")

    class Meta:
        ordering = ["-polling_day", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("results:election", kwargs={"slug": self.slug})

    @property
    def stream_key(self) -> str:
        return election_stream(self.pk)


class Party(models.Model):
    """A registered party. Independents are candidates with no party, never a Party."""

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=20, help_text="Used on cards, e.g. “Con”.")
    code = models.SlugField(max_length=30, unique=True, help_text="Stable key used by imports, e.g. “con”.")
    colour = models.CharField(max_length=7, validators=[hex_colour], help_text="Hex colour, e.g. #0087DC.")
    register_id = models.CharField(
        "register id", max_length=20, blank=True,
        help_text="The Electoral Commission's register id, e.g. PP52; feeds may name the party by it.",
    )  # fmt: skip
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors",
        help_text="The party this one succeeds (Reform UK: the Brexit Party). Where this party has no previous "
        "result, its change is measured against the predecessor's, and the card says so.",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["register_id"], condition=~models.Q(register_id=""), name="one_party_per_register_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    """One ballot: a constituency, a ward, a mayoralty, or a whole council's seats."""

    class Kind(models.TextChoices):
        CONSTITUENCY = "constituency", "Constituency"
        COUNCIL = "council", "Council"
        WARD = "ward", "Ward"
        MAYORALTY = "mayoralty", "Mayoralty"
        POLICE_AREA = "police-area", "Police area"
        REGION = "region", "Region (party lists)"

    class VotingSystem(models.TextChoices):
        FPTP = "fptp", "First past the post"
        SV = "sv", "Supplementary vote (two rounds)"
        DHONDT = "dhondt", "Party lists (d'Hondt)"
        STV = "stv", "Single transferable vote"

    class PreviousBasis(models.TextChoices):
        ACTUAL = "actual", "Actual result"
        NOTIONAL = "notional", "Notional result (on the new boundaries)"

    class TurnoutBasis(models.TextChoices):
        VALID = "valid", "Valid votes ÷ electorate"
        BALLOTS = "ballots", "Ballot papers, rejected included, ÷ electorate"

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    name = models.CharField(max_length=160, help_text="e.g. “Hartlepool”.")
    slug = models.CharField(
        "ballot id", max_length=MAX_LENGTH, validators=[validate_data_id],
        help_text="Unique within the election; the import key, e.g. local.knowsley.halewood-north.2021-05-06.",
    )  # fmt: skip
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONSTITUENCY)
    seats_up = models.PositiveSmallIntegerField(default=1, help_text="Seats filled by this ballot.")
    electorate = models.PositiveIntegerField(null=True, blank=True, help_text="Registered electors, if known.")
    voting_system = models.CharField(max_length=10, choices=VotingSystem.choices, default=VotingSystem.FPTP)
    polls_close = models.DateTimeField(help_text="A declaration cannot be earlier than this.")
    previous_votes = models.JSONField(
        default=dict, blank=True, help_text='Previous result by party code, e.g. {"lab": 15464}.'
    )
    previous_shares = models.JSONField(
        default=dict, blank=True, help_text="Previous shares (%) by party code, when votes are not known."
    )
    previous_winner = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Party that won last time (council: party in control). Blank: no overall control or independent.",
    )  # fmt: skip
    previous_winner_name = models.CharField(
        max_length=120, blank=True, help_text="For an independent previous winner: their name."
    )
    previous_winner_is_speaker = models.BooleanField(
        "previous winner was the Speaker", default=False,
        help_text="The seat was the Speaker's last time (their name in “previous winner name”): nobody's party seat.",
    )  # fmt: skip
    previous_turnout = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    previous_basis = models.CharField(
        max_length=10, choices=PreviousBasis.choices, default=PreviousBasis.ACTUAL,
        help_text="Notional: after a boundary review, an estimate of last time's result on the new boundaries.",
    )  # fmt: skip
    previous_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year of the previous result, e.g. 2019; the card names it."
    )
    turnout_basis = models.CharField(
        max_length=10, choices=TurnoutBasis.choices, default=TurnoutBasis.VALID,
        help_text="Which turnout the card shows (the API gives both); match the previous turnout's basis.",
    )  # fmt: skip
    # Councils: seats held before this election, and the size of the council.
    previous_seats = models.JSONField(default=dict, blank=True, help_text="Council seats by party code before.")
    total_seats = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Council size after.")
    figures_note = models.CharField(
        max_length=200, blank=True, help_text="Shown on the card, e.g. “Illustrative figures”."
    )
    position = models.PositiveSmallIntegerField(default=0)
    watched = models.BooleanField(
        "seat to watch", default=False,
        help_text="Leads the results page; where an election has seats to watch, only theirs are key events.",
    )  # fmt: skip
    # Party lists (d'Hondt): the constituencies whose winners count in the region, and its threshold.
    constituencies = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="regions",
        help_text="A region: the constituency contests whose declared winners count in its list seats.",
    )  # fmt: skip
    threshold_percent = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True,
        help_text="A region: the share of the list vote a list needs for any seat (London-wide: 5); blank for none.",
    )  # fmt: skip
    lists_complete = models.BooleanField(
        default=True,
        help_text="A region: off when only the heads of the parties' lists are entered, so no list runs out.",
    )

    class Meta:
        ordering = ["election", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["election", "slug"], name="contest_unique_slug")]

    def __str__(self) -> str:
        return f"{self.name} ({self.election})"

    def get_absolute_url(self) -> str:
        """The contest's own page: its card, live, permalinked."""
        return reverse("results:contest", kwargs={"slug": self.election.slug, "contest": self.slug})

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL


class Candidacy(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidacies")
    name = models.CharField(max_length=120)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, help_text="Leave blank for an independent."
    )
    ballot_order = models.PositiveSmallIntegerField(default=0)
    list_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A region's list candidate: their place on the list (1 heads it)."
    )
    sitting = models.BooleanField("sitting member", default=False)
    is_speaker = models.BooleanField(
        "Speaker seeking re-election", default=False,
        help_text="The Speaker stands for no party: leave the party blank. Their seat is counted apart.",
    )  # fmt: skip

    class Meta:
        ordering = ["contest", "ballot_order", "name"]
        verbose_name_plural = "candidacies"
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="candidacy_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.party.short_name if self.party else 'Speaker' if self.is_speaker else 'Ind'})"

    def clean(self) -> None:
        from .figures import INDEPENDENT_CODE

        if self.party_id and self.party.code == INDEPENDENT_CODE:
            raise ValidationError({"party": "Leave the party blank for an independent candidate."})
        if self.party_id and self.is_speaker:
            raise ValidationError({"party": "The Speaker stands for no party: leave the party blank."})


class Result(models.Model):
    """The one current result of a contest; its declared figures live in revisions."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Expected"
        COUNTING = "counting", "Counting"
        RECOUNT = "recount", "Recount"
        DECLARED = "declared", "Declared"
        CORRECTED = "corrected", "Corrected"
        UNCONTESTED = "uncontested", "Uncontested"
        POSTPONED = "postponed", "Postponed"

    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="result")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.EXPECTED)
    current = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Optimistic lock: every save must name the version it started from.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A recount's first-count figures, shown as provisional and counted nowhere until declared.
    provisional = models.JSONField(default=dict, blank=True, editable=False)
    provisional_card_html = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["provisional_card_html"])

    class Meta:
        ordering = ["contest"]
        permissions = [("declare_result", "Can enter, declare and correct results")]

    def __str__(self) -> str:
        return f"{self.contest.name}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.contest.get_absolute_url()

    @property
    def is_declared(self) -> bool:
        return self.current_id is not None


class Revision(models.Model):
    """One declared set of figures. Never edited: a correction adds a revision."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    uncontested = models.BooleanField(default=False)
    declared_at = models.DateTimeField()
    rejected_ballots = models.PositiveIntegerField(default=0)
    ballot_papers = models.PositiveIntegerField(
        null=True, blank=True, help_text="Valid ballot papers counted; the share base in a ward electing several."
    )
    source = models.CharField(max_length=200, blank=True, help_text="e.g. “Returning officer, Mill House”.")
    reason = models.TextField(blank=True, help_text="Why a correction was needed.")
    winner_by_lot = models.ForeignKey(Candidacy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    council_seats = models.JSONField(default=dict, blank=True, help_text="Council: seats won by party code.")
    list_votes = models.JSONField(
        default=dict, blank=True, help_text='A region: list votes by party code (an individual: "ind:<name>").'
    )
    # A single transferable vote's declared count, as the returning officer gave it: quota, stages (running
    # totals by candidacy id, as decimal strings) and the stage each winner was elected at (summary.StvEntry).
    stv_count = models.JSONField(default=dict, blank=True, editable=False)
    # Rendered once at declaration; pages and frames reuse these as they are.
    card_html = models.TextField(blank=True, editable=False)
    facts = models.JSONField(default=dict, blank=True, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["card_html"])

    class Meta:
        ordering = ["result", "number"]
        constraints = [models.UniqueConstraint(fields=["result", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.result.contest.name} revision {self.number}"

    def clean(self) -> None:
        if self.number > 1 and not self.reason.strip():
            raise ValidationError({"reason": "A correction needs a reason."})


class CandidateVotes(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="votes")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(help_text="First-round votes.")
    transfers = models.PositiveIntegerField(
        null=True, blank=True, help_text="Supplementary vote: second-preference transfers (top two only)."
    )

    class Meta:
        ordering = ["revision", "-votes"]
        verbose_name_plural = "candidate votes"
        constraints = [models.UniqueConstraint(fields=["revision", "candidacy"], name="votes_unique_candidacy")]

    def __str__(self) -> str:
        return f"{self.candidacy.name}: {self.votes}"


class FeedFile(models.Model):
    """A feed file the watcher has dealt with: by its source, name and content, so none is applied twice."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused"

    source = models.CharField(max_length=500, help_text="The folder or URL watched.")
    name = models.CharField(max_length=300, help_text="The file's name, or the URL.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the content.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    report = models.TextField(blank=True)
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-handled_at"]
        constraints = [models.UniqueConstraint(fields=["source", "name", "digest"], name="feed_file_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_outcome_display()})"


class PartyTotal(models.Model):
    """One party's running totals in one election, moved by each declaration (results.scoreboard.record)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="party_totals")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    seats = models.IntegerField(default=0)
    gains = models.IntegerField(default=0)
    losses = models.IntegerField(default=0)
    councils = models.IntegerField(default=0)
    councils_gained = models.IntegerField(default=0)
    councils_lost = models.IntegerField(default=0)
    votes = models.BigIntegerField(default=0)  # in declared single-seat contests

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "party"], name="party_total_once")]

    def __str__(self) -> str:
        return f"{self.party} in {self.election}"


class ExitPoll(models.Model):
    """The broadcasters' exit poll at the close of polls: seats per party, shown until the count overtakes it."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="exit_poll")
    headline = models.CharField(max_length=120, help_text="As the broadcasters put it, e.g. “Labour majority of 170”.")
    source = models.CharField(max_length=120, default="BBC, ITV News and Sky News exit poll")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    card_html = models.TextField(blank=True, editable=False)

    def __str__(self) -> str:
        return f"Exit poll: {self.election}"


class ExitPollSeats(models.Model):
    exit_poll = models.ForeignKey(ExitPoll, on_delete=models.CASCADE, related_name="seats")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              help_text="Blank for all others together.")  # fmt: skip
    seats = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name_plural = "exit poll seats"
        constraints = [models.UniqueConstraint(fields=["exit_poll", "party"], name="exit_poll_party_once")]

    def __str__(self) -> str:
        return f"{self.party.short_name if self.party else 'Others'} {self.seats}"
