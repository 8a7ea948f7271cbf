from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.urls import include, path

from streams.health import healthz


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

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("liveblog.urls")),
    path("", include("results.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
