from django.contrib import admin
from django.urls import include, path

from ceasefire.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("log/", include("ceasefire.ledger.urls")),
    path("", include("ceasefire.web.urls")),
]
