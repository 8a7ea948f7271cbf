from django import template
from django.db.models import Q

from ..models import Contest
from ..permissions import can_declare

register = template.Library()

WAITING_SHOWN = 12


@register.inclusion_tag("admin/results/_desk_shortcuts.html", takes_context=True)
def desk_shortcuts(context):
    """For the results desk on the admin's home: find a contest by name, and the contests still to declare."""
    if not can_declare(context["request"].user):
        return {"show": False}
    waiting = (
        Contest.objects.filter(Q(result__isnull=True) | Q(result__current__isnull=True))
        .select_related("election", "result")
        .order_by("-election__polling_day", "election__name", "name")
    )
    shown = list(waiting[: WAITING_SHOWN + 1])
    return {"show": True, "waiting": shown[:WAITING_SHOWN], "more": len(shown) > WAITING_SHOWN}
