from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from streams.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("liveblog.urls")),
    path("", include("results.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
