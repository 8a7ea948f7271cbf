from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.urls import include, path

from streams.health import healthz
from streams.http import whole_number


class AdminLoginForm(AdminAuthenticationForm):
    """Django sets the username's max_length after the field is built, so nothing enforces it.

    An overlong name would be checked against every account and then written to
    django-axes' record of failed logins, whose column cannot hold it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


admin.site.login_form = AdminLoginForm


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, only to objects the model's admin lets this user see."""
    content_type = ContentType.objects.filter(pk=whole_number(content_type_id)).first()
    model = content_type.model_class() if content_type else None
    if model is not None and admin.site.is_registered(model):
        try:
            visible = admin.site.get_model_admin(model).get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404
    return shortcut(request, content_type_id, object_id)


urlpatterns = [
    # Ahead of the admin's own route to the same redirect, which does not ask who may see the object.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("liveblog.urls")),
    path("", include("results.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
