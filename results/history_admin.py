"""History pages in the admin, to read only.

django-simple-history's version page saves whatever form is posted to it, straight
to the row: a reverted result or post would skip the services, so readers would
not be told and running totals would not follow. Here a past version is shown and
never saved back; a correction goes through the entry form or the posting form.

Both the list of versions and each version's page show only the records
`get_history_queryset` returns, so an admin that narrows what a user may see does
it in that one place. Results is the lowest app with history in the admin, so the
blog's admins take this from here.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._object_pk(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        versions = self.get_history_queryset(request, manager, self.model._meta.pk.attname, self._object_pk(object_id))
        try:
            version = manager.model._meta.pk.to_python(unquote(version_id))
        except ValidationError:
            raise Http404 from None
        if not versions.filter(pk=version).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _object_pk(self, object_id: str):
        """The object's id as its column holds it; an id that cannot be one is a page that does not exist."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
