"""The stored side of a stream: its latest seq, and every event in order. See docs/architecture.md."""

from django.db import models
from django.utils import timezone


class Stream(models.Model):
    """An ordered feed of events that readers follow: one per live blog, one per election's results page.

    Only streams.events creates streams and moves last_seq.
    """

    key = models.CharField(max_length=60, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_seq}"


class Event(models.Model):
    """One change a reader can see, in the order readers must apply it.

    The html is the frame pushed to sockets, rendered once by the writer.
    """

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stream", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="streams_event_unique_seq_per_stream")]

    def __str__(self) -> str:
        return f"{self.stream_id}#{self.seq} {self.kind}"
