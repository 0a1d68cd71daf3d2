from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from kotacerdas.api import api
from kotacerdas.core import views as core_views
from kotacerdas.opendata import ckan

urlpatterns = [
    path("", include("kotacerdas.core.urls")),
    path("staf/masterplan/", include("kotacerdas.masterplan.urls")),
    path("staf/evaluasi/", include("kotacerdas.evaluation.urls")),
    path("survei/", include("kotacerdas.evaluation.urls_public")),
    path("staf/layanan/", include("kotacerdas.servicedesk.urls")),
    path("layanan/", include("kotacerdas.servicedesk.urls_public")),
    path("open311/v2/", include("kotacerdas.servicedesk.urls_open311")),
    path("staf/data/", include("kotacerdas.opendata.urls")),
    path("data/", include("kotacerdas.opendata.urls_portal")),
    path("staf/bansos/", include("kotacerdas.bansos.urls")),
    path("cek-bansos/", include("kotacerdas.bansos.urls_public")),
    path("eksekutif/", include("kotacerdas.dashboard.urls")),
    path("kinerja/", include("kotacerdas.dashboard.urls_public")),
    path("api/3/action/", include("kotacerdas.opendata.urls_ckan")),
    # ckanapi and some harvesters call the unversioned path.
    re_path(r"^api/action/(?P<name>[^/]+)/?$", ckan.action_view),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "akun/kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url="/akun/kata-sandi/selesai/"),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("staf/berkas/<path:name>", core_views.media_file, name="media-file"),
]

handler400 = "kotacerdas.core.views.bad_request"
handler403 = "kotacerdas.core.views.permission_denied"
handler404 = "kotacerdas.core.views.page_not_found"
handler500 = "kotacerdas.core.views.server_error"
